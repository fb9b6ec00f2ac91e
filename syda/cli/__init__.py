"""The ``syda`` command line: a thin layer over the public API.

``syda generate``, ``inspect``, ``validate``, ``seed`` and ``status``; see ``syda --help`` and
:mod:`syda.cli.app` for the exit codes. The library never prints; this package is the only part
of syda that writes to the terminal.
"""

from syda.cli.app import EXIT_CODES, build_parser, main

__all__ = ["EXIT_CODES", "build_parser", "main"]
