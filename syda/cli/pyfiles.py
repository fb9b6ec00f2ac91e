"""Running a Python file the user names (a models file, a ``--generators`` file) as a module."""

from __future__ import annotations

import importlib.util
import sys
import zlib
from pathlib import Path
from types import ModuleType

__all__ = ["exec_file"]


def exec_file(path: Path, prefix: str) -> ModuleType | None:
    """Import the file at ``path`` (resolved) under a name of its own; None if it cannot be.

    The name holds a hash of the path, so two files called ``models.py`` never replace each
    other, and the module is in ``sys.modules`` (SQLAlchemy resolves string annotations through
    ``sys.modules[cls.__module__]``). The file's folder is on ``sys.path`` while it runs, so its
    sibling imports (``from base import Base``) work. What the file raises is raised, with the
    module taken out of ``sys.modules`` again.
    """
    name = f"{prefix}_{zlib.crc32(str(path).encode()):08x}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    parent = str(path.parent)
    added = parent not in sys.path
    if added:
        sys.path.insert(0, parent)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    finally:
        if added:
            sys.path.remove(parent)
    return module
