"""``syda inspect``: show the plan of a run (order, cycles, who fills each column) and nothing more.

Nothing is generated: the plan is built exactly as ``syda generate`` would build it, from the
same options, and printed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping

from syda.cli.console import render_table
from syda.cli.options import build_generator, generation_options
from syda.cli.sources import load_source
from syda.cli.specs import column_spec_text, table_spec_lines
from syda.generator import SyntheticDataGenerator
from syda.plan import Plan, TablePlan
from syda.profile import Profile
from syda.providers.mixed import meaning_columns
from syda.schema.ir import Column, Schema, Table
from syda.schema.limits import shown_bound
from syda.schema.triggers import trigger_section
from syda.validation.unique_rules import describe_rule

__all__ = ["describe_plan", "run_inspect"]


def run_inspect(args: argparse.Namespace) -> int:
    """Run ``syda inspect``; return the exit code.

    Raises:
        SydaError: If the schema cannot be read or the plan cannot be made.
    """
    loaded = load_source(args.source, args.db, args.schema)
    options = generation_options(args, loaded.schema)
    generator = build_generator(args)
    plan = generator.plan(
        loaded.schema,
        sample_sizes=options.sample_sizes,
        cardinality=options.cardinality or None,
        default_sample_size=options.default_rows,
        profile=options.profile,
    )
    print(describe_plan(plan, source=loaded.label, provider=generator.provider.name))
    config = getattr(generator.provider, "config", None)
    if config is not None:
        print()
        print(_llm_modes(plan, config.mode_for))
    if args.prompt_preview:
        print()
        print(_prompt_preview(generator, loaded.schema, plan, options.prompts, options.profile))
    return 0


def describe_plan(plan: Plan, *, source: str, provider: str) -> str:
    """The plan as text: order with row counts, cycles and how they are broken, every column."""
    lines = [f"Plan for {source}: {len(plan.order)} tables, provider {provider}", ""]
    lines.append("Generation order:")
    order_rows = [
        [f"{i}.", key, plan.tables[key].table.name, _rows(plan.tables[key])]
        for i, key in enumerate(plan.order, 1)
    ]
    lines += [
        "  " + line
        for line in render_table(
            ["", "table", "sql name", "rows"], order_rows, right=(0,)
        ).splitlines()
    ]
    lines.append("")
    if plan.deferred:
        lines.append("Cycles, broken by filling these foreign keys in a second pass:")
        for key, fkp in plan.deferred:
            fk = fkp.fk
            table = plan.tables[key].table
            nullable = all(table.column(c).nullable for c in fk.columns)
            how = "NULL allowed" if nullable else "NOT NULL"
            if fk.deferrable:
                how += ", deferrable"
            lines.append(
                f"  {key}.{', '.join(fk.columns)} -> {fk.ref_table}.{', '.join(fk.ref_columns)}"
                f"  ({how}; filled once {fk.ref_table} has rows)"
            )
    else:
        lines.append("Cycles: none")
    lines += trigger_section(plan.schema, {key for key, _ in plan.deferred})
    for key in plan.order:
        lines += ["", *_describe_table(plan.tables[key])]
    return "\n".join(lines)


def _rows(tp: TablePlan) -> str:
    if tp.rows is not None:
        return f"{tp.rows:,}"
    for fkp in tp.foreign_keys:
        card = fkp.cardinality
        if card is not None:
            if card.mean is not None:
                per = f"~{card.mean:g}"
            elif card.fn is not None:
                per = "a function"
            else:
                per = f"{card.low}" if card.low == card.high else f"{card.low}-{card.high}"
            return f"{per} per {fkp.fk.ref_table}"
    return "?"


def _describe_table(tp: TablePlan) -> list[str]:
    table = tp.table
    title = f"{table.key} ({table.name}), {_rows(tp)} rows"
    lines = [title, "=" * len(title)]
    if tp.rows_note:
        lines.append(tp.rows_note)
    if table.description:
        lines.append(" ".join(table.description.split()))
    rows = []
    for column in table.columns:
        source = tp.sources.get(column.name)
        filled = f"{source.kind}: {source.detail}" if source and source.detail else ""
        if source and not source.detail:
            filled = source.kind
        rows.append(
            [
                column.name,
                _type(column),
                ", ".join(_constraints(table, column)),
                filled,
                column_spec_text(tp.profile.columns.get(column.name)),
                " ".join((column.comment or "").split()),
            ]
        )
    header = ["column", "type", "constraints", "filled by", "spec", "comment"]
    lines += render_table(header, rows).splitlines()
    extra = _table_constraints(table)
    if extra:
        lines += ["table constraints:", *(f"  {c}" for c in extra)]
    patterns = table_spec_lines(tp.profile)
    if patterns:
        lines += ["table profile:", *(f"  {p}" for p in patterns)]
    return lines


def _type(column: Column) -> str:
    return column.sql_type or column.kind


def _constraints(table: Table, column: Column) -> list[str]:
    found: list[str] = []
    if column.name in table.primary_key:
        found.append("PK")
    if not column.nullable:
        found.append("NOT NULL")
    if column.unique and column.name not in table.primary_key:
        found.append("UNIQUE")
    for fk in table.foreign_keys:
        if column.name in fk.columns:
            found.append(f"FK -> {fk.ref_table}.{fk.ref_columns[fk.columns.index(column.name)]}")
    if column.minimum is not None:
        found.append(f">= {shown_bound(column.kind, column.minimum)}")
    if column.maximum is not None:
        found.append(f"<= {shown_bound(column.kind, column.maximum)}")
    if column.choices is not None:
        shown = ", ".join(map(str, column.choices[:6]))
        more = ", ..." if len(column.choices) > 6 else ""
        found.append(f"one of {shown}{more}")
    if column.pattern:
        found.append(f"pattern {column.pattern}")
    if column.semantic:
        found.append(f"means {column.semantic}")
    return found


def _table_constraints(table: Table) -> list[str]:
    found = [
        f"UNIQUE ({', '.join(uc.columns)})"
        for uc in table.unique_constraints
        if len(uc.columns) > 1
    ]
    if len(table.primary_key) > 1:
        found.insert(0, f"PRIMARY KEY ({', '.join(table.primary_key)})")
    found += [describe_rule(u) for u in table.unique_indexes]
    found += [f"CHECK {c.left} {c.op} {c.right}" for c in table.comparisons]
    found += [
        f"CHECK {c.sqltext} (evaluated on the rows; rows that break it are drawn again from it)"
        for c in table.checks
        if not c.understood
    ]
    if table.partitioning is not None:
        parts = table.partitioning.partitions
        found.append(f"PARTITION BY {table.partitioning.key} into {', '.join(parts)}")
    if table.inherits:
        found.append(f"INHERITS ({', '.join(table.inherits)}): keys continue after theirs")
    return found


def _llm_modes(plan: Plan, mode_for: Callable[[str, int | None, str], str]) -> str:
    """Which tables the LLM profiles and which it writes row by row."""
    modes: dict[str, list[str]] = {"profile": [], "rows": []}
    for key in plan.order:
        if plan.tables[key].provider_columns:
            rows = _planned_rows(plan, key)
            modes[mode_for(key, rows, plan.tables[key].table.name)].append(key)
    lines = ["LLM modes:"]
    if modes["profile"]:
        lines.append(
            "  profile (one call writes the table's profile, the rows are drawn locally): "
            + ", ".join(modes["profile"])
        )
    if modes["rows"]:
        rows_mode = "  rows (the LLM writes each row's text, the engine draws the rest): "
        lines.append(rows_mode + ", ".join(modes["rows"]))
    return "\n".join(lines)


def _prompt_preview(
    generator: SyntheticDataGenerator,
    schema: Schema,
    plan: Plan,
    prompts: Mapping[str, str],
    profile: Profile | None = None,
) -> str:
    parts: list[str] = []
    systems_shown: set[str] = set()
    config = getattr(generator.provider, "config", None)
    for key in plan.order:
        tp = plan.tables[key]
        rows = _planned_rows(plan, key)
        profiled = config is not None and config.mode_for(key, rows, tp.table.name) == "profile"
        columns = tp.provider_columns if profiled else tp.asked_columns
        if config is not None and not profiled and config.llm_columns == "meaning":
            columns = meaning_columns(tp.table, columns)  # mixed tables: the rest is drawn
        if not columns or rows == 0:
            continue  # nothing for an LLM to write: keys, custom and drawn columns only
        # The rows of this plan (--rows, --cardinality), not those of a plan without them.
        compiled = generator.compile_prompt(
            schema, key, prompt=prompts.get(key), rows=rows, profile=profile
        )
        profiled = profiled and "Columns to profile:" in compiled.user
        if not profiled:
            # Rows mode: the system prompt is the table's own prefix (rules, table, columns).
            title = f"Prompt for {key}"
            text = compiled.system.strip() + "\n\n" + compiled.user.strip()
            parts += [title, "-" * len(title), text, ""]
            continue
        if compiled.system not in systems_shown:
            title = "System prompt (profile mode)"
            parts += [title, "-" * len(title), compiled.system.strip(), ""]
            systems_shown.add(compiled.system)
        title = f"Profile prompt for {key} (profile mode: one call writes its profile)"
        parts += [title, "-" * len(title), compiled.user.strip(), ""]
    return "\n".join(parts).rstrip()


def _planned_rows(plan: Plan, key: str) -> int:
    """The rows ``key`` gets: its count, or its parent's rows times the children per parent."""
    tp = plan.tables[key]
    if tp.rows is not None:
        return tp.rows
    fkp = next(f for f in tp.foreign_keys if f.cardinality is not None)
    card = fkp.cardinality
    parent = fkp.fk.ref_table
    parents = _planned_rows(plan, parent) if parent in plan.tables else 0
    if card is None or card.fn is not None:
        return parents  # a function's counts are known only once drawn: one per parent
    return round(parents * (card.high if card.mean is None else card.mean))
