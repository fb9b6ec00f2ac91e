"""Options shared by the commands that generate: rows, cardinality, prompts, provider, seed.

They are parsed here into the keyword arguments of the library
(:meth:`~syda.SyntheticDataGenerator.generate_related_data` and ``seed_database``), so every
command reads them the same way.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from syda.generator import SyntheticDataGenerator
    from syda.generators.keys import CardinalitySpec
    from syda.profile import Profile
    from syda.schema.ir import Schema

__all__ = [
    "GenerationOptions",
    "UsageError",
    "add_generation_options",
    "add_generators_option",
    "add_prompt_option",
    "add_provider_options",
    "build_generator",
    "generation_options",
    "prompt_options",
]

# At most 100 digits: far more than any run, and int() never meets a thousand-digit string.
_COUNT = re.compile(r"\s*[0-9]{1,100}\s*")
_SEED = re.compile(r"\s*[-+]?[0-9]{1,100}\s*")
PROFILE_THRESHOLD = 500
"""``ModelConfig.profile_threshold``'s default (not imported: ``--help`` stays fast)."""
_MODES = ("auto", "profile", "rows")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]{0,100}")
"""What may be a table's name before ``=`` in ``--prompt``."""


class UsageError(Exception):
    """A command-line option is malformed (exit code 2, like an argparse error)."""


@dataclass(frozen=True)
class GenerationOptions:
    """The generation options of one command, in the library's terms."""

    default_rows: int = 10
    sample_sizes: dict[str, int] = field(default_factory=dict)
    cardinality: dict[str, CardinalitySpec] = field(default_factory=dict)
    prompts: dict[str, str] = field(default_factory=dict)
    profile: Profile | None = None
    """The ``--profile`` file, read and checked against the schema."""

    def library_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``generate_related_data`` and ``seed_database``."""
        return {
            "prompts": self.prompts or None,
            "sample_sizes": self.sample_sizes,
            "cardinality": self.cardinality or None,
            "default_sample_size": self.default_rows,
            "profile": self.profile,
        }


PROFILE_HELP = (
    "a profile YAML/JSON file (what 'syda profile' writes) applied over the schema's own specs: "
    "how each column's values are drawn"
)


GENERATORS_HELP = (
    "a Python file of your own generators (repeatable): it calls syda.register_kind(...) "
    "and/or defines register_generators(generator), called with the run's generator"
)


def add_generators_option(group: argparse._ActionsContainer) -> None:
    """Add ``--generators FILE.py`` (see :mod:`syda.cli.user_generators`)."""
    group.add_argument(
        "--generators", action="append", default=[], metavar="FILE.py", help=GENERATORS_HELP
    )


def add_generation_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--rows``, ``--cardinality``, ``--prompt``, ``--profile``, ``--seed``, providers."""
    group = parser.add_argument_group("what to generate")
    group.add_argument(
        "--rows",
        action="append",
        default=[],
        metavar="[TABLE=]N",
        help="rows per table: N for every table (default 10), TABLE=N for one (repeatable)",
    )
    group.add_argument(
        "--cardinality",
        action="append",
        default=[],
        metavar="TABLE.FK=SPEC",
        help="children per parent along a foreign key: N, MIN-MAX or ~MEAN (repeatable)",
    )
    add_prompt_option(group)
    group.add_argument("--profile", metavar="FILE", help=PROFILE_HELP)
    add_generators_option(group)
    group.add_argument(
        "--seed",
        default="0",
        metavar="N",
        help="random seed: the same seed gives the same data (default 0; 'none' for fresh data)",
    )
    add_provider_options(parser)


def add_prompt_option(group: argparse._ActionsContainer) -> None:
    """Add ``--prompt [TABLE=]TEXT`` (repeatable)."""
    group.add_argument(
        "--prompt",
        action="append",
        default=[],
        metavar='[TABLE=]"TEXT"',
        help="what the data is about, for every table or for one (repeatable); "
        "a prompt for every table comes before a table's own",
    )


def add_provider_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--provider``, ``--model``, ``--base-url``, ``--llm-mode`` and the time limits."""
    provider = parser.add_argument_group("provider")
    provider.add_argument(
        "--provider",
        default="offline",
        metavar="NAME",
        help="what fills the value columns: offline (default, no network), openai, anthropic, "
        "azure, or an installed plugin's (entry point group syda.providers)",
    )
    provider.add_argument("--model", help="the LLM model name (LLM providers only)")
    provider.add_argument(
        "--llm-mode",
        action="append",
        default=[],
        metavar="[TABLE=]MODE",
        help="how the LLM fills a table: profile (it writes the table's profile once, the rows "
        "are drawn locally), rows (it writes every row) or auto (default: profile from "
        f"{PROFILE_THRESHOLD} rows); for every table, or TABLE=MODE for one (repeatable)",
    )
    provider.add_argument(
        "--base-url",
        metavar="URL",
        help="an OpenAI-compatible server (Ollama, vLLM, LM Studio, Gemini's endpoint) for "
        "--provider openai; the resource's endpoint for --provider azure",
    )
    provider.add_argument(
        "--timeout",
        metavar="SECONDS",
        help="seconds to wait for one LLM reply (default 50, env SYDA_TIMEOUT); a timeout is "
        "retried only once the server has answered in this run",
    )
    provider.add_argument(
        "--max-retries",
        metavar="N",
        help="attempts per call on rate limits, server errors and timeouts "
        "(default 6, env SYDA_MAX_RETRIES)",
    )
    provider.add_argument(
        "--deadline",
        metavar="SECONDS",
        help="seconds for all the LLM calls of the run (default none, env SYDA_DEADLINE)",
    )


def _shown(value: object) -> str:
    """``value`` as messages quote it (bounded).

    Imported when a message needs it: the schema package it lives in imports pandas.
    """
    from syda.schema.limits import shown as bounded

    return bounded(value)


def _count(text: str, option: str) -> int:
    # ASCII digits only (str.isdigit() takes "²", which int() refuses); a count is checked
    # against the schema and the memory of the machine by the planner, like the API's.
    if not _COUNT.fullmatch(text):
        raise UsageError(f"{option} needs a non-negative whole number, got {_shown(text)}")
    return int(text)


def generation_options(args: argparse.Namespace, schema: Schema) -> GenerationOptions:
    """Read the generation options of ``args`` against the tables of ``schema``.

    Raises:
        UsageError: If an option is malformed.
        ProfileFileError: If the ``--profile`` file has problems (all of them are listed).
    """
    from syda.cli.profiles import read_profile_file

    default_rows = 10
    sizes: dict[str, int] = {}
    for value in args.rows:
        name, sep, count = value.rpartition("=")
        if sep:
            if not name.strip():
                raise UsageError(f"--rows {_shown(value)}: the table name is missing before '='")
            sizes[name.strip()] = _count(count, f"--rows {name.strip()[:60]}=")
        else:
            default_rows = _count(value, "--rows")
    cardinality: dict[str, CardinalitySpec] = {}
    for value in args.cardinality:
        # Keys and specs are checked by the planner, the one check the API goes through too.
        name, sep, spec = value.partition("=")
        if not sep:
            raise UsageError(f"--cardinality is written TABLE.FK_COLUMN=SPEC, got {_shown(value)}")
        cardinality[name.strip()] = spec.strip()
    profile = None if args.profile is None else read_profile_file(args.profile, schema)
    prompts = prompt_options(args.prompt, schema)
    return GenerationOptions(default_rows, sizes, cardinality, prompts, profile)


def prompt_options(values: Sequence[str], schema: Schema) -> dict[str, str]:
    """Read ``--prompt`` values into per-table prompts (a prompt for every table first).

    Raises:
        UsageError: If the word before ``=`` is close to a table's name but names none.
    """
    tables = {t.key: t.key for t in schema} | {t.name: t.key for t in schema}
    shared: list[str] = []
    own: dict[str, list[str]] = {}
    for value in values:
        name, sep, text = value.partition("=")
        # Only a known table before '=' makes it a table's prompt: "tone=formal" is a prompt.
        if sep and name.strip() in tables:
            own.setdefault(tables[name.strip()], []).append(text.strip())
        else:
            _refuse_misspelt_table(name if sep else "", tables)
            shared.append(value.strip())
    prompts: dict[str, str] = {}
    for table in schema:
        parts = [*shared, *own.get(table.key, [])]
        if parts:
            prompts[table.key] = "\n".join(p for p in parts if p)
    return prompts


def _refuse_misspelt_table(name: str, tables: Mapping[str, str]) -> None:
    """A prompt ``Custmer="..."`` meant the table Customer: say so rather than send it to all.

    Raises:
        UsageError: If the word before ``=`` is close to a table's name.
    """
    from syda.suggest import closest

    word = name.strip()
    match = closest(word, tables) if _WORD.fullmatch(word) else None
    if match is not None:
        raise UsageError(
            f"--prompt {word}=...: the schema has no table {word!r}; did you mean {match}=...? "
            "(a prompt for every table has no TABLE= in front)"
        )


def parse_seed(text: str) -> int | None:
    """Read ``--seed``: a whole number, or ``none`` for fresh randomness on every run.

    Raises:
        UsageError: If the value is neither.
    """
    if text.strip().lower() == "none":
        return None
    # The range (from 0, any size) is the API's check, in SyntheticDataGenerator.
    if not _SEED.fullmatch(text):
        raise UsageError(f"--seed needs a whole number or 'none', got {_shown(text)}")
    return int(text)


def parse_llm_mode(values: Sequence[str]) -> Any:
    """Read ``--llm-mode``: ``MODE`` for every table, ``TABLE=MODE`` for one (a mapping then).

    Table names are checked against the schema when the run is planned.

    Raises:
        UsageError: If a mode is not auto, profile or rows, or a table name is missing.
    """
    every: str | None = None
    tables: dict[str, str] = {}
    for value in values:
        table, sep, mode = value.rpartition("=")
        mode = mode.strip().lower()
        if mode not in _MODES:
            raise UsageError(f"--llm-mode {_shown(value)}: the mode is one of {', '.join(_MODES)}")
        if not sep:
            every = mode
        elif not table.strip():
            raise UsageError(f"--llm-mode {_shown(value)}: the table name is missing before '='")
        else:
            tables[table.strip()] = mode
    if not tables:
        return every
    return {**({"*": every} if every else {}), **tables}


def _time_limits(args: argparse.Namespace) -> dict[str, Any]:
    """``--timeout``/``--max-retries``/``--deadline`` over their ``SYDA_*`` variables.

    Unlike the provider and the model, these may come from the environment: they bound how
    long a run waits, never what data it makes.
    """
    from syda.providers.config import limits_from_env

    limits = limits_from_env()
    for option, keyword, parse in (
        ("--timeout", "timeout", float),
        ("--max-retries", "max_retries", int),
        ("--deadline", "deadline", float),
    ):
        text = getattr(args, keyword)
        if text is None:
            continue
        try:
            limits[keyword] = parse(text)
        except ValueError:
            what = "a whole number" if parse is int else "a number of seconds"
            raise UsageError(f"{option} needs {what}, got {text[:40]!r}") from None
    return limits


def build_generator(args: argparse.Namespace) -> SyntheticDataGenerator:
    """Create the generator for the provider options (``--provider`` to ``--deadline``), ``--seed``.

    The provider is always the one named (``offline`` by default), never one picked from the
    API keys in the environment, so a command gives the same data wherever it runs.

    Raises:
        UsageError: If ``--seed`` or a time limit is malformed, or ``--model``, ``--base-url``
            or a time limit is given to the offline provider.
        ConfigurationError: If the provider is unknown, not available, or has no key, or a
            time limit is out of range (also from ``SYDA_TIMEOUT`` and the like).
    """
    seed = parse_seed(getattr(args, "seed", "0"))
    name = args.provider.strip().lower()
    if name == "offline" and (args.model or args.base_url or args.llm_mode):
        raise UsageError(
            "--model, --base-url and --llm-mode need an LLM provider (--provider openai, ...)"
        )
    limited = [o for o in ("timeout", "max_retries", "deadline") if getattr(args, o) is not None]
    if name == "offline" and limited:
        options = ", ".join("--" + o.replace("_", "-") for o in limited)
        verb = "needs" if len(limited) == 1 else "need"
        raise UsageError(f"{options} {verb} an LLM provider (the offline one makes no calls)")
    from syda.generator import SyntheticDataGenerator
    from syda.providers.config import ModelConfig

    config = ModelConfig(
        provider=name,  # checked against the provider registry
        model_name=args.model,
        base_url=args.base_url,
        **(_time_limits(args) if name != "offline" else {}),
        **({"mode": parse_llm_mode(args.llm_mode)} if args.llm_mode else {}),
    )
    generator = SyntheticDataGenerator(config, seed=seed)
    if getattr(args, "generators", None):
        from syda.cli.user_generators import apply_generator_files

        apply_generator_files(generator, args)
    return generator
