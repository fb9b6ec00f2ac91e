"""Providers: what fills a table's value columns (the offline provider is built in)."""
