"""Checking generated rows and tables against every constraint of the schema."""
