"""The ``syda`` command: argument parsing, dispatch to the commands, exit codes and errors.

Every error is one ``syda: error: <message>`` line on stderr (a schema error lists each of its
problems under it), with the traceback only under ``--debug``. Exit codes:

=====  ==========================================================================
0      success
1      ``syda validate`` found violations
2      usage, schema or plan error (bad options or database URL, unreadable schema,
       impossible request)
3      generation error (valid rows could not be produced; also unexpected errors)
4      output or database error (a file or the database could not be read or written,
       reached, or found; its driver is not installed)
130    interrupted (Ctrl-C)
=====  ==========================================================================

Database errors reach this module as :class:`~syda.errors.OutputError` (see
:mod:`syda.database.connect`); one that escapes the library is shown with its driver's message.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import NoReturn

from syda import __version__
from syda.cli.cmd_traces import add_traces_command
from syda.cli.console import cli_logging, error
from syda.cli.options import (
    PROFILE_HELP,
    UsageError,
    add_generation_options,
    add_generators_option,
    add_prompt_option,
    add_provider_options,
)
from syda.cli.urls import read_database_source
from syda.database.defaults import DEFAULT_LOCK_TIMEOUT
from syda.errors import (
    ConfigurationError,
    GenerationError,
    OutputError,
    PlanError,
    SchemaError,
    SydaError,
)
from syda.formats import SUPPORTED_FORMATS

__all__ = ["ERROR_EXIT_CODES", "EXIT_CODES", "build_parser", "main"]

EXIT_OK, EXIT_VIOLATIONS, EXIT_USAGE, EXIT_GENERATION, EXIT_OUTPUT = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130

EXIT_CODES = f"""exit codes:
  {EXIT_OK}    success
  {EXIT_VIOLATIONS}    validate found violations
  {EXIT_USAGE}    usage, configuration, schema or plan error (also a malformed database URL)
  {EXIT_GENERATION}    generation error (valid rows could not be produced); also an unexpected error
  {EXIT_OUTPUT}    output or database error (also a missing driver or database file)
  {EXIT_INTERRUPTED}  interrupted"""

_SOURCE_HELP = (
    "a models file (path/to/models.py), an importable module (myapp.models, or "
    "myapp.models:Base), a YAML/JSON schema file, or a database URL (as --db URL); without it, "
    "the --db database is reflected"
)

_DESCRIPTION = """Fill a relational schema with synthetic data that keeps every constraint.

A SOURCE is a SQLAlchemy models file or module, a YAML/JSON schema, or a database URL
(the same as --db URL)."""

_MAIN_EPILOG = f"""examples:
  syda generate myapp/models.py --rows 100 --out data/
  syda generate schema.yaml --rows 50 --rows patients=10 --format parquet --out data/
  syda generate --db sqlite:///dev.db --rows 200
  syda inspect myapp.models
  syda profile myapp/models.py > profile.yaml    # edit it, then:
  syda generate myapp/models.py --profile profile.yaml --rows 100 --out data/
  syda validate myapp/models.py --data data/
  syda seed myapp/models.py --db sqlite:///dev.db

Run 'syda COMMAND --help' for the options of a command.

{EXIT_CODES}"""

_EPILOGS = {
    "generate": """examples:
  # every table of a models file, 100 rows each, as CSV files
  syda generate myapp/models.py --rows 100 --out data/

  # per-table counts, children per parent, prompts, Parquet output
  syda generate myapp.models --rows 20 --rows Customer=10 \\
      --cardinality Contact.customer_id=2-4 \\
      --prompt "a B2B SaaS company" --prompt Customer="mid-size European firms" \\
      --format parquet --out data/

  # fill an existing (empty) database: reflect it, generate, insert in one transaction
  syda generate --db postgresql://me@localhost/shop --rows 200

  # create the tables of the models in a new SQLite file and fill them
  syda generate myapp/models.py --db sqlite:///dev.db --create-tables

  # a reflected database as the source, files as the target
  syda generate --db sqlite:///dev.db --out data/

  # stream 10 million orders into PostgreSQL, 100,000 rows at a time, in one transaction
  syda generate myapp/models.py --rows Order=10000000 --chunk-rows 100000 \
      --db postgresql://me@localhost/warehouse --create-tables

The database is written in one transaction: all rows, or none. --if-exists fail (default)
refuses non-empty tables, append adds rows after the existing ones, replace empties the tables
first.""",
    "inspect": """examples:
  syda inspect myapp/models.py
  syda inspect schema.yaml --rows 100 --cardinality visits.patient_id=1-5
  syda inspect --db sqlite:///dev.db
  syda inspect myapp.models --provider openai --model gpt-4o-mini --prompt-preview

Shows the generation order, the cycles and the foreign keys filled in a second pass to break
them, and for every column its type, constraints and what fills it: a sequence, a foreign key
sampled from its parent, a custom generator, the provider, the profile (with the family that
draws it: values, expr, ...), or the database itself. The spec column shows each column's
profile in short (values{New Business: 0.45, ...}, expr quantity * unit_price, semantic email);
'syda profile' writes it in full. --profile FILE shows the plan with that profile applied.""",
    "profile": """examples:
  syda profile myapp/models.py > profile.yaml
  syda profile schema.yaml --profile profile.yaml -o profile.yaml   # merged, rewritten in place
  syda profile --db sqlite:///dev.db
  syda profile myapp/models.py --provider openai --prompt "a B2B SaaS company" > profile.yaml

Writes how every column's values are drawn, inferred by syda or declared in the schema
(dict/YAML column keys, Column(info={"syda": {...}}), __table_args__ info), as YAML:

  version: 1
  tables:
    deals:
      columns:
        deal_type:
          values: {New Business: 0.45, Renewal: 0.3, Upsell: 0.15, Cross-sell: 0.1}
        amount:
          distribution: {kind: lognormal, median: 45000, sigma: 0.4}

Edit any spec and apply the file with --profile FILE on generate, inspect or seed; unedited,
it gives the same data as a run without it (same --seed). A file may name only the tables
and columns it changes.

With --provider openai or anthropic, the LLM writes the profile of every table (one call
each, a few for wide tables; --llm-mode TABLE=rows leaves a table out): vocabularies with
weights, distributions, date ranges, rules. Review it, edit it, commit it: generating with
--profile FILE then costs no LLM call for the columns it declares.""",
    "validate": """examples:
  syda validate myapp/models.py --data data/
  syda validate schema.yaml --data exported/
  syda validate --db sqlite:///dev.db
  syda validate myapp.models --db postgresql://me@localhost/shop

Files are found by the SQL table name or the table key (customers.csv, Customer.json,
orders.parquet) and read with the column types of the schema. Every violation is listed
(primary keys, UNIQUE constraints, NOT NULL, lengths, CHECKs, foreign keys) with a few of the
offending rows (counted from 1, without the CSV header). Exit code 1 if there is any.""",
    "seed": """examples:
  syda seed myapp/models.py --db sqlite:///dev.db --rows 50
  syda seed --db postgresql://me@localhost/app_dev          # the tables exist: reflect them
  syda seed myapp/models.py --db sqlite:///dev.db --reset   # empty and refill
  syda seed myapp/models.py --db sqlite:///dev.db --reset recreate   # the models changed
  syda seed myapp/models.py --db sqlite:///dev.db --fill-missing     # a table was dropped
  syda seed syda.demos.dev_app --db sqlite:///dev.db --only-if-env APP_ENV=dev

Fills the tables only when they are all empty or absent (absent tables are created from
SOURCE), so running it at every start of a development server keeps the data of the first
run (exit 0: "already seeded"). --reset empties and refills them; --reset recreate drops them
and creates them from SOURCE first (a column added to the models); --fill-missing fills only
the absent or empty tables, new rows pointing at the rows kept. A database where some tables
have rows and others do not is refused with exit 1 and nothing written. With --only-if-env
NAME=VALUE nothing is touched unless the environment variable has that value (exit 0). The
same seed gives the same data. Seeds started together (replicas of one application) give one
dataset: the others wait (--lock-timeout) and find the rows.""",
    "status": """examples:
  syda status --db sqlite:///dev.db
  syda status myapp/models.py --db sqlite:///dev.db   # tables of the models not created yet
                                                       # show as absent""",
}


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line, like every other error."""

    def error(self, message: str) -> NoReturn:
        error(f"{message} (see '{self.prog} --help')")
        raise SystemExit(EXIT_USAGE)


def _common(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("output")
    group.add_argument("-q", "--quiet", action="store_true", help="print errors and warnings only")
    group.add_argument(
        "-v", "--verbose", action="count", default=0, help="print more (-vv: debug messages)"
    )
    group.add_argument("--debug", action="store_true", help="show tracebacks of errors")


def _database(parser: argparse.ArgumentParser, help_text: str, required: bool = False) -> None:
    group = parser.add_argument_group("database")
    # Required is checked once SOURCE is read: a URL there is the database (syda.cli.urls).
    parser.set_defaults(needs_db=required)
    if required:
        help_text += " (required; its URL may be given as SOURCE instead)"
    group.add_argument("--db", metavar="URL", help=help_text)
    group.add_argument("--schema", metavar="NAME", help="the database schema (namespace) to use")


Run = Callable[[argparse.Namespace], int]


def _lazy(where: str) -> Run:
    """A command's ``run`` (``"module:function"`` of :mod:`syda.cli`), imported when it runs.

    The commands import pandas, SQLAlchemy and the rest of the library; ``syda --help`` and a
    usage error need none of it, so they answer at once.
    """
    module, function = where.split(":")

    def run(args: argparse.Namespace) -> int:
        command: Run = getattr(importlib.import_module(f"syda.cli.{module}"), function)
        if not getattr(args, "generators", None):
            return command(args)
        from syda.cli.user_generators import generator_files

        # Imported before the schema is read: a YAML type may be a kind the file registers.
        with generator_files(args):
            return command(args)

    return run


def _command(
    sub: argparse._SubParsersAction[_Parser],
    name: str,
    summary: str,
    run: str,
) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=f"{_EPILOGS[name]}\n\n{EXIT_CODES}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=_lazy(run), command=name)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``syda`` command and its subcommands."""
    parser = _Parser(
        prog="syda",
        description=_DESCRIPTION,
        epilog=_MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"syda {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)

    gen = _command(
        sub, "generate", "generate data into files or a database", "cmd_generate:run_generate"
    )
    gen.add_argument("source", nargs="?", metavar="SOURCE", help=_SOURCE_HELP)
    add_generation_options(gen)
    out = gen.add_argument_group("target")
    out.add_argument("--out", metavar="DIR", help="write one file per table into DIR")
    out.add_argument(
        "--format", choices=SUPPORTED_FORMATS, help="file format for --out (default csv)"
    )
    out.add_argument(
        "--csv-raw",
        action="store_true",
        help="write CSV cells verbatim: no ' before cells a spreadsheet would run as formulas",
    )
    scale = gen.add_argument_group("streaming (billions of rows, bounded memory)")
    scale.add_argument(
        "--chunk-rows",
        type=int,
        metavar="N",
        help="stream in chunks of N rows, memory bounded by N: to --out (one directory per "
        "table, one part file per chunk) or into --db (one transaction, a COPY or batch per "
        "chunk)",
    )
    scale.add_argument(
        "--engine",
        choices=("local", "dask"),
        help="where chunks run: this process (local, default) or a Dask cluster (streams)",
    )
    scale.add_argument(
        "--scheduler",
        metavar="URL",
        help="a Dask scheduler (tcp://host:8786) for --engine dask; default: a LocalCluster",
    )
    scale.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="local processes or LocalCluster workers (default 2)",
    )
    _database(gen, "a database: the target (and, without SOURCE, the source: reflected)")
    out.add_argument(
        "--if-exists",
        choices=("fail", "append", "replace"),
        default="fail",
        help="when database tables have rows: fail (default), append, or replace them",
    )
    out.add_argument(
        "--create-tables", action="store_true", help="create missing tables from SOURCE first"
    )
    out.add_argument(
        "--db-defaults",
        action="store_true",
        help="leave columns with a DEFAULT to the database (default: the DEFAULT is their "
        "common value)",
    )
    out.add_argument(
        "--dirty",
        metavar="FILE",
        help="inject the labelled defects of a YAML/JSON spec after the clean rows are made; "
        "--out DIR also gets _defects (the manifest) and one file per other source",
    )
    _common(gen)

    ins = _command(
        sub, "inspect", "show the plan of a run without generating", "cmd_inspect:run_inspect"
    )
    ins.add_argument("source", nargs="?", metavar="SOURCE", help=_SOURCE_HELP)
    add_generation_options(ins)
    ins.add_argument(
        "--prompt-preview",
        action="store_true",
        help="also show the prompt an LLM provider would get for each table",
    )
    _database(ins, "a database to reflect (when no SOURCE is given)")
    _common(ins)

    prof = _command(
        sub,
        "profile",
        "write how every column's values are drawn, as YAML",
        "cmd_profile:run_profile",
    )
    prof.add_argument("source", nargs="?", metavar="SOURCE", help=_SOURCE_HELP)
    prof.add_argument(
        "--profile",
        metavar="FILE",
        help=PROFILE_HELP + "; the merged profile is written",
    )
    prof.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the YAML to FILE (atomically: the whole file or none) instead of stdout",
    )
    add_generators_option(prof)
    add_prompt_option(prof)
    add_provider_options(prof)
    _database(prof, "a database to reflect (when no SOURCE is given)")
    _common(prof)

    val = _command(
        sub, "validate", "check files or a database against the schema", "cmd_validate:run_validate"
    )
    val.add_argument("source", nargs="?", metavar="SOURCE", help=_SOURCE_HELP)
    val.add_argument("--data", metavar="DIR", help="a directory of CSV/JSON/Parquet files")
    add_generators_option(val)
    _database(val, "a database: its rows are checked (and, without SOURCE, its own schema)")
    _common(val)

    seed = _command(sub, "seed", "fill an empty development database once", "cmd_database:run_seed")
    seed.add_argument("source", nargs="?", metavar="SOURCE", help=_SOURCE_HELP)
    _database(seed, "the database to fill", required=True)
    seed.add_argument(
        "--reset",
        nargs="?",
        const="empty",
        choices=("empty", "recreate"),
        help="empty the tables and refill them; 'recreate': drop them and create them from "
        "SOURCE first (for models that changed)",
    )
    seed.add_argument(
        "--fill-missing",
        action="store_true",
        help="fill only the tables that are absent or empty; keep the others",
    )
    seed.add_argument(
        "--only-if-env",
        metavar="NAME=VALUE",
        help="do nothing unless the environment variable NAME is VALUE (e.g. APP_ENV=dev)",
    )
    seed.add_argument(
        "--lock-timeout",
        type=float,
        default=DEFAULT_LOCK_TIMEOUT,
        metavar="SECONDS",
        help="how long to wait for another seeder of the database to finish "
        f"(default {DEFAULT_LOCK_TIMEOUT:g})",
    )
    add_generation_options(seed)
    _common(seed)

    status = _command(
        sub, "status", "show each table of a database and its rows", "cmd_database:run_status"
    )
    status.add_argument("source", nargs="?", metavar="SOURCE", help=_SOURCE_HELP)
    _database(status, "the database to look at", required=True)
    _common(status)
    add_traces_command(sub, _common, EXIT_CODES)
    return parser


ERROR_EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (UsageError, EXIT_USAGE),
    (ConfigurationError, EXIT_USAGE),
    (SchemaError, EXIT_USAGE),
    (PlanError, EXIT_USAGE),
    (GenerationError, EXIT_GENERATION),
    (OutputError, EXIT_OUTPUT),
    (OSError, EXIT_OUTPUT),
)
"""The exit code of each error class (the first class an error is an instance of); an error of
SQLAlchemy's exits with :data:`EXIT_OUTPUT` too. Any other exception is unexpected, a bug:
:data:`EXIT_GENERATION`, with its type in the message."""


def _database_error(exc: BaseException) -> bool:
    # An SQLAlchemy error can only exist once SQLAlchemy is imported: no need to import it here.
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.SQLAlchemyError)


def _exit_code(exc: BaseException) -> int:
    if _database_error(exc) and not isinstance(exc, (UsageError, SydaError)):
        return EXIT_OUTPUT
    for cls, code in ERROR_EXIT_CODES:
        if isinstance(exc, cls):
            return code
    return EXIT_GENERATION


_OPTIONS = (
    *(
        (f"{keyword}='{mode}'", f"--if-exists {mode}")
        for mode in ("append", "replace", "fail")
        for keyword in ("mode", "if_exists")
    ),
    ("create_tables=True", "--create-tables"),
    ("db_defaults=True", "--db-defaults"),
    ("reset=True", "--reset"),
    ("reset='empty'", "--reset"),
    ("reset='recreate'", "--reset recreate"),
    ("fill_missing=True", "--fill-missing"),
    ("(only_if_env)", "(--only-if-env)"),
    (
        "seed must be a non-negative whole number or None",
        "--seed must be a non-negative whole number or 'none'",
    ),
    ("lock_timeout", "--lock-timeout"),
    ("max_retries must", "--max-retries must"),
    ("mode names table", "--llm-mode names table"),
)
"""Library keywords in messages, and the command-line option that says the same."""


def cli_words(text: str) -> str:
    """``text`` with the library's keywords replaced by the options that say the same."""
    for keyword, option in _OPTIONS:
        text = text.replace(keyword, option)
    return text


_UNEXPECTED_CHARS = 200
"""Characters of an unexpected error's text that are shown."""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _message(exc: BaseException) -> str:
    if isinstance(exc, SchemaError) and len(exc.problems) > 1:
        # One line, then each problem on a line of its own: all of them are worth reading.
        listed = "\n".join(f"- {_one_line(p)}" for p in exc.problems)
        subject = getattr(exc, "subject", "the schema")
        return f"{len(exc.problems)} problems in {subject}:\n{listed}"
    if isinstance(exc, GenerationError):
        return str(exc)  # its violations, one per line
    if isinstance(exc, (SydaError, UsageError)):
        return cli_words(_one_line(str(exc)))
    if _database_error(exc):
        from syda.database.connect import error_text

        return f"database error: {error_text(exc)}"
    if isinstance(exc, OSError):
        return str(exc)
    # A bug: its type says most, and its text may be a whole input (a KeyError's key).
    text = _one_line(str(exc))
    if len(text) > _UNEXPECTED_CHARS:
        text = f"{text[:_UNEXPECTED_CHARS]}... ({len(text):,} characters)"
    name = type(exc).__name__
    return f"unexpected {name}: {text or '(no message)'} (run with --debug for the traceback)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``syda`` command line and return its exit code.

    Args:
        argv: The arguments (without the program name); ``sys.argv[1:]`` by default.

    Returns:
        The exit code (see the module docstring); ``--help``, ``--version`` and usage errors
        return theirs too instead of exiting the interpreter.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    problem = read_database_source(args)
    if problem is not None:
        error(f"{problem} (see 'syda {args.command} --help')")
        return EXIT_USAGE
    verbosity = -1 if args.quiet else args.verbose
    try:
        with cli_logging(verbosity):
            code: int = args.run(args)
            return code
    except KeyboardInterrupt:
        print("syda: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # ``syda inspect ... | head``: the reader left; nothing more to say.
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        from syda.database.connect import redact

        # Last line of defence: whatever the message quotes, the --db URL's secrets are masked.
        error(redact(_message(exc), getattr(args, "db", None)))
        return _exit_code(exc)
