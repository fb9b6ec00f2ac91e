"""Test support code: real databases that judge syda's output (see :mod:`.dbload`)."""
