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

import re
from collections.abc import Mapping
from types import MappingProxyType

from syda.generators.infer_num import is_flag, numeric_meaning
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

FUTURE_WORDS = frozenset(
    {"due", "expires", "expiry", "expiration", "until", "valid", "required", "needed",
     "promised", "deadline", "end", "ends", "scheduled", "planned", "next", "renewal", "renews"}
)  # fmt: skip
"""Name tokens of dates that may lie ahead of today: deadlines, expiries, planned ends. They are
neither kept before the reference date nor after every other event of the row."""

# Exact (snake_case-joined) column names.
_EXACT: Mapping[str, str] = MappingProxyType(
    {
        "fname": "first_name", "firstname": "first_name", "given_name": "first_name",
        "forename": "first_name", "middle_name": "first_name",
        "lname": "last_name", "lastname": "last_name", "surname": "last_name",
        "family_name": "last_name", "nickname": "username",
        "fullname": "full_name", "display_name": "full_name", "contact_name": "full_name",
        "customer_name": "full_name", "patient_name": "full_name", "employee_name": "full_name",
        "person_name": "full_name", "author_name": "full_name", "author": "full_name",
        "composer": "full_name", "director": "full_name", "writer": "full_name",
        "owner_name": "full_name", "manager_name": "full_name",
        "login": "username", "handle": "username", "screen_name": "username",
        "sex": "gender", "title_of_courtesy": "name_prefix", "courtesy_title": "name_prefix",
        "salutation": "name_prefix", "honorific": "name_prefix", "name_prefix": "name_prefix",
        "extension": "phone_extension", "phone_extension": "phone_extension",
        "ext": "phone_extension", "ship_name": "company", "consignee": "company",
        "occupation": "job_title", "designation": "job_title", "contact_title": "job_title",
        "check_number": "code", "cheque_number": "code", "territory_description": "city",
        "territory_name": "city", "n_name": "country", "nation": "country",
        "position": "job_title", "job": "job_title", "dept": "department",
        "dob": "birth_date", "birthdate": "birth_date", "birthday": "birth_date",
        "date_of_birth": "birth_date", "social_security_number": "ssn",
        "organization": "company", "organisation": "company", "employer": "company",
        "business_name": "company", "org_name": "company", "sector": "industry",
        "website": "url", "homepage": "url", "web_site": "url", "link": "url",
        "hostname": "domain", "host": "domain", "ip": "ip_address", "ipv4": "ip_address",
        "addr": "street_address", "address1": "street_address", "address_line1": "street_address",
        "address_line_1": "street_address",
        "street": "street_address", "town": "city", "province": "state", "region": "state",
        "zip": "postal_code", "zipcode": "postal_code", "zip_code": "postal_code",
        "postcode": "postal_code", "postalcode": "postal_code", "lat": "latitude",
        "lng": "longitude", "lon": "longitude", "long": "longitude",
        "item_name": "product_name", "product": "product_name", "genre": "category",
        "msrp": "price", "cost": "price", "fee": "price", "total": "amount", "subtotal": "amount",
        "balance": "amount", "revenue": "amount", "salary": "amount", "budget": "amount",
        "tax": "amount", "qty": "quantity", "units": "quantity", "stock": "quantity",
        "pct": "percentage", "percent": "percentage", "discount": "percentage",
        "ratio": "rate", "stars": "rating", "guid": "uuid", "colour": "color",
        "desc": "description", "notes": "description", "note": "description",
        "comment": "description", "comments": "description", "bio": "description",
        "summary": "description", "details": "description", "remarks": "description",
        "body": "text", "content": "text", "message": "text", "tag": "word", "keyword": "word",
        "label": "word", "created": "created_at", "created_on": "created_at",
        "creation_date": "created_at", "date_created": "created_at", "inserted_at": "created_at",
        "registered_at": "created_at", "signup_date": "created_at", "joined_at": "created_at",
        "updated": "updated_at", "modified_at": "updated_at", "modified": "updated_at",
        "last_modified": "updated_at", "changed_at": "updated_at", "updated_on": "updated_at",
    }
)  # fmt: skip

# Single tokens anywhere in the name, checked after the exact names (last token first).
_TOKEN: Mapping[str, str] = MappingProxyType(
    {
        "email": "email", "phone": "phone", "mobile": "phone", "cell": "phone",
        "telephone": "phone", "tel": "phone", "fax": "phone", "username": "username",
        "gender": "gender", "department": "department", "age": "age", "ssn": "ssn",
        "company": "company", "industry": "industry", "url": "url", "uri": "url",
        "domain": "domain", "city": "city", "state": "state", "country": "country",
        "zip": "postal_code", "postcode": "postal_code", "latitude": "latitude",
        "longitude": "longitude", "price": "price", "amount": "amount", "currency": "currency",
        "quantity": "quantity", "qty": "quantity", "percentage": "percentage",
        "percent": "percentage", "rate": "rate", "rating": "rating", "sku": "sku",
        "status": "status", "icd": "icd10_code", "icd10": "icd10_code", "uuid": "uuid",
        "guid": "uuid", "color": "color", "description": "description", "year": "year",
        "category": "category", "address": "address", "street": "street_address",
        "code": "code", "type": "category", "tier": "category", "plan": "category",
    }
)  # fmt: skip

_PEOPLE_TABLES = (
    "employee", "user", "contact", "customer", "people", "person", "patient", "student",
    "author", "member", "staff", "doctor", "teacher", "client_contact", "lead", "agent",
    "applicant", "candidate", "physician", "nurse", "driver", "owner", "subscriber",
)  # fmt: skip
_COMPANY_TABLES = (
    "compan", "organi", "account", "vendor", "supplier", "partner", "manufacturer", "brand",
    "tenant", "firm", "business", "employer", "merchant", "carrier", "shipper",
)  # fmt: skip
_NAME_BY_TABLE = (
    (("product", "item", "good", "inventor", "sku", "merchandise"), "product_name"),
    (("department", "division"), "department"),
    (("categor", "genre", "segment"), "category"),
    (("cit", "town"), "city"),
    (("countr", "nation"), "country"),
    (("state", "province", "region"), "state"),
    (("industr", "sector"), "industry"),
    (("tag", "label", "keyword"), "word"),
    (("color", "colour"), "color"),
    (("job", "position", "role", "title", "occupation"), "job_title"),
    (_PEOPLE_TABLES, "full_name"),
    (_COMPANY_TABLES, "company"),
)
_ORG_WORDS = re.compile(r"\b(organi[sz]ations?|compan(y|ies)|business(es)?|b2b|vendors?)\b", re.I)
# Comment phrases, checked in order; the first one found decides.
_COMMENT = (
    (r"\be-?mail\b", "email"),
    (r"\b(phone|mobile|telephone)\b", "phone"),
    (r"\b(organi[sz]ation|company|business|employer|vendor|supplier)\b.*\bname\b", "company"),
    (r"\bdepartment\b", "department"),
    (r"\bproduct\b.*\bname\b|\bname of the product\b", "product_name"),
    (r"\b(first|given) name\b", "first_name"),
    (r"\b(last|family) name\b|\bsurname\b", "last_name"),
    (r"\bjob title\b|\bposition\b", "job_title"),
    (r"\b(full name|person'?s name|name of the (person|employee|customer|patient|contact))\b",
     "full_name"),
    (r"\bdate of birth\b|\bbirth ?date\b|\bborn\b", "birth_date"),
    (r"\bicd", "icd10_code"),
    (r"\b(web ?site|url|home ?page)\b", "url"),
    (r"\b(zip|postal) ?code\b|\bpostcode\b", "postal_code"),
    (r"\bcity\b", "city"),
    (r"\b(state|province)\b", "state"),
    (r"\bcountry\b", "country"),
    (r"\b(street|address)\b", "street_address"),
    (r"\bindustry\b", "industry"),
    (r"\bcategory\b", "category"),
    (r"\bsku\b|\bstock keeping unit\b", "sku"),
    (r"\bprice\b", "price"),
    (r"\bamount\b|\btotal\b", "amount"),
    (r"\bquantity\b|\bnumber of units\b", "quantity"),
    (r"\bpercent", "percentage"),
    (r"\brating\b|\bstars\b", "rating"),
    (r"\bcurrency\b", "currency"),
    (r"\bstatus\b", "status"),
    (r"\bdescription\b|\bnotes?\b|\bfree text\b", "description"),
)  # fmt: skip
_COMMENT_RE = tuple((re.compile(p, re.IGNORECASE), s) for p, s in _COMMENT)

# Which column kinds each semantic's values may be stored in.
_FAMILY: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "string": frozenset({"string", "text"}),
        "text": frozenset({"string", "text"}),
        "integer": frozenset({"integer", "float", "decimal"}),
        "float": frozenset({"integer", "float", "decimal"}),
        "decimal": frozenset({"integer", "float", "decimal"}),
        "date": frozenset({"date", "datetime"}),
        "datetime": frozenset({"date", "datetime"}),
        "boolean": frozenset({"boolean", "integer"}),
        "uuid": frozenset({"uuid", "string"}),
        "time": frozenset({"time"}),
    }
)
# Tokens that only decide when no stronger token is present ("email_address" is an email).
_WEAK_TOKENS = frozenset(
    {"address", "type", "tier", "plan", "code", "status", "year", "age", "rate"}
)
_BOOL_PREFIXES = ("is", "has", "can", "should", "allow", "allows", "was", "needs")
_BOOL_WORDS = frozenset(
    {"active", "enabled", "disabled", "verified", "deleted", "archived", "flag", "confirmed",
     "approved", "published", "visible", "locked", "blocked", "subscribed", "opt_in", "primary",
     "default", "paid", "completed", "valid", "discontinued", "sudo", "one_time"}
)  # fmt: skip
_BY_KIND = frozenset({"title", "status", "code", "text", "word", "version"})  # type/table decide
_TIME_SUFFIXES = ("at", "date", "on", "time", "timestamp", "ts", "datetime", "day")

_CHOICE_LEAD = re.compile(
    r"^(?:.*?:\s*|.*?\b(?:one of|either|values?|options?|can be|may be|e\.g\.|i\.e\.)\s*:?\s*)",
    re.IGNORECASE,
)
_CHOICE_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-' ]{0,29}$")


def name_tokens(name: str) -> list[str]:
    """Split a snake_case, kebab-case or camelCase identifier into lowercase tokens."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return [t for t in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if t]


def table_tokens(table: Table) -> list[str]:
    """Tokens of the table's key and SQL name, used to resolve ambiguous column names."""
    return name_tokens(table.key) + name_tokens(table.name)


def _compatible(semantic: str, kind: ColumnKind) -> bool:
    want = SEMANTIC_KINDS.get(semantic)
    if want is None:
        return False
    if kind in ("unknown", "json", "binary"):
        return False
    return kind in _FAMILY.get(want, frozenset({want}))


def _registered(tokens: list[str], kind: ColumnKind) -> str | None:
    """A registered kind named by the whole name, else by a token (the last token first)."""
    joined = "_".join(tokens)
    for entry in all_kinds():
        if joined in entry.exact and _compatible(entry.name, kind):
            return entry.name
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
    if joined in SEMANTIC_KINDS and joined not in _BY_KIND:
        return joined
    registered = _registered(tokens, kind)
    if registered:
        return registered
    if joined in _EXACT:
        return _EXACT[joined]
    if len(tokens) >= 2 and tokens[-1] == "name" and tokens[-2] in ("first", "given"):
        return "first_name"
    if len(tokens) >= 2 and tokens[-1] == "name" and tokens[-2] in ("last", "family"):
        return "last_name"
    if len(tokens) >= 2 and tokens[-1] == "name" and tokens[-2] == "full":
        return "full_name"
    if kind == "boolean" or (
        tokens
        and ((tokens[0] in _BOOL_PREFIXES and len(tokens) > 1) or joined in _BOOL_WORDS)
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
    if kind in ("date", "datetime") and "birth" in tokens:
        return "birth_date"
    if kind in ("date", "datetime"):
        if tokens[0] in ("created", "creation", "inserted", "registered"):
            return "created_at"
        if tokens[0] in ("updated", "modified", "changed"):
            return "updated_at"
    for weak in (False, True):
        for token in reversed(tokens):
            if token in _TOKEN and (token in _WEAK_TOKENS) == weak:
                return _TOKEN[token]
    return None


def _head_semantic(words: list[str], hints: tuple[tuple[tuple[str, ...], str], ...]) -> str | None:
    for word in words:
        for prefixes, semantic in hints:
            if any(word.startswith(p) for p in prefixes):
                return semantic
    return None


def _is_organisation(table: Table) -> bool:
    """Customer/client tables hold companies when the docstring or sibling columns say so."""
    if table.description and _ORG_WORDS.search(table.description):
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
            found = _head_semantic(words, _NAME_BY_TABLE)
            if found == "full_name" and any(
                w.startswith(("customer", "client", "lead", "account")) for w in words
            ):
                return "company" if _is_organisation(table) else "full_name"
            if found:
                return found
        return "title"
    if joined == "title":
        for words in heads:
            found = _head_semantic(words, _NAME_BY_TABLE)
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
    if semantic == "address" and not column.semantic:
        others = {t for c in table.columns if c is not column for t in name_tokens(c.name)}
        if others & _PLACE_PARTS:
            return "street_address"
    return semantic


def _names_an_organisation(column: Column, table: Table) -> bool:
    """``customerName`` beside ``contactFirstName`` is the customer company, not a person."""
    tokens = name_tokens(column.name)
    if not tokens or tokens[0] not in ("customer", "client", "account"):
        return False
    return any(name_tokens(c.name)[:1] == ["contact"] for c in table.columns if c is not column)


_PLACE_PARTS = frozenset({"city", "town", "state", "region", "province", "zip", "zipcode",
                          "postal", "postcode"})  # fmt: skip


def _measure(column: Column, table: Table, tokens: list[str]) -> str | None:
    """What a number measures when its table or siblings say it (a film's ``length``)."""
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
    tokens = name_tokens(column.name) or ["value"]
    ambiguous = "_".join(tokens) in ("name", "title", "status", "type", "code", "kind", "label")
    if kind in ("integer", "float", "decimal"):
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
        for regex, semantic in _COMMENT_RE:
            if regex.search(column.comment) and _compatible(semantic, kind):
                return semantic
    guess = _from_table(tokens, table, column)
    if guess and _compatible(guess, kind):
        return guess
    if kind in ("date", "datetime") and tokens[-1] in _TIME_SUFFIXES:
        return kind
    if kind == "text":
        return "text"
    return kind


def comment_choices(comment: str | None) -> tuple[str, ...] | None:
    """Read an enumeration of allowed values out of a column comment.

    Recognises lists of 2 to 12 short tokens separated by commas, slashes or pipes (the last one
    may be joined by "or"/"and"), optionally after a lead-in such as ``"Status:"`` or ``"one of"``
    or inside parentheses: ``"Active, Inactive, Prospect"``, ``"Order status (new/paid/void)"``.
    Without a lead-in every token must start with a capital letter or a digit, so ordinary prose
    ("the name, used for billing") is not mistaken for a list.

    Args:
        comment: The column comment, or None.

    Returns:
        The tokens in the order written, or None when the comment is not such a list.
    """
    if not comment:
        return None
    text = comment.strip().rstrip(".")
    marked = False
    paren = re.search(r"\(([^()]*[,/|][^()]*)\)", text)
    if paren:
        text, marked = paren.group(1), True
    else:
        lead = _CHOICE_LEAD.match(text)
        if lead and lead.end() > 0 and re.search(r"[,/|]", text[lead.end() :]):
            text, marked = text[lead.end() :], True
    parts = re.split(r"\s*[,/|;]\s*|\s+or\s+", text)
    if len(parts) >= 2:
        last = re.split(r"\s+(?:or|and)\s+", parts[-1])
        parts = parts[:-1] + last
    tokens = [p.strip().strip("'\"`").strip() for p in parts]
    tokens = [re.sub(r"^(?:or|and)\s+", "", t) for t in tokens if t]
    if not 2 <= len(tokens) <= 12 or len(set(tokens)) != len(tokens):
        return None
    for token in tokens:
        if not _CHOICE_TOKEN.match(token) or len(token.split()) > 3:
            return None
        if not marked and not (token[0].isupper() or token[0].isdigit()):
            return None
    return tuple(tokens)
