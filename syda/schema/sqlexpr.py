"""A small reader for the SQL boolean expressions found in CHECK constraints.

It knows only as much SQL as CHECK constraints use in practice: comparisons, ``IN``, ``BETWEEN``,
``IS [NOT] NULL``, ``LIKE`` and POSIX regex matches, function calls, ``AND``/``OR``/``NOT``,
casts (``::type`` and ``CAST(x AS type)``, which are dropped), ``ANY (ARRAY[...])``, and the
identifier quoting of PostgreSQL/SQLite (``"x"``), MySQL (`` `x` ``) and SQL Server (``[x]``).
Anything it cannot represent precisely (arithmetic, ``NOT``, ``IS TRUE``, ``GLOB``...) becomes a
bare :class:`Node`, so a caller sees that part as opaque while the rest stays readable; text it
cannot read at all raises :class:`SqlParseError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "AnyOf",
    "ArrayLit",
    "Between",
    "Col",
    "Compare",
    "Func",
    "InList",
    "IsNull",
    "Junction",
    "Lit",
    "Match",
    "Node",
    "SqlParseError",
    "parse_sql_expression",
]


class SqlParseError(Exception):
    """The text is not an expression this reader knows."""


class Node:
    """A node of a parsed check expression (anything not listed below is a bare ``Node``)."""


@dataclass(frozen=True)
class Col(Node):
    """A column reference (a qualified name keeps only its last part)."""

    name: str


@dataclass(frozen=True)
class Lit(Node):
    """A literal: ``value`` is a str, a Decimal, a bool or None; ``text`` is how it was written."""

    value: str | Decimal | bool | None
    text: str


@dataclass(frozen=True)
class Func(Node):
    """A function call, ``name`` lowercased."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class ArrayLit(Node):
    """``ARRAY[...]``."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf(Node):
    """The right side of ``x = ANY (...)`` / ``x <> ALL (...)``."""

    array: Node


@dataclass(frozen=True)
class Compare(Node):
    """``left op right``; ``quantifier`` is ``any`` or ``all`` when the right side is one."""

    op: str
    left: Node
    right: Node
    quantifier: str | None = None


@dataclass(frozen=True)
class Between(Node):
    """``operand [NOT] BETWEEN low AND high``."""

    operand: Node
    low: Node
    high: Node
    negated: bool


@dataclass(frozen=True)
class InList(Node):
    """``operand [NOT] IN (items...)``."""

    operand: Node
    items: tuple[Node, ...]
    negated: bool


@dataclass(frozen=True)
class IsNull(Node):
    """``operand IS [NOT] NULL``."""

    operand: Node
    negated: bool


@dataclass(frozen=True)
class Match(Node):
    """A pattern match: ``LIKE``/``ILIKE`` (also PostgreSQL's ``~~``) or a POSIX regex ``~``."""

    op: str
    """``like``, ``ilike``, ``regex`` or ``iregex``."""
    operand: Node
    pattern: Node
    negated: bool
    escape: bool


@dataclass(frozen=True)
class Junction(Node):
    """Parts joined by ``and`` or ``or``."""

    op: str
    parts: tuple[Node, ...]


_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    | (?P<str>'(?:[^']|'')*')
    | (?P<qid>"(?:[^"]|"")*"|`[^`]*`)
    | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<id>[A-Za-z_][A-Za-z0-9_$]*)
    | (?P<op>!~~\*|!~~|~~\*|!~\*|::|>=|<=|<>|!=|==|~~|~\*|!~|\|\||[=<>~(),\[\].+\-*/%])""",
    re.VERBOSE,
)
_KEYWORDS = frozenset(
    "and or not in between is null like ilike escape any all some array cast as true false "
    "glob regexp similar to collate from both leading trailing".split()
)
# Words that continue a multi-word type name after ``::`` (``character varying``).
_TYPE_WORDS = frozenset({"varying", "precision", "without", "with", "time", "zone"})
_COMPARE_OPS = frozenset({"<", "<=", ">", ">=", "=", "==", "!=", "<>"})
_MATCH_OPS: Mapping[str, tuple[str, bool]] = {
    "~~": ("like", False),
    "!~~": ("like", True),
    "~~*": ("ilike", False),
    "!~~*": ("ilike", True),
    "~": ("regex", False),
    "!~": ("regex", True),
    "~*": ("iregex", False),
    "!~*": ("iregex", True),
}


def _starts_name(previous: tuple[str, str] | None) -> bool:
    """Whether a ``[`` after ``previous`` opens a quoted name rather than an index or array."""
    if previous is None:
        return True
    kind, text = previous
    if kind == "op":
        return text not in (")", "]")
    return kind == "id" and text.lower() in _KEYWORDS and text.lower() != "array"


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos] == "[" and _starts_name(tokens[-1] if tokens else None):
            # ``[name]`` quotes an identifier (SQL Server, SQLite); ``ARRAY[`` and ``x[1]`` do not.
            end = text.find("]", pos)
            if end < 0:
                raise SqlParseError
            tokens.append(("qid", text[pos + 1 : end]))
            pos = end + 1
            continue
        match = _TOKEN.match(text, pos)
        if match is None:
            raise SqlParseError
        kind, token = match.lastgroup or "", match.group()
        pos = match.end()
        if kind == "id" and token.startswith("_") and text.startswith("'", pos):
            continue  # a MySQL charset introducer: _utf8mb4'a' is just 'a'
        if kind == "str":
            token = token[1:-1].replace("''", "'")
        elif kind == "qid":
            token = token[1:-1].replace('""', '"')
        if kind != "ws":
            tokens.append((kind, token))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.pos = 0

    def parse(self) -> Node:
        node = self.expr()
        if self.pos != len(self.tokens):
            raise SqlParseError
        return node

    def peek(self, ahead: int = 0) -> tuple[str, str]:
        index = self.pos + ahead
        return self.tokens[index] if index < len(self.tokens) else ("end", "")

    def is_kw(self, *words: str, ahead: int = 0) -> bool:
        kind, text = self.peek(ahead)
        return kind == "id" and text.lower() in words

    def is_op(self, *ops: str) -> bool:
        kind, text = self.peek()
        return kind == "op" and text in ops

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token[0] == "end":
            raise SqlParseError
        self.pos += 1
        return token

    def expect(self, op: str) -> None:
        if not self.is_op(op):
            raise SqlParseError
        self.pos += 1

    def junction(self, op: str, part: Callable[[], Node]) -> Node:
        parts = [part()]
        while self.is_kw(op):
            self.pos += 1
            parts.append(part())
        return parts[0] if len(parts) == 1 else Junction(op, tuple(parts))

    def expr(self) -> Node:
        return self.junction("or", lambda: self.junction("and", self.negation))

    def negation(self) -> Node:
        if self.is_kw("not"):
            self.pos += 1
            self.negation()
            return Node()
        return self.predicate()

    def predicate(self) -> Node:
        left = self.arith()
        negated = self.is_kw("not") and self.is_kw(
            "in", "between", "like", "ilike", "glob", "regexp", "similar", ahead=1
        )
        if negated:
            self.pos += 1
        kind, text = self.peek()
        word = text.lower() if kind == "id" else ""
        if kind == "op" and text in _COMPARE_OPS:
            self.pos += 1
            if self.is_kw("any", "some", "all"):
                quantifier = "all" if self.take()[1].lower() == "all" else "any"
                self.expect("(")
                array = self.expr()
                self.expect(")")
                return Compare(text, left, AnyOf(array), quantifier)
            return Compare(text, left, self.arith())
        if word == "in":
            self.pos += 1
            self.expect("(")
            items = [self.arith()]
            while self.is_op(","):
                self.pos += 1
                items.append(self.arith())
            self.expect(")")
            return InList(left, tuple(items), negated)
        if word == "between":
            self.pos += 1
            low = self.arith()
            if not self.is_kw("and"):
                raise SqlParseError
            self.pos += 1
            return Between(left, low, self.arith(), negated)
        if word == "is":
            self.pos += 1
            is_not = self.is_kw("not")
            self.pos += is_not
            if self.is_kw("null"):
                self.pos += 1
                return IsNull(left, is_not)
            self.arith()
            return Node()
        if word in ("like", "ilike") or (kind == "op" and text in _MATCH_OPS):
            self.pos += 1
            op, negated = (word, negated) if word else _MATCH_OPS[text]
            pattern = self.arith()
            escape = self.is_kw("escape")
            if escape:
                self.pos += 1
                self.arith()
            return Match(op, left, pattern, negated, escape)
        if word in ("glob", "regexp", "similar"):
            self.pos += 1
            if word == "similar" and self.is_kw("to"):
                self.pos += 1
            self.arith()
            return Node()
        return left

    def arith(self) -> Node:
        node = self.unary()
        while self.is_op("+", "-", "*", "/", "%", "||"):
            self.pos += 1
            self.unary()
            node = Node()
        return node

    def unary(self) -> Node:
        if self.is_op("-", "+"):
            sign = self.take()[1]
            operand = self.unary()
            if isinstance(operand, Lit) and isinstance(operand.value, Decimal):
                if sign == "-":
                    return Lit(-operand.value, "-" + operand.text)
                return operand
            return Node()
        node = self.primary()
        while True:
            if self.is_op("::"):
                self.pos += 1
                self.type_name()  # casts are dropped: the column's kind decides
            elif self.is_kw("collate"):
                self.pos += 2
            elif self.is_op("["):
                self.pos += 1
                self.arith()
                self.expect("]")
                node = Node()
            else:
                return node

    def type_name(self) -> str:
        kind, text = self.take()
        if kind not in ("id", "qid"):
            raise SqlParseError
        words = [text.lower()]
        while self.is_kw(*_TYPE_WORDS):
            words.append(self.take()[1].lower())
        if self.is_op("("):
            while not self.is_op(")"):
                self.take()
            self.pos += 1
        while self.is_op("["):
            self.pos += 1
            self.expect("]")
        return " ".join(words)

    def primary(self) -> Node:
        kind, text = self.take()
        if kind == "op" and text == "(":
            inner = [self.expr()]
            while self.is_op(","):
                self.pos += 1
                inner.append(self.expr())
            self.expect(")")
            return inner[0] if len(inner) == 1 else Node()
        if kind == "num":
            return Lit(Decimal(text), text)
        if kind == "str":
            return Lit(text, text)
        word = text.lower() if kind == "id" else ""
        if word in ("null", "true", "false"):
            return Lit({"null": None, "true": True, "false": False}[word], word)
        if word in ("date", "timestamp", "time") and self.peek()[0] == "str":
            value = self.take()[1]
            return Lit(value, value)
        if word == "array" and self.is_op("["):
            self.pos += 1
            items: list[Node] = []
            while not self.is_op("]"):
                items.append(self.arith())
                if not self.is_op("]"):
                    self.expect(",")
            self.pos += 1
            return ArrayLit(tuple(items))
        if word == "cast" and self.is_op("("):
            self.pos += 1
            operand = self.expr()
            if not self.is_kw("as"):
                raise SqlParseError
            self.pos += 1
            self.type_name()
            self.expect(")")
            return operand
        if kind == "id" and word in _KEYWORDS:
            raise SqlParseError
        if kind not in ("id", "qid"):
            raise SqlParseError
        if kind == "id" and self.is_op("("):
            self.pos += 1
            args: list[Node] = []
            while not self.is_op(")"):
                # TRIM([BOTH|LEADING|TRAILING] [chars] FROM x), as PostgreSQL renders trim(x).
                if self.is_kw("both", "leading", "trailing"):
                    self.pos += 1
                if self.is_kw("from"):
                    self.pos += 1
                    args.clear()
                args.append(self.expr())
                if self.is_kw("from"):
                    continue
                if not self.is_op(")"):
                    self.expect(",")
            self.pos += 1
            return Func(word, tuple(args))
        name = text
        while self.is_op("."):  # table.column or schema.table.column: the column is last
            self.pos += 1
            part_kind, name = self.take()
            if part_kind not in ("id", "qid"):
                raise SqlParseError
        return Col(name)


def parse_sql_expression(text: str) -> Node:
    """Parse the SQL boolean expression of a CHECK constraint into a tree of nodes.

    Raises:
        SqlParseError: If the text uses syntax this reader does not know.
    """
    return _Parser(text).parse()
