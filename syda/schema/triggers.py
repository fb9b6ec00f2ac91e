"""What a schema's triggers do to the rows syda writes (see :attr:`~syda.schema.ir.Table.triggers`).

Two effects matter when writing into the database the triggers live in:

* a trigger on ``INSERT`` into one table that inserts rows into another (sakila's ``ins_film``
  copies each film into ``film_text``; rosariosis' grade trigger, through the routines it calls,
  adds a ``student_mp_stats`` row per student and marking period) fills that other table:
  generating it too would write its rows twice (a duplicate key at best), or more rows than
  asked. :func:`filled_by_triggers` names such tables; the
  generator writes none of their rows, the database makes them. A table other tables point at
  is still generated, since their keys need its rows first.
* a trigger that sets columns of the rows being inserted (``NEW.last_update := now()``, an
  ``UPDATE ... SET`` after the insert) overwrites what syda generated there; on ``UPDATE`` it
  does so when syda sets the keys that close a cycle. :func:`trigger_notes` lists both for
  ``syda inspect``.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from syda.schema.ir import Schema, Table, Trigger

__all__ = [
    "TriggerFill",
    "filled_by_triggers",
    "trigger_notes",
    "trigger_section",
    "without_trigger_filled",
]

logger = logging.getLogger("syda")


@dataclass(frozen=True)
class TriggerFill:
    """A table that a trigger on another table fills."""

    table: str
    """The key of the filled table."""
    trigger: str
    source: str
    """The key of the table whose inserts fire the trigger."""
    copies: bool = False
    """Whether it inserts one row for each row of the source (a copy), else what it derives
    from them (one row per student and marking period): its row count is the trigger's."""


def filled_by_triggers(schema: Schema) -> dict[str, TriggerFill]:
    """The tables of ``schema`` that an INSERT trigger on another of its tables fills, by key."""
    by_name = {t.name: t for t in schema}
    referenced = {fk.ref_table for t in schema for fk in t.foreign_keys if fk.ref_table != t.key}
    found: dict[str, TriggerFill] = {}
    for table in schema:
        for trigger in table.triggers:
            if "INSERT" not in trigger.events:
                continue
            for name in trigger.fills:
                target = by_name.get(name)
                if target is None or target.key == table.key or target.key in referenced:
                    continue
                copies = name in trigger.copies
                fill = TriggerFill(target.key, trigger.name, table.key, copies)
                found.setdefault(target.key, fill)
    return found


def without_trigger_filled(schema: Schema, sizes: Mapping[str, int]) -> dict[str, int]:
    """Sample sizes that give the tables triggers fill no rows of syda's (writing into a database).

    A size the caller asked for such a table is dropped, with a warning: the trigger decides.
    """
    filled = filled_by_triggers(schema)
    names = {n: key for key in filled for n in (key, schema.table(key).name)}
    out: dict[str, int] = {}
    for name, rows in sizes.items():
        if name in names:
            fill = filled[names[name]]
            logger.warning(
                "%s: %s rows asked, but trigger %s on %s fills it: syda writes none",
                name,
                rows,
                fill.trigger,
                fill.source,
            )
            continue
        out[name] = rows
    return {**out, **dict.fromkeys(filled, 0)}


def trigger_notes(schema: Schema, updated: Collection[str] = ()) -> list[str]:
    """One line per trigger that writes rows or overwrites generated values.

    Args:
        schema: The schema.
        updated: Keys of the tables whose rows syda updates after inserting them (the keys
            that close a cycle): their UPDATE triggers fire too.
    """
    filled = filled_by_triggers(schema)
    notes: list[str] = []
    for table in schema:
        for trigger in table.triggers:
            note = _note(schema, table, trigger, filled, table.key in updated)
            if note:
                notes.append(f"{table.key}: {trigger.name} ({_when(trigger)}) {note}")
    return notes


def trigger_section(schema: Schema, updated: Collection[str] = ()) -> list[str]:
    """``syda inspect``'s lines on triggers (none when no trigger writes anything)."""
    notes = trigger_notes(schema, updated)
    if not notes:
        return []
    return ["", "Triggers the database runs on the rows syda writes:", *(f"  {n}" for n in notes)]


def _note(
    schema: Schema, table: Table, trigger: Trigger, filled: dict[str, TriggerFill], updated: bool
) -> str:
    fires = "INSERT" in trigger.events or (updated and "UPDATE" in trigger.events)
    if not fires:
        return ""
    parts: list[str] = []
    own = [c for c in trigger.sets if table.has_column(c)]
    if own:
        parts.append(f"overwrites {', '.join(own)}")
    if "INSERT" in trigger.events:
        for name in trigger.fills:
            target = next((t for t in schema if t.name == name), None)
            if target is None or target.key == table.key:
                continue
            if target.key in filled:
                how = "" if name in trigger.copies else " with rows it derives"
                parts.append(f"fills {target.key}{how}, whose rows syda leaves to it in a database")
            else:
                parts.append(
                    f"fills {target.key}, which syda fills too (other tables point at it): "
                    "the two may collide on its keys"
                )
    return "; ".join(parts)


def _when(trigger: Trigger) -> str:
    return f"{trigger.timing} {' OR '.join(trigger.events)}"
