"""Column value generators for people, organisations and places, and the batch they share.

A :class:`Batch` holds what the columns of one batch of rows share: the random generator, the
value pools, the columns already filled (by this provider or, through ``request.context``, by the
engine), and *latent* draws made once per batch so that columns of the same row agree: one
person per row (first, last and full name, gender, email, username, phone locale), one address
record per row (street, city, state, postal code, country, coordinates; their generators live in
:mod:`syda.generators.values_places`) and one company per row
(company name, website, domain, work email). Every generator takes the batch and a
:class:`ColumnSpec` and returns a whole column as a numpy array, drawn without per-row Python
loops; constraints (NULLs, uniqueness, lengths, bounds) are applied afterwards by the provider.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from syda.generators import pools_world
from syda.generators.domains import catalogue, domain_of
from syda.generators.hosts import company_domains, hosts
from syda.generators.infer import name_tokens
from syda.generators.pools import AddressPool, Pools, slugify
from syda.generators.rows_at import distinct_draw
from syda.providers.base import FillRequest
from syda.schema.ir import Column

__all__ = [
    "GENERATORS",
    "Batch",
    "ColumnSpec",
    "Generator",
    "Person",
    "is_organisation_column",
    "map_distinct",
    "map_unique",
    "to_text",
]

ObjArray = np.ndarray[Any, np.dtype[np.object_]]
AnyArray = np.ndarray[Any, Any]


@dataclass(frozen=True)
class ColumnSpec:
    """A column together with what the provider decided about it.

    Attributes:
        column: The column.
        semantic: Its inferred (or declared) meaning.
        choices: Allowed values (``column.choices`` or read from the comment), else None.
        unique: True when the column alone must be unique.
    """

    column: Column
    semantic: str
    choices: tuple[Any, ...] | None
    unique: bool

    @property
    def name(self) -> str:
        """The column name."""
        return self.column.name

    @property
    def tokens(self) -> list[str]:
        """Lowercase tokens of the column name."""
        return name_tokens(self.column.name)


@dataclass(frozen=True)
class Person:
    """One latent person per row, as indices into the pools' global name tables."""

    first_idx: np.ndarray[Any, np.dtype[np.intp]]
    last_idx: np.ndarray[Any, np.dtype[np.intp]]
    female: np.ndarray[Any, np.dtype[np.bool_]]
    family_first: np.ndarray[Any, np.dtype[np.bool_]]
    locale: np.ndarray[Any, np.dtype[np.intp]]


def map_unique(values: AnyArray, fn: Callable[[Any], Any]) -> ObjArray:
    """Apply ``fn`` once per distinct value of ``values`` (not once per row) and spread back."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[:-1] = [fn(u) for u in uniques]
    mapped[-1] = None
    return mapped[codes]


def map_distinct(values: AnyArray | pd.Series[Any], fn: Callable[[ObjArray], ObjArray]) -> ObjArray:
    """:func:`map_unique` with ``fn`` taking all distinct values at once (an array of them).

    A series is factorized as it is (a parent's Arrow text by Arrow's hashing, no object copy).
    """
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[:-1] = fn(np.asarray(uniques, dtype=object))
    mapped[-1] = None
    return mapped[codes]


def to_text(values: AnyArray) -> ObjArray:
    """Return ``values`` as an object array of ``str`` (for integers, codes, suffixes)."""
    array = np.asarray(values)
    if array.dtype.kind in "iu" and len(array):
        try:
            import pyarrow as pa
        except ImportError:  # pyarrow is an extra
            return array.astype(str).astype(object)
        # Arrow spells integers like ``str`` does, three times faster than numpy's "<U21" cast
        # (the row-number suffixes of a chunk of 100,000 unique company names).
        spelled = pa.array(array).cast(pa.string()).to_numpy(zero_copy_only=False)
        return spelled.astype(object, copy=False)  # type: ignore[no-any-return]
    return array.astype(str).astype(object)


class Batch:
    """The state shared by the columns of one batch of rows."""

    def __init__(
        self,
        request: FillRequest,
        pools: Pools,
        specs: Mapping[str, ColumnSpec],
        today: date,
    ) -> None:
        self.request = request
        self.rng = request.rng
        self.n = request.n
        self.table = request.table
        self.pools = pools
        self.specs = specs
        self.today = np.datetime64(today, "D")
        self.values: dict[str, AnyArray] = {}
        self._person: Person | None = None
        self._address: np.ndarray[Any, np.dtype[np.intp]] | None = None
        self._abroad: bool | None = None
        self._company: np.ndarray[Any, np.dtype[np.intp]] | None = None
        self._product: np.ndarray[Any, np.dtype[np.intp]] | None = None
        self.draw_other: Callable[[Column, int], AnyArray] | None = None
        """Draws ``k`` values of another column (an array's element) the way the provider
        draws its own columns, when the provider offers it."""

    # -- values of other columns of the same rows ---------------------------------------------
    def known(self, name: str) -> AnyArray | None:
        """Values of column ``name`` for these rows, filled by us or given as context."""
        if name in self.values:
            return self.values[name]
        ctx = self.request.context
        if name in ctx.columns and len(ctx) == self.n:
            return ctx[name].to_numpy(dtype=object)
        return None

    def from_context(self, name: str) -> bool:
        """True when column ``name`` was filled by the engine rather than this provider."""
        return name not in self.values and self.known(name) is not None

    def sibling(self, *semantics: str, exclude: str = "") -> tuple[str, AnyArray] | None:
        """The first other column with one of ``semantics`` whose values are known."""
        for semantic in semantics:
            for name, spec in self.specs.items():
                if name != exclude and spec.semantic == semantic and spec.choices is None:
                    values = self.known(name)
                    if values is not None:
                        return name, values
        return None

    # -- latent draws shared by a row ----------------------------------------------------------
    @property
    def person(self) -> Person:
        """The latent person of every row, drawn on first use."""
        if self._person is None:
            self._person = self._draw_person()
        return self._person

    def _draw_person(self) -> Person:
        n, rng, locales = self.n, self.rng, self.pools.locales
        locale = rng.integers(0, len(locales), n) if len(locales) > 1 else np.zeros(n, np.intp)
        female = rng.random(n) < 0.5
        first_idx = np.empty(n, dtype=np.intp)
        last_idx = np.empty(n, dtype=np.intp)
        family_first = np.zeros(n, dtype=bool)
        for i, lp in enumerate(locales):
            in_locale = locale == i
            for is_female, pool, offset in (
                (True, lp.first_female, lp.female_offset),
                (False, lp.first_male, lp.male_offset),
            ):
                mask = in_locale & (female == is_female)
                first_idx[mask] = pool.draw(rng, int(mask.sum())) + offset
            last_idx[in_locale] = lp.last.draw(rng, int(in_locale.sum())) + lp.last_offset
            family_first[in_locale] = lp.family_first
        return Person(first_idx, last_idx, female, family_first, locale)

    def first_names(self) -> ObjArray:
        """The first name of every row's latent person."""
        return self.pools.first_names.names[self.person.first_idx]  # type: ignore[no-any-return]

    def last_names(self) -> ObjArray:
        """The last name of every row's latent person."""
        return self.pools.last_names.names[self.person.last_idx]  # type: ignore[no-any-return]

    @property
    def places(self) -> AddressPool:
        """The address records of the rows: the locale's, and abroad where rows keep a country."""
        return self._places()[0]

    def _places(self) -> tuple[AddressPool, np.ndarray[Any, Any] | None]:
        if self._abroad is None:
            states = [s for s in self.specs.values() if s.semantic == "state"]
            short = any(s.column.length is not None and s.column.length <= 3 for s in states)
            semantics = {s.semantic for s in self.specs.values() if s.semantic}
            words = name_tokens(self.table.name)
            self._abroad = pools_world.abroad(words, semantics, short, self.pools)
        if self._abroad:
            return pools_world.places_abroad(self.pools)
        return self.pools.addresses, None

    @property
    def address(self) -> np.ndarray[Any, np.dtype[np.intp]]:
        """Index of every row's address record (in :attr:`places`), drawn on first use."""
        if self._address is None:
            fits = self._fitting_addresses()
            weights = self._places()[1]
            if weights is None:
                self._address = fits[self.rng.integers(0, len(fits), self.n)]
            else:
                p = weights[fits] / weights[fits].sum()
                self._address = fits[self.rng.choice(len(fits), size=self.n, p=p)]
        return self._address

    def distinct_addresses(self, field: str) -> None:
        """Rows get records of distinct ``field`` values (one per state) unless already drawn."""
        if self._address is not None:
            return
        fits = self._fitting_addresses()
        values = getattr(self.places, field)[fits]
        _, first = np.unique(values.astype(str), return_index=True)
        order = fits[self.rng.permutation(first)]
        self._address = order[np.arange(self.n) % len(order)]

    def _fitting_addresses(self) -> np.ndarray[Any, np.dtype[np.intp]]:
        """Address records whose parts fit this table's columns.

        A city in ``VARCHAR(15)`` is drawn among short city names, never cut to
        ``North Sherribur``.
        """
        pool = self.places
        ok = np.ones(len(pool), dtype=bool)
        for spec in self.specs.values():
            part = _ADDRESS_PARTS.get(spec.semantic)
            length = spec.column.length
            if part is None or length is None or (part == "state" and length <= 3):
                continue
            values = getattr(pool, part)
            ok &= np.strings.str_len(values.astype(np.dtypes.StringDType())) <= length
        fits = np.flatnonzero(ok)
        # A column too narrow for most records keeps them all and is cut instead.
        return fits if len(fits) >= min(20, len(pool)) else np.arange(len(pool))

    @property
    def domain(self) -> str | None:
        """The table's domain (``"software"``, ``"film"``...), from its text and the prompt."""
        return domain_of(self.table, self.request.prompt)

    @property
    def catalogue(self) -> tuple[ObjArray, ObjArray]:
        """Product names and their categories (aligned) for the table's domain."""
        found = catalogue(self.domain)
        if found is not None:
            return found
        return self.pools.product_names, self.pools.product_categories

    @property
    def product(self) -> np.ndarray[Any, np.dtype[np.intp]]:
        """Index of every row's catalogue product (its name and category agree)."""
        if self._product is None:
            size = len(self.catalogue[0])
            if self._lists_products():
                # A catalogue names each product once while its vocabulary lasts.
                what = f"{self.table.key}.product"
                self._product = distinct_draw(self.rng, size, self.n, what)
            else:
                self._product = self.rng.integers(0, size, self.n)
        return self._product

    def _lists_products(self) -> bool:
        """The table is the catalogue: a product name column names its rows (``products.name``).

        An order line's ``product_name`` names the line's product, which other lines repeat.
        """
        head = (name_tokens(self.table.name) or [""])[-1]
        own = {head, head.removesuffix("s"), head.removesuffix("es"), *_NAMING_WORDS}
        return any(
            s.semantic == "product_name" and set(name_tokens(s.column.name)) <= own
            for s in self.specs.values()
        )

    @property
    def company(self) -> np.ndarray[Any, np.dtype[np.intp]]:
        """Index of every row's company, drawn on first use."""
        if self._company is None:
            self._company = self.rng.integers(0, len(self.pools.companies), self.n)
        return self._company

    def distinct_companies(self) -> None:
        """Make every row's company a different one while the pool lasts (unique names)."""
        size = len(self.pools.companies)
        self._company = distinct_draw(self.rng, size, self.n, f"{self.table.key}.company")


Generator = Callable[[Batch, ColumnSpec], AnyArray]
_NAMING_WORDS = frozenset({"name", "title", "label"})
_ADDRESS_PARTS = {"street_address": "street", "city": "city", "state": "state",
                  "postal_code": "postal_code"}  # fmt: skip


def _fill_missing(values: AnyArray, fallback: ObjArray) -> ObjArray:
    out = np.asarray(values, dtype=object).copy()
    missing = pd.isna(pd.Series(out, dtype=object)).to_numpy()
    out[missing] = fallback[missing]
    return out


def _given_names(b: Batch, spec: ColumnSpec) -> tuple[ObjArray, ObjArray] | None:
    """First and last names from same-row columns the engine filled, if there are any."""
    given_first = b.sibling("first_name", exclude=spec.name)
    given_last = b.sibling("last_name", exclude=spec.name)
    given_full = b.sibling("full_name", exclude=spec.name)
    first = last = None
    if given_first and b.from_context(given_first[0]):
        first = _fill_missing(given_first[1], b.first_names())
    if given_last and b.from_context(given_last[0]):
        last = _fill_missing(given_last[1], b.last_names())
    if given_full and b.from_context(given_full[0]) and not (given_first or given_last):
        full = pd.Series(
            _fill_missing(given_full[1], b.first_names() + " " + b.last_names()), dtype=object
        )
        split = full.str.split(" ", n=1, expand=True).reindex(columns=[0, 1])
        first = _fill_missing(np.array(split[0], dtype=object), b.first_names())
        last = _fill_missing(np.array(split[1], dtype=object), b.last_names())
    if first is None and last is None:
        return None
    return (
        first if first is not None else b.first_names(),
        last if last is not None else b.last_names(),
    )


def first_name(b: Batch, spec: ColumnSpec) -> AnyArray:
    """First names of the row's person."""
    return b.first_names()


def last_name(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Last names of the row's person."""
    return b.last_names()


def full_name(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Full names, from same-row first/last name columns when there are any."""
    p = b.person
    given = _given_names(b, spec)
    if given is not None:
        first, last = given
        western = first + " " + last
    else:
        first, last = b.first_names(), b.last_names()
        western = b.pools.first_names.spaced[p.first_idx] + last
    if not p.family_first.any():
        return western  # type: ignore[no-any-return]
    return np.where(p.family_first, last + " " + first, western)  # type: ignore[no-any-return]


def gender(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Gender matching the first name drawn for the row (a few rows non-binary)."""
    short = spec.column.length is not None and spec.column.length < 6
    female, male, other = ("F", "M", "X") if short else ("Female", "Male", "Non-binary")
    out = np.where(b.person.female, female, male).astype(object)
    out[b.rng.random(b.n) < 0.01] = other
    return out


def name_prefix(b: Batch, spec: ColumnSpec) -> AnyArray:
    """A courtesy title matching the row's first name (a few doctors)."""
    out = np.where(b.person.female, np.where(b.rng.random(b.n) < 0.6, "Ms.", "Mrs."), "Mr.").astype(
        object
    )
    out[b.rng.random(b.n) < 0.08] = "Dr."
    return out


def phone_extension(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Internal phone extensions: two to five digits, within the column's length."""
    digits = min(max(spec.column.length or 4, 2), 5)
    return b.rng.integers(10 ** (digits - 1), 10**digits, size=b.n).astype(str).astype(object)


_STYLES = np.array([0.45, 0.15, 0.1, 0.1, 0.12, 0.08])


def _local_parts(b: Batch, spec: ColumnSpec, style: np.ndarray | None = None) -> ObjArray:
    """Mailbox/user names built from the row's names: ``jane.doe``, ``jdoe``, ``jane_doe42``.

    ``style`` (an index of :data:`_STYLES` per row) is drawn by the weights where not given
    (None, or a negative entry).
    """
    given = _given_names(b, spec)
    if given is None:  # the fast path: every piece is a precomputed pool entry
        fi, li = b.person.first_idx, b.person.last_idx
        first, last = b.pools.first_names, b.pools.last_names
        fs, fdot, fus, finit = first.slugs, first.dotted, first.underscored, first.initials
        ls, ldot = last.slugs, last.dotted
    else:  # names given by the engine: slug each distinct name once, then index per row
        fi = li = np.arange(b.n)
        fs = _fill_missing(
            map_unique(given[0], slugify), b.pools.first_names.slugs[b.person.first_idx]
        )
        ls = _fill_missing(
            map_unique(given[1], slugify), b.pools.last_names.slugs[b.person.last_idx]
        )
        fdot, fus, ldot = fs + ".", fs + "_", ls + "."
        finit = map_unique(fs, lambda name: name[:1])
    drawn = np.searchsorted(np.cumsum(_STYLES), b.rng.random(b.n) * _STYLES.sum(), side="right")
    style = drawn if style is None else np.where(style < 0, drawn, style)
    digits = b.pools.number_strings[b.rng.integers(1, 100, b.n)]
    out = np.empty(b.n, dtype=object)
    for k in range(len(_STYLES)):
        m = style == k
        if not m.any():
            continue
        f, last_part = fi[m], li[m]
        if k == 0:
            out[m] = fdot[f] + ls[last_part]
        elif k == 1:
            out[m] = finit[f] + ls[last_part]
        elif k == 2:
            out[m] = fus[f] + ls[last_part]
        elif k == 3:
            out[m] = fs[f] + ls[last_part]
        elif k == 4:
            out[m] = fs[f] + ls[last_part] + digits[m]
        else:
            out[m] = ldot[last_part] + fs[f]
    return out


def row_domains(b: Batch, spec: ColumnSpec) -> ObjArray | None:
    """The organisation domain of each row (None where unknown), from same-row or parent columns.

    A website or domain column of the row wins, then the row's company (its derived domain),
    then a website/domain column of a parent row the row points at.
    """
    found = b.sibling("url", "domain", exclude=spec.name)
    if found:
        return map_distinct(found[1], hosts)
    company = b.sibling("company", exclude=spec.name)
    if company:
        if b.from_context(company[0]):
            tld = b.pools.tld
            return map_distinct(company[1], lambda names: company_domains(names, tld))
        return b.pools.company_domains[b.company]  # type: ignore[no-any-return]
    for frame in b.request.parents.values():
        for col in frame.columns:
            if len(frame) == b.n and is_organisation_column(str(col)):
                return map_distinct(frame[col], hosts)
    return None


_ORGANISATION_WORDS = frozenset({"website", "url", "domain", "homepage"})
# A URL of a file or an endpoint is not where the organisation's people get their mail.
_NOT_ORGANISATION_WORDS = frozenset(
    {"image", "img", "avatar", "photo", "picture", "logo", "icon", "thumbnail", "thumb",
     "video", "audio", "file", "download", "callback", "redirect", "webhook", "api", "feed"}
)  # fmt: skip


def is_organisation_column(name: str) -> bool:
    """Whether a parent column named ``name`` gives its children's emails their domain.

    The streaming engine keeps such columns of every parent (it keeps only what children
    read), so a contact streamed in chunks mails from its company as it does in memory.
    """
    tokens = set(name_tokens(name))
    return bool(_ORGANISATION_WORDS & tokens) and not _NOT_ORGANISATION_WORDS & tokens


def email(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Lowercase emails from the row's names, at the row's organisation or a webmail domain."""
    local = _local_parts(b, spec)
    out = local + b.pools.at_email_domains[b.pools.email_domains.draw(b.rng, b.n)]
    org = row_domains(b, spec)
    if org is not None:
        use = pd.notna(pd.Series(org, dtype=object)).to_numpy() & (b.rng.random(b.n) < 0.85)
        out[use] = local[use] + "@" + org[use]
    return out  # type: ignore[no-any-return]


# A company writes every address one way: first.last mostly, else jdoe, jane_doe or doe.jane.
_HOUSE_STYLES = (0, 0, 0, 0, 0, 1, 1, 2, 5)


def work_email(b: Batch, spec: ColumnSpec) -> AnyArray:
    """A company's staff's emails: at its domain in its house style (``jane.doe@acme.com``).

    The domain is the row's organisation's (:func:`row_domains`: the company a contact works
    for); only rows with none known write from a webmail domain.
    """
    org = row_domains(b, spec)
    if org is None:
        return email(b, spec)
    known = pd.notna(pd.Series(org, dtype=object)).to_numpy()
    size = len(_HOUSE_STYLES)
    house = map_unique(org, lambda d: _HOUSE_STYLES[zlib.crc32(d.encode()) % size] if d else -1)
    local = _local_parts(b, spec, np.where(known, house, -1).astype(np.int64))
    out = local + b.pools.at_email_domains[b.pools.email_domains.draw(b.rng, b.n)]
    out[known] = local[known] + "@" + org[known]
    return out  # type: ignore[no-any-return]


def username(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Usernames from the row's names (``jdoe``, ``jane.doe``, ``jane_doe42``)."""
    return _local_parts(b, spec)


def phone(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Phone numbers in one format of the row person's locale (no extensions).

    In a table whose rows live abroad (:mod:`syda.generators.pools_world`), the locale is the
    country of the row's address: a customer in Italy has an Italian number.

    A table writes its numbers one way (a system formats them on entry): every row of a
    locale, and the table's phone and fax columns alike, take the same format, chosen by the
    table's name so that every batch agrees. Only the formats that fit the column's length are
    chosen from (all of them if none fits), so a number is never cut short.
    """
    out = np.empty(b.n, dtype=object)
    groups = [(b.person.locale == i, lp.phone_formats) for i, lp in enumerate(b.pools.locales)]
    if b._places()[1] is not None:  # rows abroad: each number in its address's country format
        codes = b.places.country_code[b.address].astype(str)
        formats_of = pools_world.phone_formats_abroad(b.pools)
        groups = [(codes == c, formats_of[c]) for c in np.unique(codes) if c in formats_of]
        groups.append((~np.isin(codes, list(formats_of)), b.pools.locales[0].phone_formats))
    length = spec.column.length
    pick = zlib.crc32(b.table.name.encode("utf-8"))
    for mask, formats in groups:
        rows = np.flatnonzero(mask)
        if length is not None:
            formats = tuple(f for f in formats if len(f) <= length) or formats
        if len(rows):
            out[rows] = _fill_template(formats[pick % len(formats)], b.rng, len(rows))
    return out


def _fill_template(fmt: str, rng: np.random.Generator, k: int) -> ObjArray:
    """``#`` becomes any digit, ``%`` a digit 1-9 and ``$`` a digit 2-9 (Faker's conventions)."""
    template = np.frombuffer(fmt.encode("utf-32-le"), dtype=np.uint32)
    matrix = np.broadcast_to(template, (k, len(template))).copy()
    for mark, low in (("#", 0), ("%", 1), ("$", 2)):
        cols = template == ord(mark)
        if cols.any():
            matrix[:, cols] = rng.integers(ord("0") + low, ord("9") + 1, (k, int(cols.sum())))
    return matrix.view(f"<U{len(template)}").ravel().astype(object)


def company(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Company names (the row's latent company, so its website and domain agree)."""
    if spec.unique:
        b.distinct_companies()  # drawn without repeats, so no name needs a number suffix
    return b.pools.companies[b.company]  # type: ignore[no-any-return]


def _company_domains(b: Batch, spec: ColumnSpec) -> ObjArray:
    found = b.sibling("company", exclude=spec.name)
    # Also for our own company column: making it unique may have drawn other names.
    if found:
        fallback = b.pools.company_domains[b.company]
        tld = b.pools.tld  # a property: read once, not once a name
        derived = map_distinct(found[1], lambda names: company_domains(names, tld))
        return _fill_missing(derived, fallback)
    return b.pools.company_domains[b.company]  # type: ignore[no-any-return]


def url(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Websites of the row's company: ``Acme Corp`` becomes ``https://www.acmecorp.com``."""
    return "https://www." + _company_domains(b, spec)  # type: ignore[no-any-return]


def domain(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Web domains of the row's company."""
    return _company_domains(b, spec)


GENERATORS: Mapping[str, Generator] = {
    "first_name": first_name,
    "last_name": last_name,
    "full_name": full_name,
    "gender": gender,
    "name_prefix": name_prefix,
    "phone_extension": phone_extension,
    "email": email,
    "work_email": work_email,
    "username": username,
    "phone": phone,
    "company": company,
    "url": url,
    "domain": domain,
}
