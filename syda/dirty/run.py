"""Dirty data inside a generation run: checked before, applied after validation, written out.

:func:`check_dirty` runs before any row is drawn, so a spec that names an unknown column or
asks for conflicting sources in a database costs nothing. :func:`dirty_dataset` applies the
defects and refuses a database write the dirty rows could not survive: a database enforces its
constraints, so dirty rows that break them would only fail half-way (or, where it does not
check, be silently changed). :func:`dirty_files` gives the extra files: the manifest
(``_defects``) and one file per other source (``customers@billing``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from syda.dirty.apply import DirtyData, make_dirty, resolve
from syda.dirty.spec import DirtySpec, load_dirty_spec
from syda.errors import OutputError
from syda.schema.ir import Schema
from syda.validation import check_dataset

__all__ = ["MANIFEST_NAME", "check_dirty", "dirty_dataset", "dirty_files"]

MANIFEST_NAME = "_defects"
DirtySource = DirtySpec | dict[str, Any] | str


def check_dirty(schema: Schema, dirty: DirtySource, *, to_database: bool) -> DirtySpec:
    """The spec, read and checked against ``schema``.

    Raises:
        SchemaError: If the spec is malformed or does not fit the schema.
        OutputError: If it asks for other sources and the rows go to a database.
    """
    spec = load_dirty_spec(dirty)
    resolve(schema, spec)
    if to_database and spec.conflicts:
        raise OutputError(
            "dirty data with conflicts makes other sources' copies of "
            f"{', '.join(spec.conflicts)}, which a database of this schema cannot hold: "
            "write them to files (output_dir / --out)"
        )
    return spec


def dirty_dataset(
    schema: Schema,
    frames: Mapping[str, pd.DataFrame],
    spec: DirtySpec,
    *,
    seed: int | None,
    to_database: bool,
) -> DirtyData:
    """Apply ``spec`` to the clean ``frames``.

    Raises:
        OutputError: If the rows go to a database and the defects break its constraints
            (each broken rule named); nothing is written then.
    """
    made = make_dirty(schema, frames, spec, seed=seed)
    if to_database:
        broken = check_dataset(schema, made.frames)
        if broken:
            shown = "; ".join(f"{v.table}.{v.column or '*'} [{v.rule}]" for v in broken[:5])
            more = f" and {len(broken) - 5} more" if len(broken) > 5 else ""
            raise OutputError(
                f"the dirty data breaks {len(broken)} constraints of the database ({shown}"
                f"{more}): a database refuses such rows; write them to files, or declare only "
                "defects its constraints allow"
            )
    return made


def dirty_files(schema: Schema, made: DirtyData) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The extra frames to write beside the tables, and their file names."""
    names = {t.key: t.name for t in schema}
    frames: dict[str, pd.DataFrame] = {}
    stems: dict[str, str] = {}
    for label, frame in made.sources.items():
        key, _, source = label.partition("@")
        frames[label], stems[label] = frame, f"{names.get(key, key)}@{source}"
    manifest = made.manifest.copy()
    for column in ("clean", "dirty"):
        # Text, so every file format holds values of mixed types (a date, then "N/A").
        manifest[column] = [None if v is None else str(v) for v in manifest[column]]
    frames[MANIFEST_NAME], stems[MANIFEST_NAME] = manifest, MANIFEST_NAME
    return frames, stems
