"""What a number measures (or a file holds), read where its name alone is not enough.

The table and its siblings say it: ``length`` in a film table is a running time in minutes,
``file`` of an image table a photo, ``UnitPrice`` of a track a store price point, ``size`` of
an attachment a file size; ``tax`` beside a ``discount`` is a rate (TPC-H's ``l_tax``),
``amount`` beside a ``rental_id`` is what a rental costs. TPC-H's one-letter column prefixes
(``l_discount``, ``p_size``) are dropped before the names are read. An integer with
``DEFAULT 0``/``1`` whose name is not a count (``sudo``, ``one_time``) is a 0/1 flag, and a
``discount_percent`` is a discount, not any percentage. The rules are data: extending them is
adding a row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from syda.schema.ir import Column

__all__ = ["core_tokens", "is_flag", "numeric_meaning"]

# (table head words (prefixes), column names, semantic): the table decides what the number is.
_BY_TABLE: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (("film", "movie", "episode", "programme", "documentar", "feature"),
     ("length", "duration", "length_min"), "minutes"),
    (("track", "song", "episode", "podcast", "ringtone"), ("unit_price", "price"),
     "digital_price"),
    (("file", "attachment", "upload", "document", "asset", "blob", "media", "image", "photo",
      "download", "backup"), ("size", "length", "file_length"), "file_size"),
    # a gallery's file is a photo (piwigo_images.file), not any document
    (("image", "photo", "picture", "gallery", "snapshot"),
     ("file", "file_name", "filename", "original_filename"), "image_file"),
)  # fmt: skip

# Names whose last word would make them a plain percentage, though they are a discount.
_BY_NAME: Mapping[str, str] = {
    "discount_percent": "discount",
    "discount_percentage": "discount",
    "percent_discount": "discount",
    "percent_off": "discount",
    "pct_off": "discount",
}

# (column name, a token some other column of the table has, semantic): siblings decide.
_BY_SIBLING: tuple[tuple[str, str, str], ...] = (
    ("tax", "discount", "tax_rate"),  # a line with a discount fraction has a tax fraction
    ("amount", "rental", "rental_payment"),  # the payment of a rental
)

# Name tokens that say a number counts or orders something, so DEFAULT 0 is not a flag.
_COUNTING = frozenset(
    {"count", "num", "number", "total", "qty", "quantity", "amount", "level", "priority",
     "position", "order", "sort", "rank", "version", "attempts", "retries", "score", "points",
     "balance", "size", "length", "weight", "depth", "index", "id", "seq", "sequence", "year",
     "age", "rate", "price", "duration", "offset", "limit", "max", "min", "step", "stage",
     "status", "type", "kind", "mode", "state", "views", "hits", "likes", "votes", "days",
     "hours", "minutes", "seconds", "ms", "time", "timeout", "interval", "port", "parent",
     "width", "height", "capacity", "stock", "sum", "avg", "cost", "fee", "value"}
)  # fmt: skip
_FLAG_DEFAULTS = frozenset({"0", "1", "false", "true"})


def core_tokens(tokens: list[str]) -> list[str]:
    """``tokens`` without a one-letter table prefix (``l_discount`` -> ``discount``)."""
    if len(tokens) > 1 and len(tokens[0]) == 1:
        return tokens[1:]
    return tokens


def numeric_meaning(
    tokens: list[str],
    table_words: Sequence[str],
    sibling_tokens: set[str],
    by_name: Callable[[list[str]], str | None],
) -> str | None:
    """The measure a numeric column holds, from its table, its siblings or its core name.

    Args:
        tokens: The column name's tokens.
        table_words: Tokens of the table's name (its head word first).
        sibling_tokens: Name tokens of the table's other columns.
        by_name: Looks a name up among the registered kinds (for the prefix-less name).
    """
    core = core_tokens(tokens)
    joined = "_".join(core)
    if joined in _BY_NAME:
        return _BY_NAME[joined]
    for heads, names, semantic in _BY_TABLE:
        if joined in names and any(w.startswith(heads) for w in table_words):
            return semantic
    for name, sibling, semantic in _BY_SIBLING:
        if joined == name and sibling in sibling_tokens:
            return semantic
    return by_name(core) if core != tokens else None


def is_flag(column: Column, tokens: list[str]) -> bool:
    """An integer whose DEFAULT is 0 or 1 and whose name counts nothing is a 0/1 flag."""
    if column.kind != "integer" or not column.has_default or column.autoincrement:
        return False
    default = str(column.default).strip().strip("'\"()").strip().lower()
    if default not in _FLAG_DEFAULTS or set(tokens) & _COUNTING:
        return False
    return not tokens[-1].endswith("s")
