"""Progress: tasks per phase and table, as log lines off a terminal and bars on one."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pandas as pd
import pytest

from syda import SyntheticDataGenerator, progress
from syda.cli import main
from syda.cli.console import PROGRESS_FORMAT, RichReporter, reporter_for
from syda.sinks import write_dataset

SCHEMA = {
    "people": {"id": {"type": "integer", "primary_key": True}, "name": "full_name"},
    "visits": {
        "id": {"type": "integer", "primary_key": True},
        "person_id": {"references": "people.id"},
        "on": "date",
    },
}


def _people_yaml(folder: Path) -> Path:
    """A one-table YAML schema file for the CLI tests."""
    schema = folder / "s.yaml"
    schema.write_text("people:\n  id: {type: integer, primary_key: true}\n  name: full_name\n")
    return schema


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def records(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="syda")
    return caplog


def progress_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if getattr(r, "syda_task", None) is not None]


def test_a_long_task_tells_its_rows_rate_and_time_left_then_its_end(
    records: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    with (
        progress.use(progress.LogReporter(interval=10, clock=clock)),
        progress.track("writing", "Order", 1000) as task,
    ):
        clock.now += 4
        task.advance(200)  # before the interval: no line
        clock.now += 6
        task.advance(300)  # 500 rows in 10 s
        clock.now += 1
        task.advance(100)  # the next line is ten seconds away
        clock.now += 9
        task.advance(400)
    assert progress_lines(records) == [
        "Order: writing 500/1,000 rows, 50 rows/s, about 10s left",
        "Order: writing 1,000/1,000 rows, 50 rows/s, about 0s left",
        "Order: wrote 1,000 rows in 20.00s (50 rows/s)",
    ]


def test_quick_failed_and_unannounced_tasks_end_without_a_line(
    records: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    reporter = progress.LogReporter(min_seconds=1.0, clock=clock)
    with progress.use(reporter):
        with progress.track("validating", "quick", 10) as task:
            clock.now += 0.5
            task.advance(10)
        with pytest.raises(ValueError), progress.track("writing", "broken", 10):
            clock.now += 5
            raise ValueError("disk full")
        with progress.track("generating", "told elsewhere", 10, announce=False) as task:
            clock.now += 5
            task.advance(10)
        with progress.track("validating", "slow", None) as task:
            clock.now += 2
            task.advance(7)
    assert progress_lines(records) == ["slow: validated 7 rows in 2.00s (4 rows/s)"]


def test_without_a_reporter_tasks_count_and_say_nothing(
    records: pytest.LogCaptureFixture,
) -> None:
    assert progress.current() is None
    with progress.track("writing", "t", 3) as task:
        task.advance(2)
        task.advance(1)
    assert task.done == 3 and not task.failed
    assert progress_lines(records) == []


def test_validation_reports_each_table(records: pytest.LogCaptureFixture) -> None:
    reporter = progress.LogReporter(min_seconds=0)
    gen = SyntheticDataGenerator(seed=1)
    with progress.use(reporter):
        gen.generate_related_data(schema=SCHEMA, sample_sizes={"people": 5, "visits": 8})
    # Generation ends with the engine's own line per table (announce=False for its tasks).
    lines = progress_lines(records)
    assert [re.sub(r" in .*", "", line) for line in lines] == [
        "people: validated 5 rows",
        "visits: validated 8 rows",
    ]


def test_writing_is_a_phase_of_its_own(records: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    frames = {"a": pd.DataFrame({"x": range(4)}), "b": pd.DataFrame({"y": range(2)})}
    with progress.use(progress.LogReporter(min_seconds=0)):
        write_dataset(frames, tmp_path, "csv")
    lines = [re.sub(r" in .*", "", line) for line in progress_lines(records)]
    assert lines == ["a: wrote 4 rows", "b: wrote 2 rows"]


def test_a_terminal_gets_bars_and_anything_else_log_lines() -> None:
    assert isinstance(reporter_for(io.StringIO()), progress.LogReporter)
    pytest.importorskip("rich")
    assert isinstance(reporter_for(Terminal()), RichReporter)


def test_off_a_terminal_the_cli_writes_plain_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = _people_yaml(tmp_path)
    piped = io.StringIO()
    monkeypatch.setattr("sys.stderr", piped)
    assert main(["generate", str(schema), "--rows", "6", "--out", str(tmp_path / "o")]) == 0
    shown = piped.getvalue()
    assert "\r" not in shown and "\x1b" not in shown
    assert re.fullmatch(r"people: 6 rows in \d+\.\d+s\n", shown)


@pytest.mark.parametrize("stream", [io.StringIO, Terminal])
def test_quiet_shows_no_progress_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stream: type[io.StringIO]
) -> None:
    schema = _people_yaml(tmp_path)
    err = stream()
    monkeypatch.setattr("sys.stderr", err)
    out = tmp_path / "o"
    assert main(["generate", str(schema), "--rows", "6", "--out", str(out), "--quiet"]) == 0
    assert err.getvalue() == ""
    assert progress.current() is None, "the reporter is removed with the command"
    assert len(pd.read_csv(out / "people.csv")) == 6


class Recorder:
    """Every reporter call, as (event, phase, table, rows done)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, str, int]] = []

    def started(self, task: progress.Task) -> None:
        self.events.append(("started", task.phase, task.table, task.done))

    def advanced(self, task: progress.Task) -> None:
        self.events.append(("advanced", task.phase, task.table, task.done))

    def finished(self, task: progress.Task) -> None:
        self.events.append(("finished", task.phase, task.table, task.done))


@pytest.mark.parametrize("workers", [1, 2])
def test_streaming_moves_each_tables_bar_chunk_by_chunk(tmp_path: Path, workers: int) -> None:
    recorder = Recorder()
    gen = SyntheticDataGenerator(seed=3)
    with progress.use(recorder):
        gen.generate_to(
            SCHEMA, tmp_path / "o", sample_sizes={"people": 250, "visits": 1_000},
            chunk_rows=100, workers=workers, format="csv",
        )  # fmt: skip
    visits = [e for e in recorder.events if e[2] == "visits"]
    assert visits[0] == ("started", "streaming", "visits", 0)
    assert visits[-1] == ("finished", "streaming", "visits", 1_000)
    moves = [done for event, _, _, done in visits if event == "advanced"]
    assert moves == sorted(moves) and len(moves) == 10, "one move per chunk, never back"
    people = [e for e in recorder.events if e[2] == "people" and e[0] == "finished"]
    assert people == [("finished", "streaming", "people", 250)]
    # Parents end before their children begin: the bars follow the levels.
    names = [(e[0], e[2]) for e in recorder.events]
    assert names.index(("finished", "people")) < names.index(("started", "visits"))


def test_streaming_tells_each_table_it_streamed_in_the_log(
    records: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    # As the in-memory engine: the engine's own line per table, reporter or not.
    SyntheticDataGenerator(seed=3).generate_to(
        SCHEMA, tmp_path / "o", sample_sizes={"people": 20, "visits": 30}, chunk_rows=10
    )
    lines = [r.getMessage() for r in records.records if getattr(r, "syda_progress", False)]
    assert [re.sub(r" in .*", "", line) for line in lines] == [
        "people: 20 rows",
        "visits: 30 rows",
    ]
    assert all(PROGRESS_FORMAT.fullmatch(r.msg) for r in records.records if r.msg.startswith("%s:"))


def test_cli_streaming_off_a_terminal_writes_a_line_per_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = _people_yaml(tmp_path)
    piped = io.StringIO()
    monkeypatch.setattr("sys.stderr", piped)
    out = tmp_path / "o"
    assert (
        main(["generate", str(schema), "--rows", "30", "--out", str(out), "--chunk-rows", "10"])
        == 0
    )
    assert re.fullmatch(r"people: 30 rows in \d+\.\d+s\n", piped.getvalue())
