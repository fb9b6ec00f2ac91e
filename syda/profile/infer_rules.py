"""The rules inference follows to write specs a careful person would: data, not code.

Each table below is read by :mod:`syda.profile.inferred`; a new rule is a new row here. Words are
name tokens (:func:`syda.generators.infer.name_tokens`: ``shippedDate`` -> ``shipped``, ``date``).

* :data:`FOLLOWS`: a date named like the later event follows a date of the same row (or of a
  parent through a foreign key) named like the earlier one, by a typical gap.
* :data:`CREATION` / :data:`CHILD_EVENTS`: a child's first events happen after its parent exists.
* :data:`STATUS_IMPLIES`: a nullable date is set only on rows whose status says it happened.
* :data:`ONE_PER_PARENT`: a flag that marks one row per parent (the primary contact).
* :data:`YEARS`: integer year columns get years from a plausible window, relative to today.
* :data:`FLAG_PAIRS`: the other value of a one-letter flag whose default is known.
* :data:`MEASURES`: readings (temperatures, pressures, humidity) and counters (views, likes,
  retries) drawn in the range and shape they have, not a generic number.
* :data:`QUANTITY` ... :data:`HEADER_TOTALS`: the arithmetic of a line and its document: a
  line's unit price is its product's, its amount quantity times price (less its discount), and
  its document's total the sum of its lines (read by :mod:`syda.profile.inferred_sums`).
"""

from __future__ import annotations

from dataclasses import dataclass

from syda.profile.spec import Distribution, Gap, Lognormal, Normal, Poisson, Triangular, Uniform

__all__ = [
    "AHEAD",
    "AMOUNT_EXCLUDES",
    "CHILD_EVENTS",
    "CHILD_GAP",
    "CREATION",
    "DEFAULT_SHARE",
    "DISCOUNT",
    "EXTENDED",
    "FLAG_PAIRS",
    "FOLLOWS",
    "HEADER_TOTALS",
    "LINE_AMOUNTS",
    "LIST_PRICE",
    "MEASURES",
    "NOT_EVENTS",
    "NOT_PRICE",
    "NOT_QUANTITY",
    "NOT_SHARE",
    "NOT_YEARS",
    "ONE_PER_PARENT",
    "PRICE",
    "QUANTITY",
    "STATUS_IMPLIES",
    "STATUS_NAMES",
    "STILL_OPEN",
    "TOTAL_ROOM",
    "YEARS",
    "YEAR_WORDS",
    "Follow",
    "LineAmount",
    "Measure",
    "YearWindow",
    "follows_in_row",
    "typical_gap_days",
]


def _lognormal(median: float, sigma: float) -> Gap:
    return Gap(distribution=Lognormal(kind="lognormal", median=median, sigma=sigma), unit="days")


def _uniform(low: float, high: float) -> Gap:
    return Gap(distribution=Uniform(kind="uniform", low=low, high=high), unit="days")


def _age(low: float, mode: float, high: float) -> Gap:
    return Gap(
        distribution=Triangular(kind="triangular", low=low, mode=mode, high=high), unit="years"
    )


@dataclass(frozen=True)
class Follow:
    """A date named with a ``later`` word follows one named with an ``earlier`` word."""

    later: frozenset[str]
    earlier: tuple[frozenset[str], ...]
    """Words of the earlier event, most likely first (delivered: after shipped, else ordered)."""
    gap: Gap
    same_rest: bool = False
    """The rest of both names must match (``trip_start``/``trip_end``, not any start)."""
    row_only: bool = False
    """Only a date of the same row (a row's last update follows its own creation, not its
    parent's; without one, the provider keeps it after every event of the row)."""
    else_creation: bool = False
    """Without its earlier event the date still follows its parent's creation (a ``start``)."""
    with_: frozenset[str] = frozenset()
    """A second word the name must hold too (a ``last_login``, not a log row's ``login_time``)."""

    def names(self, tokens: set[str]) -> bool:
        """Whether a date named with ``tokens`` is this rule's later event."""
        return bool(tokens & self.later) and (not self.with_ or bool(tokens & self.with_))


# Run-together words too (TPC-H's ``l_shipdate``, ``o_orderdate``).
_ORDER = frozenset(
    {"order", "ordered", "placed", "purchase", "purchased", "booked", "booking", "orderdate"}
)
_SHIP = frozenset({"shipped", "ship", "shipping", "dispatched", "sent", "shipdate"})
_DELIVER = frozenset({"delivered", "delivery"})
_RENT = frozenset({"rental", "rented", "rent", "borrowed", "loan", "loaned", "issued", "checkout"})
_BILL = frozenset({"invoice", "invoiced", "billed", "billing"})
_CREATED = frozenset(
    {"created", "create", "creation", "inserted", "registered", "registration", "signup", "added"}
)
_OPENED = frozenset({"opened", "open", "reported", "submitted", "raised"})
_START = frozenset({"start", "starts", "started", "begin", "begins", "from"})
_HIRE = frozenset({"hire", "hired", "hiredate", "employed", "employment"})
_ADMIT = frozenset({"admitted", "admission", "admit"})
_DISCHARGE = frozenset({"discharged", "discharge"})
_LEAVE = frozenset({"terminated", "termination", "resigned", "resignation", "separation"})
_BIRTH = frozenset({"birth", "born", "dob", "birthdate", "birthday"})
_LOGIN = frozenset({"login", "logon", "signin", "visit", "visited", "seen", "accessed"})

FOLLOWS: tuple[Follow, ...] = (
    # People are hired as adults: 18 to 60 years after their birth, most in their twenties.
    Follow(_HIRE, (_BIRTH,), _age(18, 25, 60), row_only=True),
    # An employee's department, title or salary spell starts once hired, not before.
    Follow(_START, (_HIRE,), _lognormal(365, 1.0), else_creation=True),
    Follow(_DELIVER, (_SHIP, _ORDER), _lognormal(3, 0.4)),
    Follow(_SHIP, (_ORDER,), _lognormal(2, 0.5)),
    Follow(frozenset({"receipt", "receiptdate", "received"}), (_SHIP, _ORDER), _uniform(1, 30)),
    Follow(frozenset({"commit", "commitdate", "committed"}), (_ORDER,), _uniform(30, 90)),
    Follow(frozenset({"required", "needed", "promised"}), (_ORDER,), _uniform(7, 14)),
    Follow(frozenset({"returned", "return"}), (_RENT, _DELIVER, _SHIP, _ORDER), _uniform(3, 7)),
    # A loan or an invoice falls due two to four weeks after it is made (it may lie ahead).
    Follow(frozenset({"due"}), (_RENT, _BILL, _ORDER), _uniform(14, 30)),
    Follow(frozenset({"paid", "payment"}), (_BILL, _RENT, _ORDER), _uniform(0, 3)),
    # A ticket closes after it is opened; a workflow run (Temporal's close_time) after its start.
    Follow(
        frozenset({"closed", "close", "resolved"}), (_OPENED, _CREATED, _START), _lognormal(5, 1.0)
    ),
    # Users log in and visit after they sign up (Roundcube's last_login, Piwigo's last_visit).
    Follow(
        _LOGIN,
        (_CREATED,),
        _lognormal(60, 1.2),
        row_only=True,
        else_creation=True,
        with_=frozenset({"last", "latest", "recent", "failed", "first", "previous"}),
    ),
    # A photo is taken (its creation date) before it is uploaded and made available.
    Follow(
        frozenset({"available", "uploaded", "upload"}),
        (_CREATED,),
        _lognormal(20, 1.5),
        row_only=True,
    ),
    # A hospital stay: discharged a few days after the admission, never before it.
    Follow(_DISCHARGE, (_ADMIT,), _lognormal(4, 0.8)),
    # A hotel stay: checked out a few nights after checking in (a library checkout without a
    # check-in is still a loan made after its member joined).
    Follow(
        frozenset({"checkout"}),
        (frozenset({"checkin"}),),
        _lognormal(3, 0.6),
        row_only=True,
        else_creation=True,
    ),
    # People leave a job years after they were hired.
    Follow(_LEAVE, (_HIRE,), _lognormal(3 * 365, 0.8), row_only=True),
    # A post is written (created) before it is published: the row's own creation, else (as a
    # child event) its parent's.
    Follow(
        frozenset({"published", "publish"}),
        (_CREATED,),
        _lognormal(2, 1.2),
        row_only=True,
        else_creation=True,
    ),
    Follow(
        frozenset({"end", "ends", "ended", "finish", "finished", "to"}),
        (_START,),
        _lognormal(30, 1.0),
        same_rest=True,
    ),
    Follow(
        frozenset({"updated", "update", "modified", "changed"}),
        (_CREATED,),
        _lognormal(30, 1.3),
        row_only=True,
    ),
)
"""First match wins: ``delivered`` is tried before ``shipped`` so it follows the shipping."""

AHEAD: tuple[tuple[frozenset[str], float], ...] = (
    (frozenset({"expiry", "expires", "expiration", "expire"}), 365.0),
)
"""Dates no event precedes by a gap of its own, but that lie ahead of the row's (a token
expires about a year after it is made): days, used where a CHECK orders them."""
_DAYS = {"seconds": 1 / 86_400, "minutes": 1 / 1_440, "hours": 1 / 24, "days": 1.0, "weeks": 7.0,
         "years": 365.25}  # fmt: skip


def follows_in_row(later: set[str], earlier: set[str]) -> bool:
    """Whether a date named with ``later`` follows one named with ``earlier`` in a row.

    The rest of both names must match (``shipped_date`` after ``order_date``, not after
    ``birth_date``): a row-level reading of :data:`FOLLOWS`, for providers that order a row's
    dates themselves.
    """
    rule = next((r for r in FOLLOWS if r.names(later)), None)
    if rule is None or earlier & rule.later:
        return False
    return any(
        earlier & words and (later - rule.later) == (earlier - words) for words in rule.earlier
    )


def typical_gap_days(tokens: set[str]) -> float | None:
    """The typical number of days a date named with ``tokens`` lies after its earlier event."""
    rule = next((r for r in FOLLOWS if r.names(tokens)), None)
    if rule is None:
        return next((days for words, days in AHEAD if tokens & words), None)
    dist = rule.gap.distribution
    if isinstance(dist, Lognormal):
        typical = dist.median if dist.median is not None else dist.mean or 1.0
    elif isinstance(dist, Triangular):
        typical = dist.mode
    elif isinstance(dist, Uniform) and dist.low is not None and dist.high is not None:
        typical = (dist.low + dist.high) / 2
    else:
        return None
    return float(typical) * _DAYS[rule.gap.unit]


CREATION = _CREATED | frozenset({"joined", "since", "founded", "opened"})
"""Words of a parent's own creation date (``customers.created_at``, ``create_date``)."""
CHILD_EVENTS = (
    _ORDER | _RENT | _BILL | _CREATED | _OPENED
    | frozenset({"payment", "paid", "posted", "published", "visit", "visited", "logged", "start",
                 "started", "joined", "signed"})
)  # fmt: skip
"""Words of a child's event that cannot precede its parent's creation."""
CHILD_GAP = _lognormal(90, 1.2)
NOT_EVENTS = frozenset(
    {"birth", "born", "dob", "birthday", "expires", "expiry", "expiration", "until",
     "deadline", "scheduled", "planned", "next", "renewal", "valid"}
)  # fmt: skip
"""Dates that are no event of the row's history (a birthday, a deadline): never ordered."""

STATUS_NAMES = frozenset({"status", "state", "stage"})
STATUS_IMPLIES: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (_SHIP, frozenset({"shipped", "ship", "shipping", "delivered", "complete", "completed",
                       "fulfilled", "closed", "returned", "received", "dispatched", "transit",
                       "done", "disputed", "resolved"})),
    (_DELIVER, frozenset({"delivered", "complete", "completed", "fulfilled", "closed", "returned",
                          "received", "done"})),
    (frozenset({"closed", "close"}), frozenset({"closed", "close", "won", "lost", "resolved",
                                                "done", "complete", "completed"})),
    (frozenset({"resolved"}), frozenset({"resolved", "closed", "done", "complete", "completed"})),
    (frozenset({"cancelled", "canceled", "cancel", "cancellation"}),
     frozenset({"cancelled", "canceled", "cancel"})),
    (frozenset({"returned", "return"}), frozenset({"returned", "return", "refunded"})),
    (frozenset({"refunded", "refund"}), frozenset({"refunded", "refund"})),
    (_DISCHARGE, frozenset({"discharged", "discharge"})),
    (_LEAVE, frozenset({"terminated", "resigned", "retired", "former", "inactive", "left"})),
    (frozenset({"published", "publish"}), frozenset({"published", "archived", "live"})),
    (frozenset({"paid"}), frozenset({"paid", "complete", "completed", "settled", "closed"})),
    (frozenset({"completed", "finished", "done"}), frozenset({"complete", "completed", "done",
                                                               "finished", "closed"})),
    (frozenset({"approved"}), frozenset({"approved", "active", "complete", "completed"})),
    (frozenset({"won"}), frozenset({"won"})),
    (frozenset({"lost"}), frozenset({"lost"})),
)  # fmt: skip
"""Date words -> status words meaning that event happened (``shipped_date`` <- ``Delivered``)."""

ONE_PER_PARENT = frozenset({"primary", "default", "main", "preferred", "principal"})
"""A boolean named with one of these words, beside a foreign key, flags one row per parent."""


@dataclass(frozen=True)
class YearWindow:
    """Integer columns named with one of ``words`` hold years from today-``back`` to -``ahead``."""

    words: frozenset[str]
    back: int
    ahead: int


YEARS: tuple[YearWindow, ...] = (
    YearWindow(frozenset({"born", "birth"}), 90, -18),
    YearWindow(frozenset({"founded", "established", "incorporated", "built"}), 150, -1),
    YearWindow(
        frozenset({"release", "released", "published", "made", "model", "production"}), 60, 0
    ),
    YearWindow(frozenset({"year", "yr"}), 10, 1),
)
"""First match wins; the generic ``year`` (a school or fiscal year) stays near today."""
YEAR_WORDS = frozenset({"year", "yr", "born", "founded", "established"})
"""An integer column is a year only when its name says so (``born``, ``release_year``)."""
NOT_YEARS = frozenset({"level", "grade", "count", "num", "number", "qty", "term", "semester"})
"""A ``year_level`` (1-4) or ``year_count`` is no calendar year."""

FLAG_PAIRS = {"Y": "N", "N": "Y", "T": "F", "F": "T", "1": "0", "0": "1"}
"""The other value of a one-letter flag (``active CHAR(1) DEFAULT 'Y'`` holds Y or N)."""
DEFAULT_SHARE = 0.8
"""Share of rows that keep the column's DEFAULT value."""


STILL_OPEN: tuple[tuple[frozenset[str], float], ...] = (
    (frozenset({"termination", "terminated", "left", "resigned", "departure"}), 0.85),
    (frozenset({"cancelled", "canceled", "cancellation", "deleted", "archived", "revoked"}), 0.9),
    (frozenset({"returned", "return"}), 0.15),
    (frozenset({"closed", "close", "resolved", "ended", "end", "finished", "completed"}), 0.3),
)
"""Without a status to say so, the share of rows whose end has not happened yet: most employees
are still employed, most loans are back, a third of tickets are still open."""


# -- arithmetic: a line's price and amount, its document's total ----------------------------------
QUANTITY = frozenset({"quantity", "qty", "quantities"})
"""A line table has a column named with one of these (``quantity``, ``l_quantity``,
``quantityOrdered``)."""
NOT_QUANTITY = frozenset(
    {"stock", "available", "availqty", "hand", "reorder", "min", "max", "minimum", "maximum",
     "per", "backorder", "backordered", "returned", "shipped", "received", "remaining"}
)  # fmt: skip
"""A stock level, a reorder point or a returned count is no line's quantity."""
PRICE = frozenset({"price", "unitprice", "retailprice", "listprice", "saleprice", "msrp"})
"""A unit price: the line's own (``unit_price``, ``priceEach``) and its product's."""
LIST_PRICE = frozenset({"msrp", "retailprice", "listprice", "list", "retail"})
"""On a product with several prices, the one a line is sold at (not the cost)."""
NOT_PRICE = frozenset(
    {"cost", "supplycost", "buy", "wholesale", "purchase", "min", "max", "minimum", "maximum",
     "top", "avg", "average", "old", "previous", "discount", "tax", "total", "totalprice",
     "extendedprice", "amount"}
)  # fmt: skip
"""What the seller pays, a bound, or an amount is no unit price."""


@dataclass(frozen=True)
class LineAmount:
    """A line's column named with ``words`` is its quantity times its unit price."""

    words: frozenset[str]
    discounted: bool
    """Less the line's discount (a net amount); an extended or gross price is before it."""


LINE_AMOUNTS: tuple[LineAmount, ...] = (
    LineAmount(
        frozenset({"extendedprice", "extended", "ext", "gross", "grossamount"}), discounted=False
    ),
    LineAmount(
        frozenset({"amount", "total", "subtotal", "linetotal", "netamount", "value"}),
        discounted=True,
    ),
)
"""First match wins: TPC-H's ``l_extendedprice`` is ``l_quantity * p_retailprice`` (its
discount is applied when the order is priced); a ``line_total`` beside a discount is net."""
AMOUNT_EXCLUDES = frozenset(
    {"tax", "discount", "shipping", "freight", "paid", "due", "refund", "refunded", "balance",
     "weight", "count", "items", "lines", "fee", "deposit", "credit", "cost", "avg", "average",
     "profit", "loss", "margin", "commission", "coupon"}
)  # fmt: skip
"""A tax, a fee, a balance or a count is no amount of the goods (neither a line's nor a total)."""
DISCOUNT = frozenset({"discount", "disc"})
"""The line's discount: a fraction (``0.05``) or, named or bounded so, a percentage."""
NOT_SHARE = frozenset({"amt", "amount", "ext", "extended", "value", "total", "sum", "price"})
"""A discount named as money (TPC-DS's ``ss_ext_discount_amt``) is no share of the price."""
EXTENDED = frozenset({"ext", "extended"})
"""A line's ``ext_X`` is its quantity times its own ``X`` (TPC-DS's ``ss_ext_sales_price`` is
``ss_quantity * ss_sales_price``, ``ss_ext_list_price`` ``ss_quantity * ss_list_price``)."""
HEADER_TOTALS = frozenset(
    {"total", "totalprice", "subtotal", "amount", "totalamount", "grandtotal", "sum"}
)
"""A document's column named so is the sum of its lines' amounts (``o_totalprice``,
``Invoice.Total``), when its one child table with a quantity prices its lines."""
TOTAL_ROOM = 1e6
"""A total is only summed into a column that holds a million: fewer digits mean the schema
keeps some other, smaller number there."""


# -- readings and counters ------------------------------------------------------------------------
@dataclass(frozen=True)
class Measure:
    """A number named with one of ``words`` (and, if given, one of ``with_``) is drawn so."""

    words: frozenset[str]
    distribution: Distribution
    low: float | None = None
    high: float | None = None
    with_: frozenset[str] = frozenset()
    """A second word the name must hold too (``temp`` + ``f``: Fahrenheit)."""
    unless: frozenset[str] = frozenset()
    """Words that make the name something else (``max_retries`` is a setting, not a count)."""
    integer: bool = False
    """Counts: only for integer columns."""


def _normal(mean: float, sd: float) -> Normal:
    return Normal(kind="normal", mean=mean, sd=sd)


def _skewed(median: float, sigma: float) -> Lognormal:
    return Lognormal(kind="lognormal", median=median, sigma=sigma)


_TEMPERATURE = frozenset({"temperature", "temp", "temperatures"})
_COUNTED = frozenset({"count", "num", "number", "total", "cnt"})
_SETTING = frozenset(
    {"max", "min", "maximum", "minimum", "limit", "threshold", "target", "allowed"}
)
MEASURES: tuple[Measure, ...] = (
    # A body temperature is a fever or not, a few tenths around 37 C.
    Measure(_TEMPERATURE, _normal(36.9, 0.5), 35.0, 41.5, with_=frozenset({"body", "oral"})),
    Measure(_TEMPERATURE, _normal(62, 16), -40, 125, with_=frozenset({"f", "fahrenheit"})),
    Measure(_TEMPERATURE, _normal(290, 9), 230, 330, with_=frozenset({"k", "kelvin"})),
    # Weather and rooms in Celsius, which a temperature is unless its name says otherwise.
    Measure(_TEMPERATURE | frozenset({"celsius"}), _normal(17, 9), -40, 50),
    Measure(frozenset({"pressure"}), _normal(101.3, 0.9), 95, 106, with_=frozenset({"kpa"})),
    Measure(frozenset({"pressure"}), _normal(33, 3), 20, 45, with_=frozenset({"psi"})),
    Measure(frozenset({"systolic"}), _normal(122, 15), 80, 200),
    Measure(frozenset({"pressure"}), _normal(122, 15), 80, 200, with_=frozenset({"blood", "bp"})),
    Measure(frozenset({"diastolic"}), _normal(79, 10), 40, 130),
    Measure(frozenset({"pressure", "hpa", "mbar", "millibar", "barometric"}), _normal(1013, 9),
            950, 1060, unless=frozenset({"blood", "tire", "tyre", "oil", "bp"})),
    Measure(frozenset({"humidity", "rh"}), _normal(62, 17), 5, 100),
    # Counters that start at 0: most rows have a few, some very many (a long right tail).
    Measure(frozenset({"views", "pageviews", "impressions", "hits", "visits", "plays", "listens",
                       "downloads", "reads", "clicks"}), _skewed(120, 1.5), 0, None,
            unless=_SETTING, integer=True),
    Measure(frozenset({"view", "pageview", "impression", "hit", "visit", "play", "download",
                       "click"}), _skewed(120, 1.5), 0, None, with_=_COUNTED, unless=_SETTING,
            integer=True),
    Measure(frozenset({"likes", "upvotes", "favorites", "favourites", "claps", "shares",
                       "reactions", "votes"}), _skewed(8, 1.4), 0, None, unless=_SETTING,
            integer=True),
    Measure(frozenset({"like", "upvote", "favorite", "favourite", "share", "reaction", "vote",
                       "comment", "reply"}), _skewed(4, 1.3), 0, None, with_=_COUNTED,
            unless=_SETTING, integer=True),
    # A history or a log has at least its first event (Temporal's history_length): from 1.
    Measure(frozenset({"length", "count", "events"}), _skewed(40, 1.4), 1, None,
            with_=frozenset({"history", "event", "transition", "transitions", "log"}),
            unless=_SETTING | frozenset({"bytes"}), integer=True),
    # (A singular ``check_attempt`` is an attempt's number, from 1: no count.)
    Measure(frozenset({"retries", "attempts", "failures", "errors", "bounces"}),
            Poisson(kind="poisson", mean=0.4), 0, None, unless=_SETTING, integer=True),
    # A limit on them is a setting: a few, most often 3.
    Measure(frozenset({"retries", "attempts", "retry", "attempt", "failures"}),
            Triangular(kind="triangular", low=1, mode=3, high=10), 1, 10, with_=_SETTING,
            integer=True),
)  # fmt: skip
"""First match wins; each range is cut by the column's own bounds (a CHECK), and a reading
kept as a fraction (humidity below 1) is left to its meaning."""
