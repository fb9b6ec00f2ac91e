"""Generated data of real schemas, and the checks a person makes when reading it.

:func:`generate` fills one schema with no configuration: the published DDL of
``tests/published/`` loaded into its own database and reflected (filled with the database as the
judge where syda can fill it today), or the CRM demo's models. The checks are small functions
over the frames that return ``True`` when every row reads as believable; the test module lists
them per schema as data.
"""

from __future__ import annotations

import datetime
import importlib.util
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from faker.providers.address.en_US import Provider as Address
from faker.providers.company.en_US import Provider as Company

from syda import SyntheticDataGenerator
from syda.database import reflect_database
from tests.support import published

Frames = dict[str, pd.DataFrame]

ROWS = 150
SEED = 11
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


# Faker's buzzword lists: a name built from them is a catch-phrase, not a real name.
BUZZWORDS = frozenset(
    part.lower()
    for words in Company.catch_phrase_words
    for phrase in words
    for part in re.split(r"[\s-]+", phrase)
)
COUNTRIES = frozenset(Address.countries) | {"USA", "UK", "United States", "United Kingdom"}
# Faker's abbreviations hold DC among the 50 states' (after DE): pair the states without it.
STATE_ABBR = frozenset(Address.states_abbr)
US_STATES = dict(zip(Address.states, (a for a in Address.states_abbr if a != "DC"), strict=True))
EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}", re.IGNORECASE)
PHONE = re.compile(r"\+?[0-9 ().x-]{7,25}")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
URL = re.compile(r"https?://[^\s]+")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
LOCALE = re.compile(r"[a-z]{2}([_-][A-Z]{2})?")


def generate(schema_id: str, workdir: Path, server_url: str | None) -> Frames:
    """Fill one schema (``published`` id such as ``chinook-sqlite``, or ``crm``) with ROWS rows."""
    generator = SyntheticDataGenerator(seed=SEED)
    if schema_id == "crm":
        return generator.generate_related_data(_crm_models(), default_sample_size=ROWS)
    if schema_id == "crm-stream":
        return _streamed(generator, _crm_models(), workdir)
    source = {s.id: s for s in published.SCHEMAS}[schema_id]
    with published.loaded(source, workdir, server_url) as engine:
        schema = reflect_database(engine)
        return generator.generate_related_data(schema, default_sample_size=ROWS, db_url=engine)


def _streamed(generator: SyntheticDataGenerator, models: Any, workdir: Path) -> Frames:
    """The streaming engine's rows, in chunks of a third of a table, read back from Parquet."""
    report = generator.generate_to(
        models, workdir / "stream", default_sample_size=ROWS, chunk_rows=ROWS // 3
    )
    return {key: pd.read_parquet(path) for key, path in report.paths.items()}


def _crm_models() -> list[Any]:
    spec = importlib.util.spec_from_file_location("crm_models", EXAMPLES / "crm_models.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.MODELS)


def workdir() -> Path:
    """A fresh folder for a SQLite file."""
    return Path(tempfile.mkdtemp(prefix="syda-realism-"))


# --- checks: each returns True when every (non-null) row reads as believable ----------------


def _values(frames: Frames, table: str, column: str) -> pd.Series:
    return frames[table][column].dropna()


def _text(frames: Frames, table: str, column: str) -> pd.Series:
    return _values(frames, table, column).astype(str)


def _naive(frame: pd.DataFrame, column: str) -> pd.Series:
    values = pd.to_datetime(frame[column])
    return values.dt.tz_localize(None) if values.dt.tz is not None else values


def ordered(frames: Frames, table: str, early: str, late: str) -> bool:
    """``late`` is never before ``early`` where both are set."""
    frame = frames[table]
    a, b = _naive(frame, early), _naive(frame, late)
    both = a.notna() & b.notna()
    return bool(both.any()) and bool((a[both] <= b[both]).all())


def after_parent(
    frames: Frames, child: str, fk: str, parent: str, pk: str, late: str, early: str
) -> bool:
    """A child's ``late`` date is not before its parent's ``early`` date."""
    joined = _join(frames, child, fk, parent, pk, late, early)
    a, b = _naive(joined, "_early"), _naive(joined, "_late")
    both = a.notna() & b.notna()
    return bool(both.any()) and bool((a[both] <= b[both]).all())


def _join(
    frames: Frames, child: str, fk: str, parent: str, pk: str, child_col: str, parent_col: str
) -> pd.DataFrame:
    left = frames[child][[fk, child_col]].rename(columns={child_col: "_late"})
    right = frames[parent][[pk, parent_col]].rename(columns={parent_col: "_early", pk: fk})
    return left.merge(right, on=fk, how="inner")


def agree(
    frames: Frames, child: str, fk: str, parent: str, pk: str, child_col: str, parent_col: str
) -> bool:
    """A child's ``child_col`` equals its parent's ``parent_col`` (a key along two paths)."""
    joined = _join(frames, child, fk, parent, pk, child_col, parent_col)
    both = joined["_late"].notna() & joined["_early"].notna()
    equal = joined["_late"][both].astype(str) == joined["_early"][both].astype(str)
    return bool(both.any()) and bool(equal.all())


def times_parent(
    frames: Frames, child: str, fk: str, parent: str, pk: str, qty: str, price: str, total: str
) -> bool:
    """A child's ``total`` is its ``qty`` times its parent's ``price`` (to the cent)."""
    joined = frames[child][[fk, qty, total]].merge(
        frames[parent][[pk, price]].rename(columns={pk: fk}), on=fk
    )
    expected = (joined[qty].astype(float) * joined[price].astype(float)).round(2)
    return bool(len(joined)) and bool(
        ((joined[total].astype(float) - expected).abs() < 0.011).all()
    )


def product_of(frames: Frames, table: str, qty: str, price: str, total: str) -> bool:
    """A row's ``total`` is its ``qty`` times its ``price`` (to the cent)."""
    frame = frames[table].dropna(subset=[qty, price, total])
    expected = (frame[qty].astype(float) * frame[price].astype(float)).round(2)
    return not frame.empty and bool(((frame[total].astype(float) - expected).abs() < 0.011).all())


def year_of(frames: Frames, table: str, date: str, year: str) -> bool:
    """A row's ``year`` is the year of its ``date``."""
    frame = frames[table].dropna(subset=[date, year])
    years = pd.to_datetime(frame[date]).dt.year
    return not frame.empty and bool((years == frame[year].astype(int)).all())


def sums_children(
    frames: Frames, parent: str, pk: str, total: str, child: str, fk: str, amount: str
) -> bool:
    """A parent's ``total`` is the sum of its children's ``amount`` (to the cent)."""
    sums = frames[child].groupby(fk)[amount].sum()
    parents = frames[parent].set_index(pk)
    expected = sums.reindex(parents.index, fill_value=0).astype(float)
    return bool(((parents[total].astype(float) - expected).abs() < 0.011).all())


def sums_lines(
    frames: Frames,
    parent: str,
    pk: str,
    total: str,
    child: str,
    fk: str,
    qty: str,
    price: str,
) -> bool:
    """A parent's ``total`` is the sum of its children's ``qty`` times ``price`` (to the cent)."""
    lines = frames[child]
    amounts = lines[qty].astype(float) * lines[price].astype(float)
    sums = amounts.groupby(lines[fk]).sum()
    parents = frames[parent].set_index(pk)
    expected = sums.reindex(parents.index, fill_value=0).astype(float)
    return bool(len(lines)) and bool(
        ((parents[total].astype(float) - expected).abs() < 0.011).all()
    )


def with_children(frames: Frames, parent: str, pk: str, child: str, fk: str) -> Frames:
    """``frames`` with only the ``parent`` rows that have a child (an invoice with lines)."""
    rows = frames[parent]
    return {**frames, parent: rows[rows[pk].isin(frames[child][fk])]}


def has_children(frames: Frames, parent: str, pk: str, child: str, fk: str) -> bool:
    """Every ``parent`` row has at least one child (no invoice without a line)."""
    return bool(frames[parent][pk].isin(frames[child][fk]).all())


def no_nulls(frames: Frames, table: str, column: str) -> bool:
    """Every row has a value (a product has a price)."""
    return bool(len(frames[table])) and bool(frames[table][column].notna().all())


def round_discounts(frames: Frames, table: str, column: str, unit: float) -> bool:
    """Discounts are none on most rows, else a round 5, 10, 15 or 20 (``unit``: 0.01 or 1)."""
    values = pd.to_numeric(_values(frames, table, column)).astype(float)
    steps = set((values / unit / 5).round(6))
    return not values.empty and steps <= {0, 1, 2, 3, 4} and (values == 0).mean() >= 0.4


def years_apart(frames: Frames, table: str, early: str, late: str, low: int, high: int) -> bool:
    """``late`` is between ``low`` and ``high`` years after ``early`` (an adult's age at hire)."""
    frame = frames[table]
    a, b = _naive(frame, early), _naive(frame, late)
    both = a.notna() & b.notna()
    years = (b[both] - a[both]).dt.days / 365.25
    return bool(both.any()) and bool(years.between(low, high).all())


def within(frames: Frames, table: str, column: str, low: float, high: float) -> bool:
    """Every value lies in [low, high]."""
    values = pd.to_numeric(_values(frames, table, column))
    return not values.empty and bool(values.between(low, high).all())


def whole(frames: Frames, table: str, column: str, low: int, high: int) -> bool:
    """Every value is a whole number in [low, high] (a quantity, a count, a flag)."""
    values = pd.to_numeric(_values(frames, table, column))
    return within(frames, table, column, low, high) and bool((values % 1 == 0).all())


def money(frames: Frames, table: str, column: str, low: float, high: float) -> bool:
    """Every value is an amount in [low, high] with at most two decimals."""
    values = pd.to_numeric(_values(frames, table, column)).astype(float)
    cents = ((values * 100).round(6) % 1 == 0).all()
    return within(frames, table, column, low, high) and bool(cents)


def year_range(frames: Frames, table: str, column: str, low: int, high: int) -> bool:
    """Dates (or year numbers) fall in the years [low, high]."""
    values = _values(frames, table, column)
    if pd.api.types.is_numeric_dtype(values) or values.astype(str).str.fullmatch(r"\d{4}").all():
        years = pd.to_numeric(values)
    else:
        years = pd.to_datetime(values).dt.year
    return not years.empty and bool(years.between(low, high).all())


def past(frames: Frames, table: str, column: str) -> bool:
    """No value is in the future."""
    values = _naive(frames[table], column).dropna()
    return not values.empty and bool((values <= pd.Timestamp(datetime.date.today())).all())


def one_of(frames: Frames, table: str, column: str, vocabulary: Iterable[Any]) -> bool:
    """Every value comes from ``vocabulary``."""
    values = _text(frames, table, column)
    return not values.empty and bool(values.isin({str(v) for v in vocabulary}).all())


def matches(frames: Frames, table: str, column: str, pattern: str | re.Pattern[str]) -> bool:
    """Every value matches ``pattern`` as a whole."""
    values = _text(frames, table, column)
    return not values.empty and bool(values.str.fullmatch(pattern).all())


def distinct(frames: Frames, table: str, column: str) -> bool:
    """A lookup table's names do not repeat."""
    values = _text(frames, table, column)
    return not values.empty and values.is_unique


def distinct_pairs(frames: Frames, table: str, first: str, second: str) -> bool:
    """No two rows hold the same pair (an order lists each product on one line)."""
    pairs = frames[table][[first, second]].dropna()
    return not pairs.empty and not pairs.duplicated().any()


def no_number_suffix(frames: Frames, table: str, column: str) -> bool:
    """Names are not made unique by appending numbers (``Rock 2``)."""
    values = _text(frames, table, column)
    return not values.empty and not values.str.contains(r"\s\d+$").any()


def name_like(frames: Frames, table: str, column: str, max_words: int = 8) -> bool:
    """Values read as names or titles: no sentences, no lorem, no catch-phrases."""
    values = _text(frames, table, column)
    words = values.str.split()
    prose = values.str.contains(r"\.\s|\.$") & (words.str.len() >= 3)
    long = words.str.len() > max_words
    buzz = words.map(lambda ws: len(ws) >= 3 and all(w.lower() in BUZZWORDS for w in ws))
    return not values.empty and not (prose | long | buzz).any()


def email_of(frames: Frames, table: str, column: str, last_name: str) -> bool:
    """Emails are valid and hold the person's last name."""
    frame = frames[table].dropna(subset=[column, last_name])
    emails, names = frame[column].astype(str), frame[last_name].astype(str)
    valid = emails.str.fullmatch(EMAIL)
    owned = [_squash(n) in _squash(e.split("@")[0]) for e, n in zip(emails, names, strict=True)]
    return not frame.empty and bool(valid.all()) and all(owned)


def _squash(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def differ(frames: Frames, table: str, first: str, second: str) -> bool:
    """Two columns never hold the same value in a row (address line 2 is not line 1)."""
    frame = frames[table].dropna(subset=[first, second])
    return not bool((frame[first].astype(str) == frame[second].astype(str)).any())


def null_when(frames: Frames, table: str, column: str, status: str, values: Iterable[str]) -> bool:
    """``column`` is empty on every row whose ``status`` is one of ``values``."""
    frame = frames[table]
    rows = frame[status].isin(set(values))
    return bool(rows.any()) and bool(frame.loc[rows, column].isna().all())


def set_when(frames: Frames, table: str, column: str, status: str, values: Iterable[str]) -> bool:
    """``column`` is filled on every row whose ``status`` is one of ``values``."""
    frame = frames[table]
    rows = frame[status].isin(set(values))
    return bool(rows.any()) and bool(frame.loc[rows, column].notna().all())


def one_primary(frames: Frames, table: str, parent: str, flag: str, parents: str) -> bool:
    """Every parent row has exactly one child flagged primary."""
    frame = frames[table]
    counts = frame[frame[flag].astype(bool)].groupby(parent).size()
    ids = frames[parents].iloc[:, 0]
    with_children = ids[ids.isin(frame[parent])]
    return bool(counts.reindex(with_children, fill_value=0).eq(1).all())


def numbered(frames: Frames, table: str, parent: str, line: str) -> bool:
    """Line numbers run 1..n within each parent."""
    groups = frames[table].groupby(parent)[line]
    return bool(groups.apply(lambda s: sorted(s) == list(range(1, len(s) + 1))).all())


def greater(frames: Frames, table: str, high: str, low: str) -> bool:
    """``high`` is at least ``low`` in every row (list price over cost)."""
    frame = frames[table].dropna(subset=[high, low])
    return not frame.empty and bool((frame[high].astype(float) >= frame[low].astype(float)).all())


def state_codes(frames: Frames, table: str, name: str, code: str) -> bool:
    """US state abbreviations match their state's name."""
    frame = frames[table].dropna(subset=[name, code])
    expected = frame[name].map(US_STATES)
    return not frame.empty and bool((expected == frame[code]).all())


def few_repeats(frames: Frames, table: str, column: str, most: int) -> bool:
    """No value of ``column`` (a timestamp, say) is shared by more than ``most`` rows."""
    values = frames[table][column].dropna()
    return bool(len(values)) and int(values.value_counts().max()) <= most


def filled(frames: Frames, table: str, column: str) -> bool:
    """No row lacks the value (a genre without a name)."""
    values = frames[table][column]
    return bool(len(values)) and bool(values.notna().all())


def row_count(frames: Frames, table: str, low: int, high: int) -> bool:
    """The table has between ``low`` and ``high`` rows (a dozen media types, 50 states)."""
    return low <= len(frames[table]) <= high


def numbered_from_one(frames: Frames, table: str, column: str) -> bool:
    """The values are 1, 2, ..., n (the versions of applied migrations)."""
    values = sorted(pd.to_numeric(frames[table][column]).tolist())
    return bool(values) and values == list(range(1, len(values) + 1))


def known_pairs(frames: Frames, table: str, key: str, value: str, known: dict[str, str]) -> bool:
    """Rows whose ``key`` is in ``known`` hold its value (California's region is West)."""
    frame = frames[table][[key, value]].dropna()
    rows = frame[frame[key].isin(set(known))]
    return bool(len(rows)) and bool((rows[key].map(known) == rows[value]).all())


def at_midnight(frames: Frames, table: str, column: str) -> bool:
    """Timestamps of a day (a birth, a hire) carry no time of day."""
    values = _naive(frames[table], column).dropna()
    return not values.empty and bool((values == values.dt.normalize()).all())


def one_format(frames: Frames, table: str, *columns: str) -> bool:
    """Phone numbers of a table are written one way: digits aside, all alike."""
    values = pd.concat([_text(frames, table, c) for c in columns])
    shapes = values.str.replace(r"\d", "#", regex=True)
    return not values.empty and shapes.nunique() == 1


def describes(frames: Frames, table: str, name: str, text: str) -> bool:
    """Every row's ``text`` names the row (a product's description names the product)."""
    frame = frames[table].dropna(subset=[name, text])
    named = [
        str(n).lower() in str(t).lower() for n, t in zip(frame[name], frame[text], strict=True)
    ]
    return bool(named) and all(named)


def one_format_within(frames: Frames, table: str, group: str, *columns: str) -> bool:
    """Phone numbers are written one way within each ``group`` (a country's own way)."""
    frame = frames[table]
    shapes = pd.concat(
        [frame[c].astype("string").str.replace(r"\d", "#", regex=True) for c in columns]
    )
    groups = pd.concat([frame[group]] * len(columns))
    known = shapes.notna() & groups.notna()
    counts = shapes[known].groupby(groups[known]).nunique()
    return not counts.empty and bool((counts == 1).all())


# A North American number: 555-123-4567, (555) 123-4567, 1-555-123-4567.
NANP = re.compile(r"(1[ .-]?)?\(?[0-9]{3}\)?[ .-]?[0-9]{3}[ .-]?[0-9]{4}")


def local_phones(frames: Frames, table: str, country: str, phone: str, abroad: set[str]) -> bool:
    """Rows of the ``abroad`` countries have no North American number (an Italian's is Italian)."""
    frame = frames[table].dropna(subset=[country, phone])
    rows = frame[frame[country].isin(abroad)]
    phones = rows[phone].astype(str)
    return not rows.empty and not phones.map(lambda p: NANP.fullmatch(p) is not None).any()


def spread(frames: Frames, table: str, column: str, countries: int, top_share: float) -> bool:
    """Rows come from at least ``countries`` values, none above ``top_share`` of the rows."""
    values = _text(frames, table, column)
    shares = values.value_counts(normalize=True)
    return not values.empty and len(shares) >= countries and float(shares.iloc[0]) <= top_share


def priced_above(
    frames: Frames, table: str, group: str, price: str, dearer: str, cheaper: str
) -> bool:
    """The median ``price`` of rows whose ``group`` is ``dearer`` exceeds ``cheaper``'s."""
    frame = frames[table].dropna(subset=[group, price])
    medians = pd.to_numeric(frame[price]).groupby(frame[group]).median()
    return dearer in medians and cheaper in medians and medians[dearer] > medians[cheaper]


def mail_at_parent(
    frames: Frames, child: str, fk: str, email: str, parent: str, pk: str, site: str
) -> bool:
    """A child's ``email`` is at the domain of its parent's web ``site`` (a company's staff)."""
    joined = _join(frames, child, fk, parent, pk, email, site).dropna(subset=["_late", "_early"])
    hosts = joined["_early"].astype(str).str.replace(r"^https?://(www\.)?", "", regex=True)
    domains = joined["_late"].astype(str).str.split("@").str[-1]
    at_home = [d == h.split("/")[0] for d, h in zip(domains, hosts, strict=True)]
    return bool(at_home) and all(at_home)


def parent_title(
    frames: Frames, child: str, fk: str, parent: str, pk: str, title: str, words: Iterable[str]
) -> bool:
    """Every parent a child points at has a ``title`` holding one of ``words`` (a support rep)."""
    pointed = frames[child][fk].dropna().unique()
    rows = frames[parent][frames[parent][pk].isin(pointed)]
    wanted = tuple(w.lower() for w in words)
    titles = rows[title].dropna().astype(str).str.lower()
    return bool(len(titles)) and bool(titles.map(lambda t: any(w in t for w in wanted)).all())
