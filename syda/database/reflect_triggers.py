"""Reflect a database's triggers into the IR: what each one writes when a row goes in.

SQLAlchemy does not reflect triggers, so they are read from each catalog: PostgreSQL's
``pg_trigger`` (with the source of the trigger function), MySQL/MariaDB's
``information_schema.TRIGGERS``, SQLite's ``sqlite_master``. For generation only two things
matter, read from the trigger's SQL:

* the columns of its own table it overwrites: ``NEW.last_update := now()`` (PL/pgSQL),
  ``SET NEW.create_date = NOW()`` (MySQL), an ``UPDATE <its table> SET last_update = ...`` after
  the insert (SQLite), or the column a built-in trigger function names
  (``tsvector_update_trigger('fulltext', ...)``);
* the tables it inserts rows into: sakila's ``ins_film`` copies every new film into
  ``film_text``, which therefore must not be filled a second time
  (:func:`syda.schema.triggers.filled_by_triggers`). The routines a trigger calls are read too
  (PostgreSQL's ``pg_proc``, MySQL's ``information_schema.ROUTINES``), as deep as they call
  each other: rosariosis' grade trigger calls ``t_update_mp_stats``, which calls
  ``calc_gpa_mp``, which inserts a row into ``student_mp_stats`` per student and marking period.
  An ``INSERT ... VALUES`` in the trigger's own body that no condition guards inserts one row
  each time it fires (``Trigger.copies``).

Reading is best effort: a body syda cannot read yields a trigger with nothing in ``sets`` and
``fills``, and ``syda inspect`` still lists it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

import sqlalchemy as sa

from syda.schema.ir import Schema, Trigger

__all__ = ["read_triggers", "with_triggers"]

# Built-in trigger functions whose first argument names the column they write.
_WRITES_FIRST_ARGUMENT = frozenset(
    {"tsvector_update_trigger", "tsvector_update_trigger_column", "moddatetime"}
)
# An assignment to NEW.col at the start of a statement (not a comparison inside a condition).
_ASSIGNED = re.compile(
    r"(?:^|;|\bBEGIN\b|\bTHEN\b|\bELSE\b|\bLOOP\b|\bSET\b|,)\s*NEW\s*\.\s*[`\"]?(\w+)[`\"]?\s*:?=(?!=)",
    re.IGNORECASE,
)
_INSERT_INTO = re.compile(
    r"\bINSERT\s+(?:OR\s+\w+\s+|IGNORE\s+)?INTO\s+((?:[`\"]?[\w$]+[`\"]?\s*\.\s*)?[`\"]?[\w$]+[`\"]?)",
    re.IGNORECASE,
)
_UPDATE_SET = re.compile(
    r"\bUPDATE\s+([`\"]?[\w$]+[`\"]?)\s+SET\s+(.*?)(?:\bWHERE\b|;|\bEND\b|$)",
    re.IGNORECASE | re.DOTALL,
)
_SQLITE_HEAD = re.compile(
    r"CREATE\s+(?:TEMP\w*\s+)?TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?\S+\s+"
    r"(BEFORE|AFTER|INSTEAD\s+OF)?\s*(INSERT|DELETE|UPDATE)\b",
    re.IGNORECASE,
)
_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
_CONDITION = re.compile(r"\b(?:IF|CASE|WHILE|LOOP|FOR|WHEN)\b", re.IGNORECASE)
_CALLED = re.compile(r"\b([A-Za-z_][\w$]*)\s*\(")
_STRING = re.compile(r"'(?:[^']|'')*'")
# pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h).
_PG_BEFORE, _PG_INSERT, _PG_DELETE, _PG_UPDATE, _PG_INSTEAD = 2, 4, 8, 16, 64


def read_triggers(conn: sa.Connection, schema: str | None) -> dict[str, tuple[Trigger, ...]]:
    """Every trigger of the tables in ``schema`` (default: the connection's), by table name."""
    reader = _READERS.get(conn.dialect.name)
    if reader is None:
        return {}
    found: dict[str, list[Trigger]] = {}
    for table, trigger in reader(conn, schema):
        found.setdefault(table, []).append(trigger)
    return {table: tuple(triggers) for table, triggers in found.items()}


def with_triggers(schema: Schema, triggers: Mapping[str, tuple[Trigger, ...]]) -> Schema:
    """``schema`` with each table's triggers."""
    if not triggers:
        return schema
    return Schema(
        tuple(
            dataclasses.replace(t, triggers=triggers[t.name]) if t.name in triggers else t
            for t in schema
        )
    )


# -- per database -------------------------------------------------------------------------------
def _postgres(conn: sa.Connection, schema: str | None) -> list[tuple[str, Trigger]]:
    rows = conn.execute(
        sa.text(
            "SELECT c.relname, t.tgname, t.tgtype, pg_get_triggerdef(t.oid), p.proname, "
            "p.prosrc FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE NOT t.tgisinternal AND n.nspname = COALESCE(:schema, current_schema()) "
            "ORDER BY c.relname, t.tgname"
        ),
        {"schema": schema},
    ).fetchall()
    routines = _routines(
        conn,
        "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = COALESCE(:schema, current_schema())",
        schema,
    )
    found = []
    for table, name, kind, definition, function, source in rows:
        kind = int(kind)
        timing = "INSTEAD OF" if kind & _PG_INSTEAD else "BEFORE" if kind & _PG_BEFORE else "AFTER"
        events = tuple(
            e
            for bit, e in ((_PG_INSERT, "INSERT"), (_PG_UPDATE, "UPDATE"), (_PG_DELETE, "DELETE"))
            if kind & bit
        )
        body = f"{definition}\n{source}" if source and source != function else str(definition)
        sets = _assigned(source or "", table)
        if function in _WRITES_FIRST_ARGUMENT:
            first = re.search(r"\(\s*'((?:[^']|'')*)'", str(definition).split(function, 1)[-1])
            sets += (first.group(1),) if first else ()
        trigger = _trigger(name, timing, events, sets, source or "", body, routines)
        found.append((str(table), trigger))
    return found


def _mysql(conn: sa.Connection, schema: str | None) -> list[tuple[str, Trigger]]:
    rows = conn.execute(
        sa.text(
            "SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, "
            "ACTION_STATEMENT FROM information_schema.TRIGGERS "
            "WHERE TRIGGER_SCHEMA = COALESCE(:schema, DATABASE()) "
            "ORDER BY EVENT_OBJECT_TABLE, ACTION_ORDER, TRIGGER_NAME"
        ),
        {"schema": schema},
    ).fetchall()
    routines = _routines(
        conn,
        "SELECT ROUTINE_NAME, ROUTINE_DEFINITION FROM information_schema.ROUTINES "
        "WHERE ROUTINE_SCHEMA = COALESCE(:schema, DATABASE())",
        schema,
    )
    return [
        (
            str(table),
            _trigger(
                name, str(timing), (str(event),), _assigned(body, table), body, body, routines
            ),
        )
        for table, name, timing, event, body in rows
    ]


def _routines(conn: sa.Connection, sql: str, schema: str | None) -> dict[str, str]:
    """The source of each function and procedure of the schema, by lower-cased name."""
    rows = conn.execute(sa.text(sql), {"schema": schema}).fetchall()
    return {str(name).lower(): str(source or "") for name, source in rows}


def _sqlite(conn: sa.Connection, schema: str | None) -> list[tuple[str, Trigger]]:
    prefix = '"' + schema.replace('"', '""') + '".' if schema else ""
    rows = conn.exec_driver_sql(
        f"SELECT tbl_name, name, sql FROM {prefix}sqlite_master "
        "WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY tbl_name, name"
    ).fetchall()
    found = []
    for table, name, sql in rows:
        head = _SQLITE_HEAD.search(_COMMENT.sub(" ", sql))
        timing = " ".join((head.group(1) or "BEFORE").upper().split()) if head else "BEFORE"
        events = (head.group(2).upper(),) if head else ()
        body = re.split(r"\bBEGIN\b", sql, maxsplit=1, flags=re.IGNORECASE)[-1]
        found.append(
            (str(table), _trigger(name, timing, events, _assigned(body, table), body, sql))
        )
    return found


_READERS = {"postgresql": _postgres, "mysql": _mysql, "mariadb": _mysql, "sqlite": _sqlite}


# -- reading a body -------------------------------------------------------------------------
def _trigger(
    name: str,
    timing: str,
    events: tuple[str, ...],
    sets: tuple[str, ...],
    code: str,
    body: str,
    routines: Mapping[str, str] | None = None,
) -> Trigger:
    reached = [code, *_called(code, routines or {})]
    return Trigger(
        name=str(name),
        timing=timing.upper(),
        events=tuple(e.upper() for e in events),
        sets=tuple(dict.fromkeys(sets)),
        fills=tuple(dict.fromkeys(t for part in reached for t in _inserted_into(part))),
        copies=_copied_into(code),
        body=body,
    )


def _called(code: str, routines: Mapping[str, str]) -> list[str]:
    """The sources of the routines ``code`` calls, and of those they call, each once."""
    seen: dict[str, str] = {}
    pending = [code]
    while pending:
        for called in _CALLED.findall(_bare(pending.pop())):
            name = called.lower()
            if name in routines and name not in seen:
                seen[name] = routines[name]
                pending.append(routines[name])
    return list(seen.values())


def _copied_into(code: str) -> tuple[str, ...]:
    """Tables an unguarded ``INSERT ... VALUES`` of ``code`` gives a row each time it runs."""
    bare = _bare(code)
    if _CONDITION.search(bare):
        return ()
    found = []
    for match in _INSERT_INTO.finditer(bare):
        statement = bare[match.end() :].split(";", 1)[0]
        if re.search(r"\bVALUES?\b", statement, re.IGNORECASE):
            found.append(_unquoted(match.group(1).split(".")[-1]))
    return tuple(dict.fromkeys(found))


def _bare(code: str) -> str:
    """The code without comments and string literals (they may hold anything)."""
    return _STRING.sub("''", _COMMENT.sub(" ", code))


def _assigned(code: str, table: str) -> tuple[str, ...]:
    """Columns of ``table`` a trigger body writes: ``NEW.col := ...`` or ``UPDATE table SET``."""
    bare = _bare(code)
    found = [m.group(1) for m in _ASSIGNED.finditer(bare)]
    for target, assignments in _UPDATE_SET.findall(bare):
        if _unquoted(target) == table:
            found += re.findall(r"(?:^|,)\s*[`\"]?(\w+)[`\"]?\s*=", assignments)
    return tuple(found)


def _inserted_into(code: str) -> tuple[str, ...]:
    names = [_unquoted(m.group(1).split(".")[-1]) for m in _INSERT_INTO.finditer(_bare(code))]
    return tuple(dict.fromkeys(names))


def _unquoted(name: str) -> str:
    return name.strip().strip('`"')
