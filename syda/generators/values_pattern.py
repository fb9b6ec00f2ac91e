r"""A vectorised sampler of strings matching a regular expression.

Columns constrained by a ``pattern`` (``^[A-Z]{3}-\d{4}$``) need values that fully match it.
The sampler parses the common subset of regex syntax people use for such constraints (literals,
escapes ``\d \w \s``, character classes with ranges and negation, ``.``, groups with
alternation, and the quantifiers ``? * + {n} {m,} {m,n}``) into a small tree, then draws whole
columns from it: a quantified character class becomes one matrix of code points viewed as
fixed-width strings (numpy strips the trailing NULs of unused positions), and sequences are
joined with object-array concatenation. Back-references and look-arounds cannot be sampled and
are rejected with ``ValueError``.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["PatternSampler"]

ObjArray = np.ndarray[Any, np.dtype[np.object_]]

_PRINTABLE = string.ascii_letters + string.digits + string.punctuation + " "
_CLASSES = {
    "d": string.digits,
    "w": string.ascii_letters + string.digits + "_",
    "s": " ",
    "D": "".join(c for c in _PRINTABLE if c not in string.digits),
    "W": "".join(c for c in _PRINTABLE if not (c.isalnum() or c == "_")),
    "S": _PRINTABLE.replace(" ", ""),
}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}
_UNBOUNDED_EXTRA = 6  # how many repetitions beyond the minimum ``*``/``+``/``{m,}`` may add
_BIG = 10**18


@dataclass(frozen=True)
class _Lit:
    text: str


@dataclass(frozen=True)
class _Class:
    chars: str


@dataclass(frozen=True)
class _Repeat:
    node: _Node
    lo: int
    hi: int


@dataclass(frozen=True)
class _Seq:
    items: tuple[_Node, ...]


@dataclass(frozen=True)
class _Alt:
    options: tuple[_Node, ...]


_Node = _Lit | _Class | _Repeat | _Seq | _Alt


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.src = pattern
        self.pos = 0

    def error(self, what: str) -> ValueError:
        return ValueError(f"cannot sample regex {self.src!r}: {what} at position {self.pos}")

    def peek(self) -> str:
        return self.src[self.pos] if self.pos < len(self.src) else ""

    def take(self) -> str:
        ch = self.peek()
        self.pos += 1
        return ch

    def parse(self) -> _Node:
        node = self.alternation()
        if self.pos != len(self.src):
            raise self.error("unbalanced parenthesis")
        return node

    def alternation(self) -> _Node:
        options = [self.sequence()]
        while self.peek() == "|":
            self.take()
            options.append(self.sequence())
        return options[0] if len(options) == 1 else _Alt(tuple(options))

    def sequence(self) -> _Node:
        items: list[_Node] = []
        while self.peek() not in ("", "|", ")"):
            atom = self.atom()
            if atom is None:
                continue
            items.append(self.quantified(atom))
        merged: list[_Node] = []
        for item in items:  # join neighbouring literals so they cost one concatenation
            if isinstance(item, _Lit) and merged and isinstance(merged[-1], _Lit):
                merged[-1] = _Lit(merged[-1].text + item.text)
            else:
                merged.append(item)
        return merged[0] if len(merged) == 1 else _Seq(tuple(merged))

    def atom(self) -> _Node | None:
        ch = self.take()
        if ch in ("^", "$"):
            return None
        if ch == "(":
            if self.peek() == "?":
                self.take()
                kind = self.take()
                if kind == "P" and self.peek() == "<":
                    while self.take() not in (">", ""):
                        pass
                elif kind != ":":
                    raise self.error("look-arounds and inline flags are not supported")
            node = self.alternation()
            if self.take() != ")":
                raise self.error("missing ')'")
            return node
        if ch == "[":
            return _Class(self.char_class())
        if ch == ".":
            return _Class(string.ascii_letters + string.digits)
        if ch == "\\":
            return self.escape()
        if ch in "*+?{":
            raise self.error("nothing to repeat")
        return _Lit(ch)

    def escape(self) -> _Node:
        ch = self.take()
        if ch in _CLASSES:
            return _Class(_CLASSES[ch])
        if ch.isdigit() or ch in ("b", "B", "A", "Z", "z"):
            raise self.error("back-references and word boundaries are not supported")
        return _Lit(_ESCAPES.get(ch, ch))

    def char_class(self) -> str:
        negate = self.peek() == "^"
        if negate:
            self.take()
        chars: list[str] = []
        first = True
        while True:
            ch = self.take()
            if ch == "":
                raise self.error("missing ']'")
            if ch == "]" and not first:
                break
            first = False
            if ch == "\\":
                esc = self.take()
                if esc in _CLASSES:
                    chars.extend(_CLASSES[esc])
                    continue
                ch = _ESCAPES.get(esc, esc)
            if self.peek() == "-" and self.src[self.pos + 1 : self.pos + 2] not in ("]", ""):
                self.take()
                end = self.take()
                if end == "\\":
                    end = self.take()
                chars.extend(chr(c) for c in range(ord(ch), ord(end) + 1))
            else:
                chars.append(ch)
        if negate:
            excluded = set(chars)
            chars = [c for c in _PRINTABLE if c not in excluded]
        unique = "".join(dict.fromkeys(chars))
        if not unique:
            raise self.error("empty character class")
        return unique

    def quantified(self, atom: _Node) -> _Node:
        ch = self.peek()
        if ch == "?":
            lo, hi = 0, 1
        elif ch == "*":
            lo, hi = 0, _UNBOUNDED_EXTRA
        elif ch == "+":
            lo, hi = 1, 1 + _UNBOUNDED_EXTRA
        elif ch == "{" and self._is_braces():
            self.take()
            body = ""
            while self.peek() != "}":
                body += self.take()
            lo_text, _, hi_text = body.partition(",")
            lo = int(lo_text or 0)
            hi = lo if "," not in body else (int(hi_text) if hi_text else lo + _UNBOUNDED_EXTRA)
            ch = "}"
        else:
            return atom
        self.take()
        if self.peek() in ("?", "+"):  # lazy/possessive modifiers do not change what matches
            self.take()
        return _Repeat(atom, lo, hi)

    def _is_braces(self) -> bool:
        end = self.src.find("}", self.pos)
        body = self.src[self.pos + 1 : end] if end > 0 else ""
        return bool(body) and all(c.isdigit() or c == "," for c in body) and body[0] != ","


class PatternSampler:
    """Draws columns of strings that fully match ``pattern``.

    Raises:
        ValueError: On construction, if the pattern uses syntax the sampler cannot draw from.
    """

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._tree = _Parser(pattern).parse()

    @property
    def domain_size(self) -> int:
        """How many distinct strings the sampler can produce (capped at 10**18)."""
        return _size(self._tree)

    def sample(self, rng: np.random.Generator, n: int) -> ObjArray:
        """Return ``n`` matching strings as an object array."""
        return _draw(self._tree, rng, n)


def _size(node: _Node) -> int:
    if isinstance(node, _Lit):
        return 1
    if isinstance(node, _Class):
        return len(node.chars)
    if isinstance(node, _Seq):
        total = 1
        for item in node.items:
            total = min(_BIG, total * _size(item))
        return total
    if isinstance(node, _Alt):
        return min(_BIG, sum(_size(o) for o in node.options))
    inner = _size(node.node)
    return min(_BIG, sum(min(_BIG, inner**k) for k in range(node.lo, min(node.hi, 40) + 1)))  # type: ignore[no-any-return]


def _draw(node: _Node, rng: np.random.Generator, n: int) -> ObjArray:
    if isinstance(node, _Lit):
        return np.full(n, node.text, dtype=object)
    if isinstance(node, _Class):
        return _class_matrix(node.chars, rng, n, 1, 1)
    if isinstance(node, _Repeat) and isinstance(node.node, _Class):
        return _class_matrix(node.node.chars, rng, n, node.lo, node.hi)
    if isinstance(node, _Seq):
        out = _draw(node.items[0], rng, n)
        for item in node.items[1:]:
            out = out + _draw(item, rng, n)
        return out
    if isinstance(node, _Alt):
        pick = rng.integers(0, len(node.options), n)
        out = np.empty(n, dtype=object)
        for i, option in enumerate(node.options):
            mask = pick == i
            if mask.any():
                out[mask] = _draw(option, rng, int(mask.sum()))
        return out
    counts = rng.integers(node.lo, node.hi + 1, n)
    out = np.full(n, "", dtype=object)
    for k in range(node.hi):
        piece = _draw(node.node, rng, n)
        out = np.where(counts > k, out + piece, out)
    return out


def _class_matrix(chars: str, rng: np.random.Generator, n: int, lo: int, hi: int) -> ObjArray:
    """Draw ``lo..hi`` characters of ``chars`` per row as one code-point matrix."""
    if hi == 0:
        return np.full(n, "", dtype=object)
    points = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32)
    matrix = points[rng.integers(0, len(points), (n, hi))]
    if lo != hi:
        counts = rng.integers(lo, hi + 1, n)
        matrix[np.arange(hi)[None, :] >= counts[:, None]] = 0
    fixed = np.ascontiguousarray(matrix).view(f"<U{hi}").ravel()
    return fixed.astype(object)
