"""Registered semantic kinds read from a column's name, comment and table: one entry per kind.

The built-in meanings of :mod:`syda.generators.infer` (names, emails, places) are older rule
tables; the kinds here are plain data, so adding one is adding an entry: the column names that
are it (``exact``), the name tokens that say it anywhere in the name (``tokens``), a phrase of the
comment (``comment``) and, for ambiguous columns such as ``name``, ``title`` or ``key``, the head
words of tables whose such column is it (``tables``: ``artist.name`` is an artist). The generator
of each kind is registered under the same name (:mod:`syda.generators.values_kinds` and
:mod:`syda.generators.values_lookup`); a test checks that every kind has one.

Entries are checked in order, so a more specific kind comes before a broader one (an image URL
before a URL, a course title before a title).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from syda.generators.vocab_codes import NAMED_VOCABULARIES
from syda.generators.vocab_domains import DOMAIN_KINDS
from syda.schema.ir import ColumnKind

__all__ = [
    "KINDS",
    "Kind",
    "add_kind",
    "all_kinds",
    "register_kind",
    "registered_generator",
    "unregister_kind",
]


@dataclass(frozen=True)
class Kind:
    """One semantic kind and the evidence that a column holds it.

    Attributes:
        name: The semantic type name (also the generator's name).
        kind: The logical kind of its values.
        exact: Whole column names (tokens joined by ``_``) that are this kind.
        tokens: Name tokens that make a column this kind wherever they appear.
        comment: A regular expression whose match in the column comment says this kind.
        tables: Head words of tables whose ``name``/``title``/``key`` column is this kind
            (prefixes of a table-name token, or a whole ``snake_case`` table name).
    """

    name: str
    kind: ColumnKind
    exact: tuple[str, ...] = ()
    tokens: tuple[str, ...] = ()
    comment: str | None = None
    tables: tuple[str, ...] = ()

    @property
    def comment_re(self) -> re.Pattern[str] | None:
        """The compiled comment pattern (case-insensitive)."""
        return re.compile(self.comment, re.IGNORECASE) if self.comment else None


KINDS: tuple[Kind, ...] = (
    # closed vocabularies named by the whole column name (TPC-H's l_shipinstruct, product_scale)
    Kind("named_vocabulary", "string", exact=tuple(NAMED_VOCABULARIES)),
    # formats read from the name
    Kind("image_url", "string",
         exact=("cover", "cover_url", "cover_art", "avatar", "headshot", "banner"),
         tokens=("image", "images", "img", "photo", "photos", "avatar", "thumbnail", "thumb",
                 "picture", "pic", "logo", "icon"),
         comment=r"\b(image|photo|picture|avatar|thumbnail)\b.*\b(url|link|path|file)\b"),
    Kind("hash", "string",
         exact=("password", "passwd", "pwd", "hashed_password", "password_digest", "salt",
                "etag"),
         tokens=("hash", "checksum", "digest", "md5", "sha1", "sha256", "sha512", "token",
                 "fingerprint"),
         comment=r"\b(hash|checksum|digest|sha-?\d+|md5)\b"),
    Kind("slug", "string", exact=("permalink", "url_key", "handle_slug", "alias", "url_name",
                                  "url_title", "url_slug", "seo_name", "friendly_url"),
         tokens=("slug",)),
    # ActivityPub endpoints and other columns that are web addresses by name
    Kind("url", "string", exact=("actor_id", "actor_url", "inbox", "outbox", "shared_inbox",
                                 "followers_url", "following_url", "profile_url")),
    # a text primary key named ``id`` is a short random code (``a7f3k9q2``), not prose
    Kind("short_id", "string", exact=("id", "uid", "public_id", "short_id", "friendly_id")),
    Kind("address_line2", "string",
         exact=("address_line2", "address_line_2", "address2", "addr2", "street2",
                "street_line2", "street_address2")),
    Kind("mime_type", "string",
         exact=("mime", "mimetype", "mime_type", "content_type", "file_type", "media_mime"),
         comment=r"\bmime\b|\bcontent[- ]type\b"),
    Kind("html", "text", exact=("html", "body_html", "content_html", "html_body"),
         tokens=("html",), comment=r"\bhtml\b"),
    Kind("setting_key", "string",
         exact=("setting_key", "config_key", "option_name", "option_key", "setting_name",
                "setting", "config_name", "param_name", "parameter_name", "preference_key",
                "attribute", "attribute_name", "attribute_key", "meta_key", "property_key"),
         tables=("setting", "config", "option", "preference", "parameter")),
    Kind("isbn", "string", tokens=("isbn", "isbn10", "isbn13"), comment=r"\bisbn\b"),
    Kind("quantity_per_unit", "string",
         exact=("quantity_per_unit", "qty_per_unit", "pack_size", "packaging", "package_size",
                "unit_size", "pack"),
         comment=r"\bpackag|\bper unit\b"),
    Kind("file_path", "string", exact=("file_path", "filepath", "path", "storage_path",
                                       "file_location", "local_path")),
    # an image table's file (piwigo_images.file) is a photo's, read from the table
    # (syda.generators.infer_num), not from the name: ``IMG_4821.jpg``
    Kind("image_file", "string", exact=("image_file", "image_filename", "photo_file",
                                        "image_file_name", "picture_file")),
    Kind("file_name", "string", exact=("file_name", "filename", "file", "attachment",
                                       "original_filename", "document_name")),
    Kind("color_hex", "string", exact=("hex", "hex_color", "color_hex", "colour_hex",
                                       "hex_code", "rgb", "color_code", "colour_code")),
    Kind("version", "string", exact=("version", "app_version", "semver", "sw_version",
                                     "firmware_version", "software_version", "client_version")),
    # an integer version: a migration's number (1, 2, 3...), else a row's revision count
    Kind("version_number", "integer",
         exact=("version", "schema_version", "migration_version", "version_number",
                "db_version", "revision", "row_version")),
    Kind("iban", "string", tokens=("iban",), comment=r"\biban\b"),
    # a building's number on its street (TPC-DS's ca_street_number CHAR(10) is "645")
    Kind("street_number", "string",
         exact=("street_number", "street_no", "street_num", "house_number", "house_no",
                "building_number", "building_no", "civic_number")),
    Kind("location", "string", exact=("location", "place", "venue_location", "event_location",
                                      "meeting_location", "loc")),
    # measures whose range comes from their meaning (syda.generators.values_measure)
    Kind("duration_ms", "integer",
         exact=("milliseconds", "duration_ms", "length_ms", "millis", "duration_millis",
                "runtime_ms", "play_time_ms"),
         tokens=("milliseconds",)),
    Kind("file_size", "integer",
         exact=("bytes", "file_size", "filesize", "size_bytes", "byte_size", "content_length",
                "size_in_bytes", "file_bytes"),
         tokens=("bytes", "filesize")),
    Kind("minutes", "integer",
         exact=("runtime", "running_time", "run_time", "duration_minutes", "length_minutes",
                "duration_min", "length_min", "runtime_minutes", "minutes", "mins")),
    Kind("days", "integer",
         exact=("rental_duration", "rental_days", "loan_days", "loan_period", "duration_days",
                "rental_period", "stay_days", "nights")),
    Kind("line_number", "integer",
         exact=("line_number", "line_no", "line_num", "linenumber", "order_line_number",
                "invoice_line_number", "line_position", "line_seq")),
    Kind("discount", "float",
         exact=("discount", "discount_rate", "discount_fraction", "disc", "discount_ratio",
                "discount_pct", "discount_pc")),
    Kind("tax_rate", "float",
         exact=("tax_rate", "vat_rate", "sales_tax_rate", "tax_fraction", "gst_rate")),
    Kind("item_size", "integer", exact=("size", "item_size", "product_size", "part_size")),
    Kind("credit_limit", "decimal",
         exact=("credit_limit", "creditlimit", "credit_line", "max_credit", "credit_ceiling")),
    Kind("shipping_cost", "decimal",
         exact=("freight", "shipping_cost", "shipping_fee", "shipping", "delivery_fee",
                "postage", "shipping_charge", "freight_cost", "delivery_cost")),
    Kind("rental_price", "decimal",
         exact=("rental_rate", "rental_price", "rental_fee", "rent_rate", "hire_rate")),
    Kind("rental_payment", "decimal"),
    Kind("replacement_cost", "decimal",
         exact=("replacement_cost", "replacement_value", "replacement_price")),
    Kind("digital_price", "decimal"),
    Kind("cost_price", "decimal",
         exact=("buy_price", "cost_price", "purchase_price", "unit_cost", "standard_cost",
                "wholesale_price", "supply_cost", "supplycost", "cost")),
    Kind("list_price", "decimal",
         exact=("msrp", "list_price", "retail_price", "rrp", "suggested_price",
                "recommended_price")),
    # lookup vocabularies
    Kind("ship_mode", "string",
         exact=("ship_mode", "shipmode", "l_shipmode", "shipping_mode", "shipping_method",
                "ship_method", "delivery_method", "transport_mode"),
         tables=("ship_mode", "shipmode", "shipping_method")),
    Kind("market_segment", "string", exact=("segment", "mktsegment", "c_mktsegment",
                                            "market_segment", "customer_segment"),
         tables=("segment",)),
    Kind("sales_region", "string", exact=("sales_region", "sales_territory", "territory",
                                          "region_description", "region_name"),
         tables=("region", "territor")),
    Kind("genre", "string", exact=("genre", "genre_name", "music_genre"),
         tables=("genre",), comment=r"\bgenre\b"),
    Kind("media_type", "string", exact=("media_type", "media_format", "file_format"),
         tables=("media_type", "mediatype", "media_format"),
         comment=r"\b(media|file) (type|format)\b"),
    Kind("language", "string", exact=("language", "lang", "language_name", "spoken_language",
                                      "locale", "language_code", "lang_code"),
         tables=("language",), comment=r"\blanguage\b"),
    Kind("building", "string", exact=("building", "building_name", "campus_building"),
         tables=("building",)),
    Kind("course_title", "string", exact=("course_title", "course_name"),
         tables=("course", "class", "module", "subject"), comment=r"\bcourse\b"),
    Kind("artist", "string", exact=("artist", "artist_name", "band", "band_name", "performer"),
         tables=("artist", "band", "musician", "performer"),
         comment=r"\b(artist|band|musician)\b"),
    Kind("album_title", "string", exact=("album", "album_title", "album_name"),
         tables=("album", "record"), comment=r"\balbum\b"),
    Kind("song_title", "string", exact=("song", "song_title", "track_title", "track_name"),
         tables=("track", "song"), comment=r"\b(song|track)\b"),
    Kind("film_title", "string", exact=("film", "film_title", "movie", "movie_title"),
         tables=("film", "movie"), comment=r"\b(film|movie)\b"),
    Kind("book_title", "string", exact=("book_title", "book_name"),
         tables=("book", "novel", "publication"), comment=r"\bbook\b"),
    Kind("post_title", "string", exact=("post_title", "article_title", "headline"),
         tables=("post", "article", "entry", "story")),
    Kind("blog_title", "string", exact=("blog_title", "blog_name"),
         tables=("blog", "collection", "publication_site")),
    # a photo's caption in a gallery: "Sunset over the Harbor", not a catch-phrase
    Kind("photo_title", "string", exact=("photo_title", "image_title", "picture_title",
                                         "caption"),
         tables=("image", "photo", "picture", "snapshot")),
    Kind("playlist_name", "string", exact=("playlist", "playlist_name"),
         tables=("playlist",), comment=r"\bplaylist\b"),
    # a domain's own vocabulary (film_category), named by a column or written by inference for
    # a lookup table whose neighbours say the domain (syda.generators.domains.linked_domain)
    *(Kind(name, "string") for name in DOMAIN_KINDS),
)  # fmt: skip


# Kinds users register (syda.register_kind), checked before the built-ins so theirs win, with
# their vectorised generators ``fn(ctx) -> array`` (a :class:`~syda.ColumnContext`).
_USER_KINDS: dict[str, Kind] = {}
_USER_GENERATORS: dict[str, Callable[..., Any]] = {}
_on_change: list[Callable[[Kind | None, str], None]] = []


def all_kinds() -> tuple[Kind, ...]:
    """The registered kinds: the user's first (newest first), then the built-ins."""
    return (*reversed(_USER_KINDS.values()), *KINDS)


def register_kind(
    name: str,
    generate: Callable[..., Any],
    *,
    kind: ColumnKind = "string",
    exact: tuple[str, ...] = (),
    tokens: tuple[str, ...] = (),
    comment: str | None = None,
    tables: tuple[str, ...] = (),
) -> None:
    """Teach syda a semantic kind: how to recognise its columns, and how to fill them.

    Registered kinds are recognised before the built-in ones (a kind registered under a
    built-in name, ``"email"``, replaces its generator), may be used as a type in dict and YAML
    schemas (``{"type": "ticker"}``) and as ``semantic:`` in a profile, and are filled by the
    offline engine with ``generate(ctx)``, called once per batch with a
    :class:`~syda.ColumnContext` (declare the columns it reads with :func:`~syda.depends_on`).
    Register kinds before generating: plans made earlier keep what they inferred.

    Args:
        name: The kind's name (``"ticker"``), lowercase letters, digits and ``_``.
        generate: ``fn(ctx) -> array`` of ``ctx.n`` values.
        kind: The logical type of its values (``"string"``, ``"integer"``, ``"date"``...).
        exact: Whole column names that are this kind (``("ticker", "symbol")``).
        tokens: Name tokens that make a column this kind anywhere in its name.
        comment: A regular expression whose match in the column comment says this kind.
        tables: Head words of tables whose ``name``/``title`` column is this kind.

    Raises:
        ConfigurationError: If the name, the kind, the comment pattern or ``generate`` is bad.
    """
    from typing import get_args

    from syda.errors import ConfigurationError

    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ConfigurationError(f"a kind's name is lowercase letters, digits and _, not {name!r}")
    if kind not in get_args(ColumnKind) or kind == "unknown":
        raise ConfigurationError(f"kind {kind!r} is not a logical type syda knows")
    if not callable(generate):
        raise ConfigurationError(f"the generator of kind {name!r} is not callable")
    if comment is not None:
        try:
            re.compile(comment)
        except re.error as error:
            raise ConfigurationError(f"comment pattern of kind {name!r}: {error}") from None
    add_kind(Kind(name, kind, tuple(exact), tuple(tokens), comment, tuple(tables)), generate)


def add_kind(entry: Kind, generate: Callable[..., Any]) -> None:
    """Add (or replace) a user kind and its generator."""
    _USER_KINDS.pop(entry.name, None)
    _USER_KINDS[entry.name] = entry
    _USER_GENERATORS[entry.name] = generate
    for hook in _on_change:
        hook(entry, entry.name)


def unregister_kind(name: str) -> None:
    """Remove a user kind (a built-in one cannot be removed)."""
    if _USER_KINDS.pop(name, None) is not None:
        _USER_GENERATORS.pop(name, None)
        for hook in _on_change:
            hook(None, name)


def registered_generator(name: str) -> Callable[..., Any] | None:
    """The generator of a user kind, or None."""
    return _USER_GENERATORS.get(name)


def on_change(hook: Callable[[Kind | None, str], None]) -> None:
    """Call ``hook(kind or None, name)`` when a user kind is added or removed."""
    _on_change.append(hook)
