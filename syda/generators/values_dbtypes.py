"""Values of database types written in the type's own input syntax, a whole column at a time.

Network addresses (``inet``, ``cidr``, ``macaddr``, ``macaddr8``, MariaDB ``INET4``), bit
strings of the declared length, intervals (``2 days 04:30:00``), text search vectors and queries,
XML documents, MySQL ``SET`` values, and PostgreSQL's log positions, JSON paths, snapshots and
``ltree`` label paths. Each generator is registered under its type family
(:data:`syda.schema.dbtypes.FAMILIES`), the semantic every column of that type gets.

A ``tsvector`` is built from the row's own text (its title, description, name...), the way a
full-text trigger or a generated column would build it, so a search finds the row by its words;
a table without text gets words. Ranges and geometric types are in
:mod:`syda.generators.values_shapes`, JSON, ``hstore`` and arrays in
:mod:`syda.generators.values_json`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from syda.generators.values import AnyArray, Batch, ColumnSpec, Generator, ObjArray, map_unique

__all__ = ["DEPENDS", "GENERATORS", "TEXT_SOURCES", "hex_bytes", "hex_groups", "words"]

TEXT_SOURCES = (
    "title", "film_title", "book_title", "post_title", "song_title", "album_title",
    "course_title", "product_name", "description", "text", "html", "full_name", "company",
)  # fmt: skip
"""Meanings of the text columns a ``tsvector`` of the same row is built from, in order."""
DEPENDS: Mapping[str, tuple[str, ...]] = {"tsvector": TEXT_SOURCES}
"""The semantics each family's values are built from (drawn first)."""

_HEX = np.array([f"{i:02x}" for i in range(256)], dtype=object)
_STOP_WORDS = frozenset(
    "a an and are as at be by for from has he in is it its of on or that the to was were will "
    "with this these those into than then them they their there which who whom whose".split()
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_MAX_LEXEMES = 24
_SET_WORDS = ("email", "sms", "push", "phone", "post")  # a SET with no members known: channels
_V6_SHARE = 0.1
_PREFIXES = np.array([8, 12, 16, 20, 22, 24, 24, 24, 26, 28, 32])
_DAY_TOKENS = frozenset(
    {"days", "day", "period", "retention", "ttl", "expiry", "validity", "rental", "loan", "term",
     "notice", "grace", "trial", "lead"}
)  # fmt: skip
_SHORT_TOKENS = frozenset(
    {"timeout", "delay", "latency", "wait", "response", "backoff", "elapsed", "ping", "heartbeat",
     "seconds", "secs"}
)  # fmt: skip


def hex_bytes(b: Batch, count: int, sep: str) -> ObjArray:
    """``b.n`` random byte strings of ``count`` bytes, each byte two hex digits, ``sep`` between."""
    raw = b.rng.integers(0, 256, (b.n, count))
    out: ObjArray = _HEX[raw[:, 0]].copy()
    for j in range(1, count):
        out = out + sep + _HEX[raw[:, j]]
    return out


def _octets(b: Batch, values: np.ndarray[Any, Any]) -> ObjArray:
    s = b.pools.number_strings
    parts = [(values >> shift) & 0xFF for shift in (24, 16, 8, 0)]
    return s[parts[0]] + "." + s[parts[1]] + "." + s[parts[2]] + "." + s[parts[3]]  # type: ignore[no-any-return]


def _public_v4(b: Batch) -> np.ndarray[Any, Any]:
    first = b.rng.choice(np.r_[11:127, 128:224], b.n).astype(np.int64)
    return (first << 24) | b.rng.integers(0, 2**24, b.n)


def ipv4(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Public-looking IPv4 addresses (``83.12.7.201``)."""
    return _octets(b, _public_v4(b))


def ipv6(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Global unicast IPv6 addresses (``2a03:2880:f12f:83::1a2b``)."""
    groups = hex_groups(b, 5)
    first = b.rng.choice(np.array(["2001", "2a00", "2a02", "2a03", "2600", "2607", "2804"]), b.n)
    return first + ":" + groups[0] + ":" + groups[1] + ":" + groups[2] + "::" + groups[3]  # type: ignore[no-any-return]


def hex_groups(b: Batch, count: int) -> list[ObjArray]:
    """``count`` columns of IPv6 groups (``83``, ``f12f``) without leading zeros."""
    raw = b.rng.integers(1, 0x10000, (count, b.n))
    return [np.char.mod("%x", row).astype(object) for row in raw]


def inet(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Host addresses: IPv4 mostly, a tenth IPv6."""
    return np.where(b.rng.random(b.n) < _V6_SHARE, ipv6(b, spec), ipv4(b, spec)).astype(object)


def cidr(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Networks with their host bits zero (``10.24.0.0/16``), as ``cidr`` requires."""
    prefix = b.rng.choice(_PREFIXES, b.n)
    mask = ((0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF).astype(np.int64)
    network = _public_v4(b) & mask
    return _octets(b, network) + "/" + b.pools.number_strings[prefix]  # type: ignore[no-any-return]


def macaddr(b: Batch, spec: ColumnSpec) -> AnyArray:
    """MAC-48 addresses (``08:00:2b:01:02:03``)."""
    return hex_bytes(b, 6, ":")


def macaddr8(b: Batch, spec: ColumnSpec) -> AnyArray:
    """EUI-64 addresses (``08:00:2b:01:02:03:04:05``)."""
    return hex_bytes(b, 8, ":")


def bits(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Bit strings: exactly the length of a ``bit(n)``, up to it for a ``bit varying(n)``."""
    length = spec.column.length or (1 if spec.semantic == "bit" else 16)
    matrix = np.where(b.rng.random((b.n, length)) < 0.5, "1", "0").astype("<U1")
    if spec.semantic == "bit":
        return np.ascontiguousarray(matrix).view(f"<U{length}").ravel().astype(object)
    sizes = b.rng.integers(1, length + 1, b.n)
    out = np.empty(b.n, dtype=object)
    for size in np.unique(sizes):  # one pass per length, not per row
        rows = sizes == size
        cut = np.ascontiguousarray(matrix[rows, :size])
        out[rows] = cut.view(f"<U{size}").ravel().astype(object)
    return out


def interval(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Durations as PostgreSQL writes them (``3 days 04:00:00``, ``00:45:00``).

    Their size follows the name: a ``timeout`` lasts seconds, a ``retention_period`` days,
    anything else minutes to hours.
    """
    tokens = set(spec.tokens)
    if tokens & _DAY_TOKENS:
        seconds = np.round(b.rng.lognormal(math.log(7), 0.8, b.n)).clip(1, 3650) * 86_400
    elif tokens & _SHORT_TOKENS:
        seconds = np.round(b.rng.lognormal(math.log(30), 1.0, b.n)).clip(1, 3600)
    else:
        seconds = np.round(b.rng.lognormal(math.log(3600), 1.2, b.n) / 300).clip(1) * 300
    whole = seconds.astype(np.int64)
    days, rest = np.divmod(whole, 86_400)
    clock = np.array(
        [f"{r // 3600:02d}:{r // 60 % 60:02d}:{r % 60:02d}" for r in rest.tolist()], dtype=object
    )
    count = b.pools.number_strings[np.minimum(days, 99999)]
    unit = np.where(days == 1, " day ", " days ")
    return np.where(days > 0, count + unit + clock, clock).astype(object)


def words(b: Batch, low: int, high: int) -> list[list[str]]:
    """Between ``low`` and ``high`` words from the word pool for every row."""
    pool = b.pools.words
    counts = b.rng.integers(low, high + 1, b.n)
    picks = pool[b.rng.integers(0, len(pool), int(counts.sum()))]
    return [list(part) for part in np.split(picks, np.cumsum(counts)[:-1])]


def _source_texts(b: Batch, spec: ColumnSpec) -> list[AnyArray]:
    found: list[AnyArray] = []
    for semantic in TEXT_SOURCES:
        for name, other in b.specs.items():
            if name == spec.name or other.semantic != semantic:
                continue
            values = b.known(name)
            if values is not None:
                found.append(values)
    return found


def _vector(text: object) -> str:
    positions: dict[str, list[int]] = {}
    for i, word in enumerate(_WORD.findall(str(text).lower()), start=1):
        if word not in _STOP_WORDS and i <= 16383:
            positions.setdefault(word, []).append(i)
    chosen = list(positions.items())[:_MAX_LEXEMES]
    return " ".join(f"'{w}':" + ",".join(map(str, p[:8])) for w, p in sorted(chosen))


def tsvector(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Text search vectors of the row's text (``'fox':3 'quick':2``), else of a few words."""
    texts = _source_texts(b, spec)
    if texts:
        joined = np.full(b.n, "", dtype=object)
        for values in texts:
            joined = joined + " " + np.array(["" if v is None else str(v) for v in values])
    else:
        joined = np.array([" ".join(w) for w in words(b, 3, 8)], dtype=object)
    return map_unique(joined, _vector)


def tsquery(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Text search queries of one to three words (``'quick' & 'fox'``)."""
    return np.array(
        [" & ".join(f"'{w.lower()}'" for w in row) for row in words(b, 1, 3)], dtype=object
    )


def _xml_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "document"
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else "_" + cleaned


def xml(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Small well-formed XML documents named after the column (``<notes><note>...``)."""
    root = _xml_name(spec.name)
    rows = words(b, 2, 4)
    versions = b.rng.integers(1, 6, b.n)
    return np.array(
        [
            f'<{root} version="{v}">'
            + "".join(f"<item>{w.lower()}</item>" for w in row)
            + f"</{root}>"
            for row, v in zip(rows, versions.tolist(), strict=True)
        ],
        dtype=object,
    )


def mysql_set(b: Batch, spec: ColumnSpec) -> AnyArray:
    """MySQL ``SET`` values: one or two members mostly, written in the members' order."""
    db_type = spec.column.db_type
    members = db_type.members if db_type is not None else ()
    members = tuple(m for m in members if m) or _SET_WORDS
    # Each member joins with a probability that gives one or two members on average.
    share = min(0.9, 1.5 / len(members))
    chosen = b.rng.random((b.n, len(members))) < share
    none = ~chosen.any(axis=1)
    chosen[none, b.rng.integers(0, len(members), int(none.sum()))] = True
    # Python integers: a SET has up to 64 members, one bit each.
    weights = np.array([1 << i for i in range(len(members))], dtype=object)
    codes = (chosen.astype(object) * weights).sum(axis=1)
    return map_unique(
        codes, lambda code: ",".join(m for i, m in enumerate(members) if int(code) >> i & 1)
    )


def pg_lsn(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Write-ahead log positions (``16/B374D848``)."""
    high = np.char.mod("%X", b.rng.integers(0, 0x100, b.n))
    low = np.char.mod("%X", b.rng.integers(0, 2**32, b.n))
    return np.char.add(np.char.add(high, "/"), low).astype(object)


def jsonpath(b: Batch, spec: ColumnSpec) -> AnyArray:
    """JSON paths of one to three keys (``$.settings.theme``)."""
    return np.array(["$." + ".".join(w.lower() for w in row) for row in words(b, 1, 3)], object)


def snapshot(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Transaction snapshots ``xmin:xmax:xip`` with ``xmin <= xip < xmax``."""
    low = b.rng.integers(1_000, 10_000_000, b.n)
    width = b.rng.integers(1, 40, b.n)
    running = low + np.floor(b.rng.random(b.n) * (width - 1)).astype(np.int64)
    text = [
        f"{lo}:{lo + w}:{run}" if w > 1 else f"{lo}:{lo + w}:"
        for lo, w, run in zip(low.tolist(), width.tolist(), running.tolist(), strict=True)
    ]
    return np.array(text, dtype=object)


def ltree(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Label paths of one to four labels (``Top.Science.Astronomy``)."""
    rows = words(b, 1, 4)
    return np.array([".".join(["Top", *(w.capitalize() for w in row)]) for row in rows], object)


GENERATORS: Mapping[str, Generator] = {
    "inet": inet,
    "ipv4": ipv4,
    "ipv6": ipv6,
    "cidr": cidr,
    "macaddr": macaddr,
    "macaddr8": macaddr8,
    "bit": bits,
    "varbit": bits,
    "interval": interval,
    "tsvector": tsvector,
    "tsquery": tsquery,
    "xml": xml,
    "set": mysql_set,
    "pg_lsn": pg_lsn,
    "jsonpath": jsonpath,
    "txid_snapshot": snapshot,
    "pg_snapshot": snapshot,
    "ltree": ltree,
}
