"""``--generators FILE.py``: the user's own generators, from a Python file, for one command.

The file is plain Python, run once before the schema is read. It registers generators in
either or both of two ways:

* at import, ``syda.register_kind(...)``: a semantic kind, recognised from column names and
  filled by its ``fn(ctx)`` (also usable as a type in YAML schemas and as ``semantic:`` in a
  profile);
* a function ``register_generators(generator)``, called with the run's
  :class:`~syda.SyntheticDataGenerator`: there ``generator.register_generator(type, fn)``
  (per row) and ``generator.register_column_generator(type, fn)`` (per batch) take a column's
  semantic type, logical kind, declared SQL type (``"ARRAY"``, ``"TSVECTOR"``) or, with
  ``column_name=``, one column.

A file that fails (a syntax error, an exception at import or in ``register_generators``, a
registration syda refuses) is one error naming the file and the line; so is a generator of the
file that raises during the run. Kinds the file registered are removed when the command ends,
so :func:`syda.cli.main` called twice in one process starts clean each time.
"""

from __future__ import annotations

import argparse
import linecache
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any

from syda.cli.pyfiles import exec_file
from syda.errors import ConfigurationError, GenerationError

if TYPE_CHECKING:
    from syda.generator import SyntheticDataGenerator

__all__ = ["HOOK", "GeneratorFile", "apply_generator_files", "generator_files"]

HOOK = "register_generators"
"""The function of a generators file that gets the run's generator."""

_SOURCE_CHARS = 80
"""Characters of the failing source line quoted in a message."""


@dataclass(frozen=True)
class GeneratorFile:
    """One loaded ``--generators`` file."""

    label: str
    """The path as the user wrote it."""
    path: Path
    hook: Callable[[SyntheticDataGenerator], Any] | None


@contextmanager
def generator_files(args: argparse.Namespace) -> Iterator[list[GeneratorFile]]:
    """Load the ``--generators`` files of ``args`` for the command run inside the block.

    The files are kept as ``args.generator_files`` for :func:`apply_generator_files`; the kinds
    they registered are removed afterwards.

    Raises:
        ConfigurationError: If a file is missing, fails to import, or registers nothing.
        GenerationError: A generator of a file failed during the run (its message then names
            the file and line).
    """
    saved = _user_kinds()
    loaded: list[GeneratorFile] = []
    modules: list[str] = []
    try:
        for label in args.generators:
            before = _user_kinds()
            module = _import(label)
            modules.append(module.__name__)
            hook = getattr(module, HOOK, None)
            if hook is not None and not callable(hook):
                raise ConfigurationError(f"--generators {label}: {HOOK} is not a function")
            if hook is None and _user_kinds() == before:
                raise ConfigurationError(
                    f"--generators {label} registers nothing: define {HOOK}(generator) in it, "
                    "or call syda.register_kind(...) at its top level"
                )
            loaded.append(GeneratorFile(label, Path(module.__file__ or label).resolve(), hook))
        args.generator_files = loaded
        yield loaded
    except GenerationError as exc:
        _locate(exc, loaded)
        raise
    finally:
        _restore_kinds(saved)
        for name in modules:
            sys.modules.pop(name, None)


def apply_generator_files(generator: SyntheticDataGenerator, args: argparse.Namespace) -> None:
    """Call each file's ``register_generators(generator)`` (a no-op without ``--generators``).

    Raises:
        ConfigurationError: If a file's function fails (naming the file and the line).
    """
    for file in getattr(args, "generator_files", ()):
        if file.hook is None:
            continue
        try:
            file.hook(generator)
        except Exception as exc:
            line = _line_in(exc.__traceback__, file.path)
            if line is None:  # raised by the call itself: a wrong signature
                line = getattr(getattr(file.hook, "__code__", None), "co_firstlineno", None)
            raise _file_error(file.label, file.path, line, exc) from exc


def _import(label: str) -> ModuleType:
    path = Path(label).resolve()
    if not path.is_file():
        raise ConfigurationError(f"--generators {label}: no such file")
    if path.suffix != ".py":
        raise ConfigurationError(f"--generators {label}: not a Python file (FILE.py)")
    try:
        module = exec_file(path, "_syda_generators")
    except Exception as exc:
        if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename) == path:
            line = exc.lineno
        else:
            line = _line_in(exc.__traceback__, path)
        raise _file_error(label, path, line, exc) from exc
    if module is None:
        raise ConfigurationError(f"--generators {label}: not a Python file syda can import")
    return module


def _line_in(tb: TracebackType | None, path: Path) -> int | None:
    """The line of the innermost frame of ``tb`` that runs ``path``."""
    line = None
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename) == path:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _file_error(label: str, path: Path, line: int | None, exc: BaseException) -> ConfigurationError:
    where = f"--generators {label}" + (f", line {line}" if line else "")
    text = exc.msg if isinstance(exc, SyntaxError) else str(exc)
    quoted = _source(path, line)
    return ConfigurationError(f"{where}: {type(exc).__name__}: {text}{quoted}")


def _source(path: Path, line: int | None) -> str:
    code = linecache.getline(str(path), line).strip() if line else ""
    if not code:
        return ""
    if len(code) > _SOURCE_CHARS:
        code = code[: _SOURCE_CHARS - 3] + "..."
    return f" (in: {code})"


def _locate(exc: GenerationError, files: Sequence[GeneratorFile]) -> None:
    """Add the file and line to the error of a user generator that raised during the run."""
    cause = exc.__cause__
    for file in files:
        line = _line_in(cause.__traceback__, file.path) if cause is not None else None
        if line is not None:
            exc.message += f" (--generators {file.label}, line {line})"
            return


_Kinds = dict[str, tuple[Any, Any]]


def _user_kinds() -> _Kinds:
    """The user kinds now registered, with their generators."""
    from syda.generators.kinds import KINDS, all_kinds, registered_generator

    user = all_kinds()[: len(all_kinds()) - len(KINDS)]
    return {k.name: (k, registered_generator(k.name)) for k in user}


def _restore_kinds(saved: _Kinds) -> None:
    """Put the user kinds back as they were before the files ran."""
    from syda.generators.kinds import add_kind, unregister_kind

    now = _user_kinds()
    for name in now:
        if name not in saved:
            unregister_kind(name)
    # Oldest first, as they were registered (the newest is checked first).
    for name, (kind, generate) in reversed(list(saved.items())):
        if now.get(name) != (kind, generate):
            add_kind(kind, generate)
