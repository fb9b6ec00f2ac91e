"""No secret reaches a message: planted passwords and API keys, grepped on every error path.

Passwords are planted in database URLs of every shape (a raw ``@``, ``:`` and ``/``,
percent-encoded, in query options) and API keys in the environment and in ``ModelConfig``. Each
error path the public API and the CLI can reach (unreachable host, wrong user on the real
PostgreSQL and MariaDB, a database that does not exist, a missing driver, an unknown dialect, a
malformed URL, bad URL options, a provider that fails) is driven, and the exception's text and
repr, the text of every chained cause and context, stdout, stderr and the log records are
searched for the secrets: none may appear.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from secrets import token_hex
from urllib.parse import quote

import pytest

from syda import ModelConfig, SydaError, SyntheticDataGenerator
from syda.cli import main
from syda.database import database_status, reflect_database, seed_database
from tests.support.standin import StandIn

RAW_AT = "Super@Secret123"
COLON_SLASH = "Pa55:w/rd-Xq9"
ENCODED = "Enc@d/ed:Pw%7"
QUERY = "QuerySecr3tZ"
SSL = "SslSecr3tZ"
# Made at run time, so nothing shaped like a key is committed; unique per run all the same.
OPENAI_KEY = f"planted-openai-{token_hex(12)}"
ANTHROPIC_KEY = f"planted-anthropic-{token_hex(12)}"
CONFIG_KEY = f"planted-config-{token_hex(12)}"

PLANTED = (
    RAW_AT,
    "Secret123",  # the part of RAW_AT that used to leak as a "host"
    COLON_SLASH,
    "w/rd-Xq9",
    ENCODED,
    quote(ENCODED, safe=""),
    "d/ed:Pw%7",
    QUERY,
    SSL,
    OPENAI_KEY,
    ANTHROPIC_KEY,
    CONFIG_KEY,
)

PG = "127.0.0.1:5432"
_NO_SUCH_DB = "syda_no_such_db"
MY = "127.0.0.1:3306"
NOBODY = "syda_nobody"  # a user neither server has

# (id, URL, the server it needs or None)
URLS: list[tuple[str, str, str | None]] = [
    ("pg-raw-at", f"postgresql+psycopg://{NOBODY}:{RAW_AT}@{PG}/test", "postgres"),
    ("pg-colon-slash", f"postgresql+psycopg://{NOBODY}:{COLON_SLASH}@{PG}/test", "postgres"),
    (
        "pg-encoded-no-such-db",
        f"postgresql+psycopg://postgres:{quote(ENCODED, safe='')}@{PG}/{_NO_SUCH_DB}",
        "postgres",
    ),
    (
        "pg-query-secrets",
        f"postgresql+psycopg://{NOBODY}@{PG}/test?password={QUERY}&sslpassword={SSL}",
        "postgres",
    ),
    # A raw @ in a query option: SQLAlchemy reads what follows it as the host.
    ("pg-query-raw-at", f"postgresql+psycopg://{NOBODY}@{PG}/test?password={RAW_AT}", "postgres"),
    ("my-raw-at", f"mysql+pymysql://{NOBODY}:{RAW_AT}@{MY}/test", "mariadb"),
    ("my-encoded", f"mysql+pymysql://{NOBODY}:{quote(ENCODED, safe='')}@{MY}/test", "mariadb"),
    ("my-bad-charset", f"mysql+pymysql://root:{COLON_SLASH}@{MY}/test?charset=bogus", None),
    ("my-bad-option", f"mysql+pymysql://root:{RAW_AT}@{MY}/test?connect_timeout=abc", None),
    ("unreachable", f"postgresql+psycopg://u:{RAW_AT}@127.0.0.1:1/x?connect_timeout=2", None),
    ("unreachable-mysql", f"mysql+pymysql://u:{ENCODED}@127.0.0.1:1/x?connect_timeout=2", None),
    ("bad-dialect", f"nosuchdialect://u:{RAW_AT}@127.0.0.1/db", None),
    ("missing-driver", f"postgresql+psycopg2://u:{COLON_SLASH}@127.0.0.1/db", None),
    ("malformed", f"postgresql+psycopg://u:{RAW_AT}@127.0.0.1:notaport/db", None),
]

SCHEMA = {
    "customers": {
        "columns": {
            "id": {"type": "integer", "primary_key": True},
            "name": {"type": "string", "max_length": 40},
            "note": {"type": "text"},  # free text: a column rows mode asks the LLM for
        }
    }
}
YAML = (
    "customers:\n  columns:\n    id: {type: integer, primary_key: true}\n    name: string\n"
    "    note: text\n"
)


def leaks(*texts: str) -> list[str]:
    """The planted secrets found in ``texts``."""
    return sorted({s for s in PLANTED for t in texts if s in t})


def error_texts(error: BaseException) -> list[str]:
    """The text and repr of ``error`` and of every cause and context chained to it."""
    texts: list[str] = []
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        texts += [str(current), repr(current), *map(str, current.args)]
        pending += [current.__cause__, current.__context__]
    return texts


@pytest.fixture
def url(request: pytest.FixtureRequest) -> str:
    """The URL of the case; skipped (with the reason) when its server is absent."""
    _name, value, server = request.param
    if server is not None:
        request.getfixturevalue(f"{server}_url")
    return str(value)


@pytest.fixture
def planted_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "shop.yaml"
    path.write_text(YAML, encoding="utf-8")
    return path


def _cases() -> list[object]:
    return [pytest.param(case, id=case[0]) for case in URLS]


COMMANDS = {
    "status": ["status", "--db", "{url}"],
    "inspect": ["inspect", "--db", "{url}"],
    "validate": ["validate", "{source}", "--db", "{url}"],
    "seed": ["seed", "{source}", "--db", "{url}"],
    "generate": ["generate", "{source}", "--db", "{url}", "--create-tables"],
    "generate-from-db": ["generate", "--db", "{url}", "--out", "{out}"],
}


@pytest.mark.usefixtures("planted_keys")
@pytest.mark.parametrize("url", _cases(), indirect=True)
def test_cli_commands_never_print_a_secret(
    url: str,
    source: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    for name, args in COMMANDS.items():
        argv = [a.format(url=url, source=source, out=tmp_path / "out") for a in args]
        code = main(argv)
        out, err = capsys.readouterr()
        logged = [r.getMessage() for r in caplog.records]
        assert leaks(out, err, *logged) == [], (name, err)
        if name == "status" and _NO_SUCH_DB in url:
            # A database not created yet is a state, not an error: every table is absent.
            assert code == 0 and "does not exist yet" in out, (out, err)
            continue
        assert code in (2, 4), (name, out, err)
        assert err.startswith("syda: error: ") and "unexpected" not in err, (name, err)


def _api_calls(url: str) -> dict[str, Callable[[], object]]:
    gen = SyntheticDataGenerator(seed=0)
    return {
        "generate_related_data": lambda: gen.generate_related_data(SCHEMA, db_url=url),
        "seed_database": lambda: seed_database(SCHEMA, url),
        "database_status": lambda: database_status(None, url),
        "reflect_database": lambda: reflect_database(url),
    }


@pytest.mark.parametrize("url", _cases(), indirect=True)
def test_api_errors_never_carry_a_secret(url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name, call in _api_calls(url).items():
        if name == "database_status" and _NO_SUCH_DB in url:
            status = call()
            assert status == {} and not status.exists  # type: ignore[attr-defined]
            continue
        with pytest.raises(SydaError) as caught:
            call()
        texts = error_texts(caught.value)
        logged = [r.getMessage() for r in caplog.records]
        assert leaks(*texts, *logged) == [], (name, texts)
        assert "***" in str(caught.value) or "URL" in str(caught.value), (name, caught.value)


def test_a_raw_at_in_a_password_is_read_to_the_last_at(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The message names the host the user meant, with the whole password masked.
    url = f"postgresql+psycopg://{NOBODY}:{RAW_AT}@{PG}/test"
    assert main(["status", "--db", url]) == 4
    err = capsys.readouterr().err
    assert f"{NOBODY}:***@{PG}/test" in err and f'role "{NOBODY}" does not exist' in err


def test_a_missing_driver_is_named_without_the_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Simulated: the import of PyMySQL fails as if it were not installed.
    monkeypatch.setitem(sys.modules, "pymysql", None)
    url = f"mysql+pymysql://root:{RAW_AT}@{MY}/test"
    with pytest.raises(SydaError, match="pip install PyMySQL") as caught:
        database_status(None, url)
    assert leaks(*error_texts(caught.value)) == []
    assert main(["status", "--db", url]) == 4
    err = capsys.readouterr().err
    assert "pip install PyMySQL" in err and leaks(err) == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"mysql+pymysql://root:{RAW_AT}@{MY}/test?charset=bogus", "unknown MySQL character set"),
        (f"mysql+pymysql://root:{RAW_AT}@{MY}/test?bogus=1", "unexpected keyword argument"),
        (f"mysql+pymysql://root:{RAW_AT}@{MY}/test?connect_timeout=abc", "invalid literal"),
    ],
)
def test_bad_url_options_are_configuration_errors(
    url: str, message: str, mariadb_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and leaks(err) == [], err


def test_a_sqlite_file_in_a_missing_directory_says_so(
    tmp_path: Path, source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    url = f"sqlite:///{missing}/x.db"
    for command in (["seed", str(source)], ["generate", str(source), "--create-tables"]):
        assert main([*command, "--db", url]) == 4
        err = capsys.readouterr().err
        assert f"the directory {missing} does not exist" in err, err
    assert main(["status", "--db", url]) == 4
    assert f"the directory {missing} does not exist" in capsys.readouterr().err
    assert not missing.exists()


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


def _provider_configs(server: StandIn) -> dict[str, ModelConfig]:
    wrong_openai = f"{server.openai_base_url}/wrong"  # a 404: not retried
    return {
        "openai-config-key": ModelConfig(
            provider="openai", api_key=CONFIG_KEY, base_url=wrong_openai, max_retries=1
        ),
        "openai-env-key": ModelConfig(provider="openai", base_url=wrong_openai, max_retries=1),
        "anthropic-env-key": ModelConfig(
            provider="anthropic", base_url=f"{server.anthropic_base_url}/wrong", max_retries=1
        ),
    }


@pytest.mark.usefixtures("planted_keys")
def test_provider_errors_never_carry_the_api_key(
    standin: StandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name, config in _provider_configs(standin).items():
        assert leaks(repr(config), str(config)) == []
        with pytest.raises(SydaError) as caught:
            SyntheticDataGenerator(config, seed=0).generate_related_data(SCHEMA)
        logged = [r.getMessage() for r in caplog.records]
        assert leaks(*error_texts(caught.value), *logged) == [], name
        assert "404" in str(caught.value), caught.value
    # A server error that is retried, then given up on.
    standin.script("server_error")
    config = ModelConfig(provider="openai", base_url=standin.openai_base_url, max_retries=1)
    with pytest.raises(SydaError) as caught:
        SyntheticDataGenerator(config, seed=0).generate_related_data(SCHEMA)
    assert leaks(*error_texts(caught.value)) == []


@pytest.mark.usefixtures("planted_keys")
def test_the_cli_provider_error_never_prints_the_key(
    standin: StandIn, source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for provider, base in (
        ("openai", standin.openai_base_url),
        ("anthropic", standin.anthropic_base_url),
    ):
        argv = ["generate", str(source), "--out", str(tmp_path), "--provider", provider]
        assert main([*argv, "--base-url", f"{base}/wrong", "-v"]) == 3  # a generation error
        out, err = capsys.readouterr()
        assert "404" in err and leaks(out, err) == [], err
