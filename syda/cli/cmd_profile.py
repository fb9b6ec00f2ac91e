"""``syda profile``: the effective profile of a source, as YAML a person can edit and apply back.

Every value column's spec is written, inferred or declared, so the file says how the data of
``syda generate`` is drawn; applying it unedited (``--profile FILE``) changes nothing, applying it
edited changes exactly what was edited.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from syda.cli.options import UsageError, build_generator, prompt_options
from syda.cli.profiles import read_profile_file
from syda.cli.sources import load_source
from syda.errors import OutputError
from syda.generator import SyntheticDataGenerator
from syda.profile import dump_profile

__all__ = ["profile_text", "run_profile"]

_LABEL_CHARS = 200
"""Characters of the source's label shown in the header comment."""


def run_profile(args: argparse.Namespace) -> int:
    """Run ``syda profile``; return the exit code.

    Raises:
        SydaError: If the schema or the ``--profile`` file cannot be read or has problems.
        OutputError: If ``--output`` cannot be written (the file is then left as it was).
    """
    loaded = load_source(args.source, args.db, args.schema)
    overlay = None if args.profile is None else read_profile_file(args.profile, loaded.schema)
    prompts = prompt_options(args.prompt, loaded.schema)
    # Offline, the effective profile does not depend on the seed; an LLM writes a layer of it.
    generator = build_generator(args)
    profile = generator.profile(loaded.schema, overlay, prompts=prompts or None)
    report = generator.last_report
    written = f"{generator.provider.name} {_model(generator)}" if report else None
    text = profile_text(
        dump_profile(profile), source=loaded.label, overlay=args.profile, written_by=written
    )
    if report is not None and not args.quiet:
        cost = "n/a" if report.cost_usd is None else f"${report.cost_usd:.4f}"
        cached = sum(t.cached_calls for t in report.tables.values())
        print(
            f"{written} wrote the profiles of {len(report.tables)} tables: "
            f"{report.provider_calls} calls ({cached} from the cache), "
            f"{report.input_tokens:,}/{report.output_tokens:,} tokens in/out, about {cost}",
            file=sys.stderr,
        )
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_atomically(Path(args.output), text)
    if not args.quiet:
        print(
            f"wrote the profile of {len(profile.tables)} tables to {args.output}", file=sys.stderr
        )
    return 0


def _clean(text: str) -> str:
    """One line of printable text, bounded: it goes into a YAML comment."""
    line = "".join(c if c.isprintable() else "?" for c in " ".join(text.split()))
    return line if len(line) <= _LABEL_CHARS else line[: _LABEL_CHARS - 3] + "..."


def _model(generator: SyntheticDataGenerator) -> str:
    config = getattr(generator.provider, "config", None)
    return str(getattr(config, "model", ""))


def profile_text(
    body: str, *, source: str, overlay: str | None, written_by: str | None = None
) -> str:
    """The YAML of a profile under a header comment saying what it is and how to apply it."""
    applied = f", with {_clean(overlay)} applied" if overlay else ""
    origin = "inferred by syda or declared in the schema"
    if written_by:
        origin = f"inferred by syda, written by the LLM {_clean(written_by)}, or declared"
    header = [
        f"# The syda profile of {_clean(source)}{applied}.",
        f"# How every column's values are drawn: {origin}.",
        "# Edit any spec (weights, distributions, expressions, null rules...) and apply it with",
        "#   syda generate SOURCE --profile THIS_FILE ...",
        "# Unedited, it gives the same data as a run without it, for the same --seed.",
    ]
    return "\n".join(header) + "\n" + body


def write_atomically(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` through a temporary file renamed over it.

    Raises:
        UsageError: If ``target`` is a directory.
        OutputError: If the file cannot be written; ``target`` is then as it was.
    """
    if target.is_dir():
        raise UsageError(f"--output {target} is a directory; name a file")
    try:
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".syda-", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private; a profile is meant to be shared and committed.
        os.chmod(temp, mode)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
