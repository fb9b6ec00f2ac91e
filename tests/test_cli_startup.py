"""``syda --help`` answers without importing the heavy libraries the commands use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HEAVY = ("pandas", "duckdb", "sqlalchemy", "faker", "sqlglot", "numpy")

_PROBE = f"""
import contextlib, io, json, sys
from syda.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(sys.argv[1:])
loaded = [m for m in {HEAVY!r} if m in sys.modules]
print(json.dumps({{"code": code, "help": out.getvalue(), "loaded": loaded}}))
"""


def probe(*argv: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_help_imports_none_of_the_heavy_libraries() -> None:
    for argv in (["--help"], ["generate", "--help"], ["seed", "--help"]):
        result = probe(*argv)
        assert result["code"] == 0
        assert "usage: syda" in str(result["help"])
        assert result["loaded"] == [], argv


def test_a_command_still_imports_what_it_needs(tmp_path: Path) -> None:
    # The probe can tell: a command that runs loads the libraries it needs, when it runs.
    schema = tmp_path / "schema.yaml"
    schema.write_text("people:\n  id: integer\n  name: varchar(20)\n")
    result = probe("inspect", str(schema))
    assert result["code"] == 0
    assert "people" in result["help"]
    assert {"pandas", "sqlalchemy"} <= set(result["loaded"])
