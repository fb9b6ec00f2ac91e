"""``syda traces``: the command a new user runs, and the files it leaves."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from syda.cli import main
from syda.cli.cmd_traces import BUILTIN_NAMES
from syda.workflows import BUILTIN_WORKFLOWS, create_simple_workflow


def test_help_explains_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["traces", "--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--workflow", "--users", "--sessions", "--days", "--cascade-rate", "--seed"):
        assert option in out
    assert "ground_truth" in out and "examples:" in out
    assert tuple(sorted(BUILTIN_WORKFLOWS)) == BUILTIN_NAMES
    assert main(["--help"]) == 0
    assert "traces" in capsys.readouterr().out


def test_traces_into_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    options = ["--users", "40", "--sessions", "2,1", "--days", "7", "--cascade-rate", "0.25"]
    target = [
        "--seed",
        "3",
        "--start-date",
        "2026-05-01",
        "--format",
        "csv",
        "--out",
        str(tmp_path),
    ]
    code = main(["traces", *options, *target])
    assert code == 0
    out = capsys.readouterr().out
    assert "traces of workflow 'ecommerce': 40 users" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "calls.csv",
        "ground_truth.csv",
        "sessions.csv",
        "workflow.yaml",
    ]
    calls = pd.read_csv(tmp_path / "calls.csv", parse_dates=["timestamp"])
    sessions = pd.read_csv(tmp_path / "sessions.csv", parse_dates=["start_time"])
    assert calls["user_id"].nunique() == 40
    assert sessions["cascade"].sum() == round(0.25 * len(sessions))
    assert calls["timestamp"].min() >= pd.Timestamp("2026-05-01")
    assert sessions["start_time"].max() < pd.Timestamp("2026-05-08")
    assert set(calls["session_id"]) == set(sessions["session_id"])
    # The summary counts sessions, and says so (not calls).
    failed = int((sessions["num_errors"] > 0).sum())
    cascades = int(sessions["cascade"].sum())
    assert f"sessions with an error: {failed}, with an injected cascade: {cascades};" in out
    truth = pd.read_csv(tmp_path / "ground_truth.csv")
    assert set(truth["kind"]) == {"entry", "transition", "exit"}
    assert yaml.safe_load((tmp_path / "workflow.yaml").read_text())["name"] == "ecommerce"


def test_the_same_seed_gives_the_same_files(tmp_path: Path) -> None:
    for name in ("a", "b"):
        argv = ["traces", "--workflow", "simple", "--users", "5", "--seed", "9"]
        assert main([*argv, "-q", "--out", str(tmp_path / name)]) == 0
    one = (tmp_path / "a" / "calls.parquet").read_bytes()
    assert one == (tmp_path / "b" / "calls.parquet").read_bytes()


def test_calls_on_stdout_without_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["traces", "--workflow", "simple", "--users", "3", "--sessions", "1"]) == 0
    captured = capsys.readouterr()
    calls = pd.read_csv(io.StringIO(captured.out))
    assert calls["endpoint"].iloc[0] == "/api/login"
    assert calls["session_id"].nunique() == 3
    assert "3 sessions" in captured.err


def test_a_workflow_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = create_simple_workflow().to_yaml(tmp_path / "mine.yaml")
    argv = ["traces", "--workflow", str(path), "--users", "4", "--out", str(tmp_path / "o")]
    assert main(argv) == 0
    assert "workflow 'simple'" in capsys.readouterr().out


def test_users_from_a_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = tmp_path / "schema.yaml"
    schema.write_text("users:\n  id: integer\n  email: email\n")
    argv = ["traces", "--users-from", str(schema), "--users", "12", "--out", str(tmp_path / "o")]
    assert main([*argv, "--format", "csv"]) == 0
    users = pd.read_csv(tmp_path / "o" / "users.csv")
    sessions = pd.read_csv(tmp_path / "o" / "sessions.csv")
    assert len(users) == 12
    assert sessions["user_id"].isin(users["id"]).all()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--workflow", "nope"], "--workflow 'nope' is neither a built-in workflow"),
        (["--sessions", "a,b"], "--sessions needs MEAN,STD or a count"),
        (["--start-date", "May 1"], "--start-date needs YYYY-MM-DD"),
        (["--cascade-rate", "2"], "cascade_failure_rate (--cascade-rate) is 2, not in [0, 1]"),
        (["--days", "0"], "generate_dataset: date_range_days (--days) is 0, it must be a whole"),
        (["--seed", "x"], "--seed needs a whole number"),
    ],
)
def test_bad_options_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["traces", "--users", "1", *argv]) == 2
    assert message in capsys.readouterr().err


def test_a_broken_workflow_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\nentry_points: {/a: 0.5}\ntransitions: {}\nexit_points: [/a]\n")
    assert main(["traces", "--workflow", str(path), "--users", "1"]) == 2
    err = capsys.readouterr().err
    assert "warning: workflow bad: entry points sum to 0.5, not 1.0" in err
    assert "error: workflow 'bad': entry points sum to 0.5, not 1.0" in err


def test_help_imports_no_heavy_library() -> None:
    probe = (
        "import contextlib, io, sys\n"
        "from syda.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['traces', '--help'])\n"
        "heavy = ('numpy', 'pandas', 'yaml', 'syda.workflows')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_no_users_no_sessions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["traces", "--users", "0", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "0 users, 0 sessions, 0 calls\n" in out
    assert pd.read_parquet(tmp_path / "calls.parquet").empty


def test_users_from_models_are_named_as_their_tables(tmp_path: Path) -> None:
    """The tables of --users-from models are files named after the tables, as syda generate's."""
    models = tmp_path / "app_models.py"
    models.write_text(
        "from sqlalchemy import Column, ForeignKey, Integer, String\n"
        "from sqlalchemy.orm import DeclarativeBase\n\n\n"
        "class Base(DeclarativeBase):\n    pass\n\n\n"
        "class Org(Base):\n    __tablename__ = 'orgs'\n"
        "    id = Column(Integer, primary_key=True)\n    name = Column(String(40))\n\n\n"
        "class User(Base):\n    __tablename__ = 'users'\n"
        "    id = Column(Integer, primary_key=True)\n"
        "    org_id = Column(Integer, ForeignKey('orgs.id'), nullable=False)\n"
    )
    out = tmp_path / "o"
    argv = ["traces", "--users-from", str(models), "--users", "5", "--out", str(out)]
    assert main([*argv, "--format", "csv", "-q"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "calls.csv", "ground_truth.csv", "orgs.csv", "sessions.csv", "users.csv", "workflow.yaml"
    ]  # fmt: skip
    users = pd.read_csv(out / "users.csv")
    assert users["org_id"].isin(pd.read_csv(out / "orgs.csv")["id"]).all()
