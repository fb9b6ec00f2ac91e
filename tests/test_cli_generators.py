"""``--generators FILE.py``: the user's generators on the command line, without the Python API."""

from __future__ import annotations

import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from syda.cli import main
from syda.generators.kinds import all_kinds

ROOT = Path(__file__).resolve().parent.parent

SHOP = """
tickers:
  id: {type: integer, primary_key: true}
  ticker: {type: string, nullable: false}
  note: {type: string, nullable: true}
trades:
  id: {type: integer, primary_key: true}
  ticker_id: {references: tickers.id}
  venue: {type: string, nullable: false}
"""

GENERATORS = '''
"""Tickers look like tickers; every trade's venue is one exchange."""
import syda


def tickers(ctx):
    return [f"T{i:03d}" for i in range(ctx.n)]


syda.register_kind("ticker_symbol", tickers, exact=("ticker",))


def venue(row, column):
    return "XNYS"


def register_generators(generator):
    generator.register_generator("string", venue, column_name="trades.venue")
'''


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return write(tmp_path / "shop.yaml", SHOP)


def user_kind_names() -> set[str]:
    return {k.name for k in all_kinds()}


def test_a_file_of_generators_fills_the_columns_it_registers(
    capsys: pytest.CaptureFixture[str], shop: Path, tmp_path: Path
) -> None:
    gens = write(tmp_path / "gens.py", GENERATORS)
    before = user_kind_names()
    out = tmp_path / "out"
    code, _, err = run(capsys, "generate", shop, "--generators", gens, "--rows", "6", "--out", out)
    assert code == 0, err
    tickers = pd.read_csv(out / "tickers.csv")
    trades = pd.read_csv(out / "trades.csv")
    assert list(tickers["ticker"]) == [f"T{i:03d}" for i in range(6)]  # the registered kind
    assert set(trades["venue"]) == {"XNYS"}  # the generator registered on the run's generator
    # The file's kind lasted for its command only: main() can run again in the same process.
    assert user_kind_names() == before


def test_inspect_profile_and_seed_take_the_file_too(
    capsys: pytest.CaptureFixture[str], shop: Path, tmp_path: Path
) -> None:
    gens = write(tmp_path / "gens.py", GENERATORS)
    code, out, err = run(capsys, "inspect", shop, "--generators", gens)
    assert code == 0, err
    venue = next(line for line in out.splitlines() if line.startswith("venue "))
    assert "custom: user generator" in venue
    code, out, err = run(capsys, "profile", shop, "--generators", gens)
    assert code == 0, err
    assert "semantic: ticker_symbol" in out
    db = tmp_path / "dev.db"
    code, _, err = run(
        capsys, "seed", shop, "--db", f"sqlite:///{db}", "--generators", gens, "--rows", "3"
    )
    assert code == 0, err
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        venues = conn.exec_driver_sql("SELECT DISTINCT venue FROM trades").scalars().all()
    engine.dispose()
    assert venues == ["XNYS"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import syda\n\ndef f(:\n    pass\n", "bad.py, line 3: SyntaxError: invalid syntax"),
        (
            "import syda\nx = 1\nsyda.register_kind('Ticker', lambda ctx: None)\n",
            "bad.py, line 3: ConfigurationError: a kind's name is lowercase letters",
        ),
        (
            "def register_generators(generator):\n    generator.register_generator('email', 3)\n",
            "bad.py, line 2: ConfigurationError: generator for 'email' is not callable",
        ),
        (
            "def register_generators():\n    pass\n",
            "bad.py, line 1: TypeError: register_generators() takes 0 positional arguments",
        ),
        ("import no_such_module_here\n", "bad.py, line 1: ModuleNotFoundError"),
        ("x = 1\n", "bad.py registers nothing: define register_generators(generator)"),
        ("register_generators = 3\n", "bad.py: register_generators is not a function"),
    ],
)
def test_a_broken_file_is_one_error_with_its_line(
    capsys: pytest.CaptureFixture[str], shop: Path, tmp_path: Path, source: str, expected: str
) -> None:
    bad = write(tmp_path / "bad.py", source)
    code, _, err = run(capsys, "generate", shop, "--generators", bad, "--out", tmp_path / "o")
    assert code == 2
    assert expected in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_a_generator_that_raises_during_the_run_names_its_line(
    capsys: pytest.CaptureFixture[str], shop: Path, tmp_path: Path
) -> None:
    boom = write(
        tmp_path / "boom.py",
        """
        def venue(row, column):
            return 1 / 0


        def register_generators(generator):
            generator.register_generator("string", venue, column_name="venue")
        """,
    )
    code, _, err = run(capsys, "generate", shop, "--generators", boom, "--out", tmp_path / "o")
    assert code == 3
    assert "trades.venue: custom generator raised ZeroDivisionError" in err
    assert "(--generators " in err and "boom.py, line 3)" in err


def test_a_missing_file_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], shop: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "inspect", shop, "--generators", tmp_path / "nope.py")
    assert code == 2
    assert "nope.py: no such file" in err


@pytest.fixture
def pg_schema(postgres_url: str) -> Iterator[str]:
    """A PostgreSQL schema of its own with a table of types syda cannot draw by itself."""
    name = f"syda_test_cli_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        conn.exec_driver_sql(
            f'CREATE TABLE "{name}".posts (id serial PRIMARY KEY, '
            "tags text[] NOT NULL, search tsvector NOT NULL, title varchar(80))"
        )
    try:
        yield name
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        engine.dispose()


@pytest.mark.postgres
def test_array_and_tsvector_columns_filled_from_the_command_line(
    capsys: pytest.CaptureFixture[str], postgres_url: str, pg_schema: str, tmp_path: Path
) -> None:
    # The blocker: a.tags has type 'ARRAY' ... register a generator (with no CLI way).
    gens = write(
        tmp_path / "pg_types.py",
        """
        def tags(row, column):
            return ["news", "tech"]


        def register_generators(generator):
            generator.register_generator("ARRAY", tags)
            generator.register_column_generator("TSVECTOR", lambda ctx: ["'a':1 'b':2"] * ctx.n)
        """,
    )
    args = ["--db", postgres_url, "--schema", pg_schema, "--generators", gens, "--rows", "20"]
    code, _, err = run(capsys, "generate", *args)
    assert code == 0, err
    engine = sa.create_engine(postgres_url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(f'SELECT tags, search::text FROM "{pg_schema}".posts').all()
    engine.dispose()
    assert len(rows) == 20
    assert {tuple(tags) for tags, _ in rows} == {("news", "tech")}
    assert {search for _, search in rows} == {"'a':1 'b':2"}


def readme_generators_file() -> str:
    """The ``--generators`` example of the README's command-line section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("```python\n# pg_types.py") + len("```python\n")
    return readme[start : readme.index("```", start)]


def test_the_readme_example_file_works_as_written(
    capsys: pytest.CaptureFixture[str], shop: Path, tmp_path: Path
) -> None:
    gens = write(tmp_path / "pg_types.py", readme_generators_file())
    out = tmp_path / "out"
    code, _, err = run(capsys, "generate", shop, "--generators", gens, "--out", out)
    assert code == 0, err
    assert set(pd.read_csv(out / "trades.csv")["venue"]) == {"XNYS"}


@pytest.mark.postgres
def test_the_readme_example_file_writes_into_postgresql(
    capsys: pytest.CaptureFixture[str], postgres_url: str, pg_schema: str, tmp_path: Path
) -> None:
    # Written as CSV, any text passes; PostgreSQL refuses a tsvector position of 0.
    engine = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(
            f'CREATE TABLE "{pg_schema}".trades (id serial PRIMARY KEY, venue text NOT NULL)'
        )
    gens = write(tmp_path / "pg_types.py", readme_generators_file())
    args = ["--db", postgres_url, "--schema", pg_schema, "--generators", gens, "--rows", "5"]
    code, _, err = run(capsys, "generate", *args)
    assert code == 0, err
    with engine.connect() as conn:
        searches = conn.exec_driver_sql(f'SELECT search::text FROM "{pg_schema}".posts').all()
        venues = conn.exec_driver_sql(f'SELECT DISTINCT venue FROM "{pg_schema}".trades').all()
    engine.dispose()
    assert sorted(s for (s,) in searches) == [f"'post':{i}" for i in range(1, 6)]
    assert venues == [("XNYS",)]
