"""Semantic inference: what a column's values mean, from its name, comment, type and table.

The offline provider has no language model, so it reads the schema the way a person would: an
explicit ``semantic`` hint wins; then the column name's tokens (``first_name``, ``FirstName``,
``contact_email``); then the comment ("Official department name"); then, for ambiguous names
such as ``name``, ``title`` or ``status``, the table the column lives in (``products.name`` is a
product name, ``employees.name`` a person's name); finally the column's logical type. The result
is always a name from :data:`syda.semantics.SEMANTIC_KINDS`, so every inferred meaning is one the
value generators can fill.

Comments that enumerate values ("Active, Inactive, Prospect", "Status: new / paid / void") are
read by :func:`comment_choices` into the list of allowed values.
"""

from __future__ import annotations

from syda.generators import infer_tables as t
from syda.generators.infer_comments import comment_choices
from syda.generators.infer_num import is_flag, numeric_meaning
from syda.generators.infer_tables import FUTURE_WORDS
from syda.generators.infer_words import core_tokens, name_tokens, table_tokens
from syda.generators.kinds import Kind, all_kinds
from syda.schema.dbtypes import FAMILIES
from syda.schema.ir import Column, ColumnKind, Table
from syda.semantics import SEMANTIC_KINDS

__all__ = [
    "FUTURE_WORDS",
    "comment_choices",
    "infer_semantic",
    "kind_from_name",
    "name_tokens",
    "table_tokens",
]


def _compatible(semantic: str, kind: ColumnKind) -> bool:
    want = SEMANTIC_KINDS.get(semantic)
    if want is None:
        return False
    if kind in ("unknown", "json", "binary"):
        return False
    return kind in t.FAMILY.get(want, frozenset({want}))


def _registered_exact(tokens: list[str], kind: ColumnKind) -> str | None:
    """A registered kind named by the whole name."""
    joined = "_".join(tokens)
    for entry in all_kinds():
        if joined in entry.exact and _compatible(entry.name, kind):
            return entry.name
    return None


def _registered(tokens: list[str], kind: ColumnKind) -> str | None:
    """A registered kind named by the whole name, else by a token (the last token first)."""
    exact = _registered_exact(tokens, kind)
    if exact:
        return exact
    for token in reversed(tokens):
        for entry in all_kinds():
            if token in entry.tokens and _compatible(entry.name, kind):
                return entry.name
    return None


def _plural_of(token: str, word: str) -> bool:
    return token in (word, word + "s", word + "es") or (
        word.endswith("y") and token == word[:-1] + "ies"
    )


def _registered_by_table(table: Table, column: Column) -> Kind | None:
    """The registered kind whose ``tables`` name the table's head word (``artist.name``)."""
    joined = ["_".join(name_tokens(table.key)), "_".join(name_tokens(table.name))]
    heads = [name_tokens(table.key)[-1:], name_tokens(table.name)[-1:], table_tokens(table)]
    for entry in all_kinds():
        if any(_plural_of(j, w) or j.endswith("_" + w) for j in joined for w in entry.tables):
            if _compatible(entry.name, column.kind):
                return entry
    for words in heads:
        for entry in all_kinds():
            if any(_plural_of(t, w) for t in words for w in entry.tables):
                if _compatible(entry.name, column.kind):
                    return entry
    return None


def _registered_by_comment(tokens: list[str], column: Column) -> str | None:
    # Vocabulary kinds (titles, genres) are named by a comment only on a name-like column,
    # so "Composer(s) of the track" or "Album this track is on" do not become song titles.
    name_like = not tokens or tokens[-1] in ("name", "title", "label")
    for entry in all_kinds():
        pattern = entry.comment_re
        if pattern is None or not pattern.search(column.comment or ""):
            continue
        if (name_like or not entry.tables) and _compatible(entry.name, column.kind):
            return entry.name
    return None


def _from_name(tokens: list[str], kind: ColumnKind) -> str | None:
    joined = "_".join(tokens)
    if joined in SEMANTIC_KINDS and joined not in t.BY_KIND and joined not in t.NOT_BY_NAME:
        return joined
    registered = _registered(tokens, kind)
    if registered:
        return registered
    if joined in t.EXACT:
        return t.EXACT[joined]
    if len(tokens) >= 2 and tokens[-1] == "name" and tokens[-2] in ("first", "given"):
        return "first_name"
    if len(tokens) >= 2 and tokens[-1] == "name" and tokens[-2] in ("last", "family"):
        return "last_name"
    if len(tokens) >= 2 and tokens[-1] == "name" and tokens[-2] == "full":
        return "full_name"
    if kind == "boolean" or (
        tokens
        and ((tokens[0] in t.BOOL_PREFIXES and len(tokens) > 1) or joined in t.BOOL_WORDS)
        and kind in ("boolean", "integer")
    ):
        return "boolean"
    if tokens[-1] in ("url", "uri", "website", "link") or "website" in tokens:
        return "url"
    if tokens[-1] in ("pct", "percent", "percentage") and kind in ("integer", "float", "decimal"):
        return "percentage"  # humidity_pct, battery_percent: 0-100, not any number
    if len(tokens) >= 2 and tokens[-1] == "code":
        special = {"country": "country_code", "zip": "postal_code", "postal": "postal_code",
                   "post": "postal_code", "currency": "currency", "icd": "icd10_code",
                   "icd10": "icd10_code", "diagnosis": "icd10_code", "color": "color",
                   "state": "state"}  # fmt: skip
        return special.get(tokens[-2], "code")
    if tokens[-1] == "name" and len(tokens) >= 2:
        sub = _from_name(tokens[:-1], "string")
        if sub in ("company", "product_name", "department", "category", "city", "country",
                   "state", "industry", "username", "domain"):  # fmt: skip
            return sub
        if tokens[-2] in ("product", "item"):
            return "product_name"
        if tokens[-2] in ("user", "login", "account"):
            return "username"
    if len(tokens) >= 2 and tokens[-1] in ("host", "hostname"):
        return "domain"  # a mail_host, a remote_host: a host name
    if len(tokens) >= 2 and tokens[-1] == "id" and kind == "string":
        return "short_id"  # a text id (run_id CHAR(64)) is a code or a UUID, not words
    if kind in ("date", "datetime") and "birth" in tokens:
        return "birth_date"
    if kind in ("date", "datetime"):
        if tokens[0] in ("created", "creation", "inserted", "registered"):
            return "created_at"
        if tokens[0] in ("updated", "modified", "changed"):
            return "updated_at"
    for weak in (False, True):
        for token in reversed(tokens):
            if token in t.TOKEN and (token in t.WEAK_TOKENS) == weak:
                return t.TOKEN[token]
    return None


def _head_semantic(words: list[str], hints: tuple[tuple[tuple[str, ...], str], ...]) -> str | None:
    for word in words:
        for prefixes, semantic in hints:
            if any(word.startswith(p) for p in prefixes):
                return semantic
    return None


def _is_organisation(table: Table) -> bool:
    """Customer/client tables hold companies when the docstring or sibling columns say so."""
    if table.description and t.ORG_WORDS.search(table.description):
        return True
    siblings = {t for c in table.columns for t in name_tokens(c.name)}
    return bool(siblings & {"website", "industry", "domain", "employees", "revenue", "vat"})


def _from_table(tokens: list[str], table: Table, column: Column) -> str | None:
    joined = "_".join(tokens)
    if joined in ("name", "label", "title", "key", "description", "desc"):
        entry = _registered_by_table(table, column)
        if entry is not None and (joined != "description" or entry.name == "sales_region"):
            return entry.name
    # The last word of a compound table name is its head noun: company_contacts hold people.
    heads = [name_tokens(table.key)[-1:], name_tokens(table.name)[-1:], table_tokens(table)]
    if joined in ("name", "label"):
        for words in heads:
            found = _head_semantic(words, t.NAME_BY_TABLE)
            if found == "full_name" and any(
                w.startswith(("customer", "client", "lead", "account")) for w in words
            ):
                return "company" if _is_organisation(table) else "full_name"
            if found:
                return found
        if _beside_email(table, column):
            return "full_name"  # whom the address belongs to (identities, collected addresses)
        return "title"
    if joined == "title":
        for words in heads:
            found = _head_semantic(words, t.NAME_BY_TABLE)
            if found in ("full_name", "job_title"):
                return "job_title"
            if found == "product_name":
                return found
        return "title"
    if joined in ("status", "state") and column.kind in ("string", "text"):
        return "status"
    if joined in ("type", "kind", "tier", "level", "plan"):
        return "category"
    if joined == "code":
        return "code"
    return None


def _beside_email(table: Table, column: Column) -> bool:
    """A name beside an email names the person the address reaches (organisations aside)."""
    if _is_organisation(table):
        return False
    own = {"email", "mail", "address", "e", "addr"}  # the row's own address, not a from_email
    return any(
        c is not column
        and c.kind in ("string", "text")
        and set(name_tokens(c.name)) <= own
        and _from_name(name_tokens(c.name) or ["value"], c.kind) == "email"
        for c in table.columns
    )


def kind_from_name(name: str) -> ColumnKind | None:
    """The logical kind a column's name alone says (``created_at``: datetime), or None.

    For columns declared without a type (SQLite allows them), whose values the name must tell.
    """
    tokens = name_tokens(name) or ["value"]
    guess = _from_name(tokens, "unknown")
    return SEMANTIC_KINDS.get(guess) if guess else None


def infer_semantic(column: Column, table: Table) -> str:
    """Return what ``column``'s values mean, as a name from ``SEMANTIC_KINDS``.

    The order of evidence is: the column's own ``semantic`` hint (when it is a known name and fits
    the column's kind); tokens of the column name; the comment; the table (for ambiguous names such
    as ``name``, ``title``, ``status``, ``type`` and ``code``); finally the logical type (``kind``),
    so a column nothing is known about gets a plain ``"integer"``, ``"string"``, ``"date"``...
    Columns of kind ``json``, ``binary`` or ``unknown`` return their kind. An ``address`` beside
    city/state/postcode columns is the street line only, so the row does not say two places.

    Args:
        column: The column to classify.
        table: The table holding it (its name and description resolve ambiguous names).

    Returns:
        A semantic type name; ``column.kind`` when nothing more specific is known.
    """
    semantic = _infer(column, table)
    if semantic == "country" and column.length is not None and column.length <= 3:
        return "country_code"  # CHAR(2) or CHAR(3) holds a code; a name would be cut to "Un"
    if semantic == "color" and column.length is not None and column.length <= 7:
        return "color_hex"  # a CHAR(7) colour is "#1a2b3c", not a colour name cut short
    if semantic == "full_name" and not column.semantic and _names_an_organisation(column, table):
        return "company"
    if semantic in ("address", "email") and not column.semantic:
        # An address (or a "mail address") beside city/state/postcode columns is the street
        # line of a postal address (RosarioSIS's mail_address beside mail_city).
        postal = semantic == "address" or "mail" in name_tokens(column.name)
        others = {t for c in table.columns if c is not column for t in name_tokens(c.name)}
        if postal and others & t.PLACE_PARTS:
            return "street_address"
    return semantic


def _names_an_organisation(column: Column, table: Table) -> bool:
    """``customerName`` beside ``contactFirstName`` is the customer company, not a person."""
    tokens = name_tokens(column.name)
    if not tokens or tokens[0] not in ("customer", "client", "account"):
        return False
    return any(name_tokens(c.name)[:1] == ["contact"] for c in table.columns if c is not column)


def _measure(column: Column, table: Table, tokens: list[str]) -> str | None:
    """What a number measures or a file holds, when its table or siblings say it.

    A film's ``length`` is minutes, an image table's ``file`` a photo.
    """
    words = name_tokens(table.key)[-1:] + name_tokens(table.name)[-1:] + table_tokens(table)
    siblings = {t for c in table.columns if c is not column for t in name_tokens(c.name)}
    guess = numeric_meaning(tokens, words, siblings, lambda core: _registered(core, column.kind))
    return guess if guess and _compatible(guess, column.kind) else None


def _infer(column: Column, table: Table) -> str:
    kind = column.kind
    if column.db_type is not None:
        return column.db_type.name  # drawn in the type's syntax (values_dbtypes)
    hint = column.semantic
    if hint is not None and kind in ("json", "binary") and FAMILIES.get(hint) == kind:
        return hint  # an array or hstore named by a dict schema's type
    if kind in ("json", "binary", "unknown"):
        return kind
    if column.semantic:
        hint = column.semantic.strip().lower()
        if _compatible(hint, kind):
            return hint
    tokens = core_tokens(column.name, table) or ["value"]
    if len(tokens) < len(name_tokens(column.name)):
        # A published name keeps its prefix (TPC-H's l_shipinstruct); else the prefix-less one.
        exact = _registered_exact(name_tokens(column.name), kind)
        if exact:
            return exact
    ambiguous = "_".join(tokens) in ("name", "title", "status", "type", "code", "kind", "label")
    measure = _measure(column, table, tokens)
    if measure:
        return measure
    if not ambiguous:
        guess = _from_name(tokens, kind)
        if guess and _compatible(guess, kind):
            return guess
        if is_flag(column, tokens):
            return "boolean"
    if column.comment:
        registered = _registered_by_comment(tokens, column)
        if registered:
            return registered
        for regex, semantic in t.COMMENT_RE:
            if regex.search(column.comment) and _compatible(semantic, kind):
                return semantic
    guess = _from_table(tokens, table, column)
    if guess and _compatible(guess, kind):
        return guess
    if kind in ("date", "datetime") and tokens[-1] in t.TIME_SUFFIXES:
        return kind
    if kind == "text":
        return "text"
    return kind
