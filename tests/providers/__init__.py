"""Provider tests: real SDK clients replaying cassettes (see ``conftest.py`` for recording)."""
