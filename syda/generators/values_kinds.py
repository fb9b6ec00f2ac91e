"""Generators of the registered format kinds: slugs, hashes, image URLs, ISBNs, IBANs and more.

Each draws a whole column with numpy; check digits (ISBN, IBAN) are computed column-wise over
matrices of digits, one pass per digit position. Slugs are made from the row's title or name
when the table has one, so ``"The Last Orchard"`` has the slug ``the-last-orchard``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import numpy as np

from syda.generators import vocab_domains as vocab
from syda.generators.infer import table_tokens
from syda.generators.values import AnyArray, Batch, ColumnSpec, Generator, ObjArray, map_unique
from syda.generators.values_draw import fit_rows, lookup_draw, objects

__all__ = ["GENERATORS", "SLUG_SOURCES", "hyphen_slug"]

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8).astype(np.uint32)
_BCRYPT = np.frombuffer(
    b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8
).astype(np.uint32)
# What a slug is made from, most telling first.
SLUG_SOURCES = (
    "title", "post_title", "blog_title", "film_title", "album_title", "song_title", "book_title",
    "course_title",
    "product_name", "playlist_name", "artist", "company", "full_name", "category", "genre",
    "word", *vocab.DOMAIN_KINDS,
)  # fmt: skip
_HASH_WIDTHS = {"md5": 32, "sha1": 40, "sha": 40, "sha256": 64, "sha512": 128}
_MIME_BY_EXT = {
    "pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png", "gif": "image/gif",
    "webp": "image/webp", "txt": "text/plain", "csv": "text/csv", "json": "application/json",
    "zip": "application/zip", "mp4": "video/mp4", "mp3": "audio/mpeg", "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}  # fmt: skip
_EXTENSIONS = ("pdf", "jpg", "png", "docx", "xlsx", "csv", "txt", "zip", "json", "mp4", "gif")
_FILE_WORDS = (
    "report", "invoice", "contract", "presentation", "budget", "meeting-notes", "resume",
    "scan", "diagram", "proposal", "receipt", "summary", "photo", "export", "backup", "plan",
)  # fmt: skip
_PHOTO_WORDS = (
    "beach", "sunset", "mountain", "lake", "family", "birthday", "wedding", "garden", "city",
    "snow", "forest", "harbor", "picnic", "concert", "portrait", "dog", "cat", "market",
)  # fmt: skip
_FOLDERS = ("uploads", "documents", "files", "attachments", "media", "exports")
_IMAGE_FOLDERS = {
    "avatar": "avatars", "logo": "logos", "thumbnail": "thumbnails", "thumb": "thumbnails",
    "cover": "covers", "photo": "photos", "icon": "icons",
}  # fmt: skip
# Countries whose account numbers (BBAN) are all digits, and their length.
_IBAN_BBAN = (("DE", 18), ("ES", 20), ("AT", 16), ("BE", 12))


def hyphen_slug(text: object) -> object:
    """``"Déjà Vu: Live!"`` -> ``"deja-vu-live"`` (None stays None)."""
    if not isinstance(text, str):
        return None
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or None


def _strings(codes: np.ndarray) -> ObjArray:
    """Rows of a matrix of code points as strings (one view, no per-row Python)."""
    width = codes.shape[1]
    matrix = np.ascontiguousarray(codes.astype(np.uint32))
    return matrix.view(f"<U{width}").ravel().astype(object)


def _hex(b: Batch, width: int) -> ObjArray:
    return _strings(_HEX[b.rng.integers(0, 16, (b.n, width))])


def _cut_slug(values: ObjArray, length: int | None) -> ObjArray:
    if length is None:
        return values
    return map_unique(values, lambda s: s if len(s) <= length else s[:length].rsplit("-", 1)[0])


def slug(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Slugs of the row's title or name, or of two to four random words."""
    words = b.pools.words
    random = (
        words[b.rng.integers(0, len(words), b.n)] + "-" + words[b.rng.integers(0, len(words), b.n)]
    )
    found = b.sibling(*SLUG_SOURCES, exclude=spec.name)
    if found is None:
        return _cut_slug(random, spec.column.length)
    made = map_unique(found[1], hyphen_slug)
    missing = np.array([v is None for v in made])
    made[missing] = random[missing]
    return _cut_slug(made, spec.column.length)


def hash_value(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Hex digests of the width the name, comment or length says (md5 32, sha1 40, sha256 64).

    A password column long enough holds bcrypt hashes (``$2b$12$...``, 60 characters).
    """
    tokens = set(spec.tokens) | set(
        re.findall(r"sha-?\d+|md5", (spec.column.comment or "").lower())
    )
    tokens = {t.replace("-", "") for t in tokens}
    named = [w for t, w in _HASH_WIDTHS.items() if t in tokens]
    length = spec.column.length
    password = bool({"password", "passwd", "pwd"} & set(spec.tokens))
    if not named and password and (length is None or length >= 60):
        return "$2b$12$" + _strings(_BCRYPT[b.rng.integers(0, len(_BCRYPT), (b.n, 53))])  # type: ignore[no-any-return]
    if named:
        width = named[0]
    elif length in (32, 40, 64, 128):
        width = int(length)
    else:
        width = min(length or 64, 64)
    return _hex(b, width)


def image_url(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Image URLs (``https://cdn.example.com/images/avatars/1f3a9c0b.jpg``), or paths."""
    folder = next((f for t, f in _IMAGE_FOLDERS.items() if t in spec.tokens), "images")
    ext = np.where(b.rng.random(b.n) < 0.75, ".jpg", np.where(folder == "logos", ".svg", ".png"))
    names = _hex(b, 12) + ext.astype(object)
    if {"path", "file"} & set(spec.tokens):
        return "images/" + folder + "/" + names  # type: ignore[no-any-return]
    url = "https://cdn.example.com/images/" + folder + "/" + names
    if spec.column.length is not None and len(url[0]) > spec.column.length:
        return "/img/" + _hex(b, 8) + ".jpg"  # type: ignore[no-any-return]
    return url  # type: ignore[no-any-return]


def mime_type(b: Batch, spec: ColumnSpec) -> AnyArray:
    """MIME types, matching the row's file name when it has one."""
    found = b.sibling("file_name", "file_path", exclude=spec.name)
    drawn = lookup_draw(b, spec, [_MIME_BY_EXT[e] for e in _EXTENSIONS], skew=0.8)
    if found is None:
        return drawn
    by_ext = map_unique(found[1], lambda f: _MIME_BY_EXT.get(str(f).rsplit(".", 1)[-1].lower()))
    missing = np.array([v is None for v in by_ext])
    by_ext[missing] = drawn[missing]
    return by_ext


def html(b: Batch, spec: ColumnSpec) -> AnyArray:
    """HTML bodies: one to three ``<p>`` paragraphs of sentences."""
    length = spec.column.length
    sentences = b.pools.fit("sentences", None if length is None else max(length // 3 - 7, 10))
    out = "<p>" + sentences[b.rng.integers(0, len(sentences), b.n)] + "</p>"
    for _ in range(2):
        more = b.rng.random(b.n) < 0.5
        out[more] += "<p>" + sentences[b.rng.integers(0, len(sentences), int(more.sum()))] + "</p>"
    return out  # type: ignore[no-any-return]


_SETTING_KEYS = tuple(f"{section}.{key}" for section, keys in vocab.SETTINGS for key in keys)


def setting_key(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Dotted settings keys (``site.title``, ``mail.smtp_port``), distinct in a settings table."""
    return lookup_draw(b, spec, _SETTING_KEYS, skew=0.0)


def _digits(b: Batch, k: int, width: int) -> np.ndarray:
    return b.rng.integers(0, 10, (k, width))


def _join_digits(matrix: np.ndarray) -> ObjArray:
    return _strings(matrix + ord("0"))


def isbn(b: Batch, spec: ColumnSpec) -> AnyArray:
    """ISBNs with valid check digits: ISBN-13 (978/979), or ISBN-10 for ``isbn10`` columns.

    Hyphenated when the column has room for it.
    """
    length = spec.column.length
    if "isbn10" in spec.tokens or length == 10 or (length is not None and 10 < length < 13):
        body = _digits(b, b.n, 9)
        total = (body * np.arange(10, 1, -1)).sum(axis=1)
        check = (11 - total % 11) % 11
        checks = np.where(check == 10, "X", check.astype(str)).astype(object)
        return _join_digits(body) + checks  # type: ignore[no-any-return]
    body = np.hstack([np.where(b.rng.random((b.n, 1)) < 0.9, 8, 9), _digits(b, b.n, 9)])
    body = np.hstack([np.full((b.n, 2), [9, 7]), body])
    total = (body * np.tile([1, 3], 6)).sum(axis=1)
    check = ((10 - total % 10) % 10).astype(str).astype(object)
    digits = _join_digits(body) + check
    if length is not None and length >= 17:
        return map_unique(digits, lambda d: f"{d[:3]}-{d[3]}-{d[4:8]}-{d[8:12]}-{d[12]}")
    return digits  # type: ignore[no-any-return]


def iban(b: Batch, spec: ColumnSpec) -> AnyArray:
    """IBANs of a few European countries with valid mod-97 check digits (no spaces)."""
    out = np.empty(b.n, dtype=object)
    country = b.rng.integers(0, len(_IBAN_BBAN), b.n)
    for i, (code, width) in enumerate(_IBAN_BBAN):
        rows = np.flatnonzero(country == i)
        if not len(rows):
            continue
        bban = _digits(b, len(rows), width)
        letters = [int(d) for ch in code for d in str(ord(ch) - 55)]
        tail = np.hstack([bban, np.tile([*letters, 0, 0], (len(rows), 1))])
        remainder = np.zeros(len(rows), dtype=np.int64)
        for col in range(tail.shape[1]):  # Horner's rule, one digit position at a time
            remainder = (remainder * 10 + tail[:, col]) % 97
        check = np.char.zfill((98 - remainder).astype(str), 2).astype(object)
        out[rows] = code + check + _join_digits(bban)
    return out


def quantity_per_unit(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Packaging phrases in the Northwind style: ``24 - 12 oz bottles``, ``10 boxes x 20 bags``."""
    counts = np.array([6, 10, 12, 20, 24, 36, 40, 48])
    sizes = np.array([8, 12, 16, 100, 200, 250, 330, 500, 750])
    templates = (
        ("", " - ", " oz bottles"), ("", " boxes x ", " bags"), ("", " - ", " g pkgs."),
        ("", " - ", " ml bottles"), ("", " jars x ", " g"), ("", " - ", " kg boxes"),
        ("", " cans x ", " ml"), ("", " pieces x ", " g"),
    )  # fmt: skip

    def draw(k: int) -> ObjArray:
        n_s = counts[b.rng.integers(0, len(counts), k)].astype(str).astype(object)
        m_s = sizes[b.rng.integers(0, len(sizes), k)].astype(str).astype(object)
        which = b.rng.integers(0, len(templates), k)
        out = np.empty(k, dtype=object)
        for t, (lead, mid, tail) in enumerate(templates):
            rows = which == t
            out[rows] = lead + n_s[rows] + mid + m_s[rows] + tail
        return out

    values = fit_rows(b, spec, draw)
    return values


def location(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Places as ``City, ST`` from the address records."""
    pool = b.places
    return pool.city[b.address] + ", " + pool.state_abbr[b.address]  # type: ignore[no-any-return]


def file_name(b: Batch, spec: ColumnSpec) -> AnyArray:
    """File names such as ``quarterly-report-2024.pdf`` or ``IMG_4821.jpg``."""
    words = objects(_FILE_WORDS)[b.rng.integers(0, len(_FILE_WORDS), b.n)]
    ext = objects(_EXTENSIONS)[b.rng.integers(0, len(_EXTENSIONS), b.n)]
    year = b.rng.integers(2015, 2026, b.n).astype(str).astype(object)
    number = b.rng.integers(1000, 9999, b.n).astype(str).astype(object)
    style = b.rng.random(b.n)
    out = np.where(style < 0.5, words + "-" + year, words + "_" + number) + "." + ext
    photo = style > 0.9
    out[photo] = "IMG_" + number[photo] + ".jpg"
    return out  # type: ignore[no-any-return]


def image_file(b: Batch, spec: ColumnSpec) -> AnyArray:
    """A camera's or a phone's photo file names, and some renamed ones.

    ``IMG_4821.jpg``, ``DSC01234.JPG``, ``20230514_153012.jpg``, ``beach-sunset.png``.
    """
    number = b.rng.integers(1000, 9999, b.n).astype(str).astype(object)
    day = b.rng.integers(0, 3650, b.n).astype("timedelta64[D]") + np.datetime64("2015-01-01")
    stamp = np.char.replace(day.astype(str), "-", "").astype(object)
    seconds = b.rng.integers(0, 86_400, b.n)
    hms = seconds // 3600 * 10_000 + seconds % 3600 // 60 * 100 + seconds % 60
    clock = np.char.zfill(hms.astype(str), 6).astype(object)
    words = objects(_PHOTO_WORDS)[b.rng.integers(0, len(_PHOTO_WORDS), (2, b.n))]
    style = b.rng.choice(4, size=b.n, p=[0.4, 0.2, 0.25, 0.15])
    ext = np.where(b.rng.random(b.n) < 0.85, ".jpg", ".png").astype(object)
    out = np.select(
        [style == 0, style == 1, style == 2],
        ["IMG_" + number + ".jpg", "DSC0" + number + ".JPG", stamp + "_" + clock + ".jpg"],
        words[0] + "-" + words[1] + ext,
    )
    return out.astype(object)  # type: ignore[no-any-return]


def street_number(b: Batch, spec: ColumnSpec) -> AnyArray:
    """House numbers: mostly one to four digits (``12``, ``645``, ``4500``), a few five."""
    numbers = np.minimum(np.ceil(b.rng.lognormal(5.5, 1.3, b.n)), 99_999).astype(np.int64)
    return numbers.astype(str).astype(object)


def file_path(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Relative storage paths: ``uploads/2024/05/report-2021.pdf``.

    The path ends in the row's own file where it names one (Piwigo's ``path`` of its ``file``).
    """
    folder = objects(_FOLDERS)[b.rng.integers(0, len(_FOLDERS), b.n)]
    year = b.rng.integers(2015, 2026, b.n).astype(str).astype(object)
    month = np.char.zfill(b.rng.integers(1, 13, b.n).astype(str), 2).astype(object)
    found = b.sibling("image_file", "file_name", exclude=spec.name)
    names = file_name(b, spec) if found is None else np.asarray(found[1], dtype=object)
    missing = np.array([not isinstance(v, str) for v in names], dtype=bool)
    names[missing] = file_name(b, spec)[missing]
    return folder + "/" + year + "/" + month + "/" + names  # type: ignore[no-any-return]


def color_hex(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Colours as ``#1a2b3c`` (without ``#`` in a 6-character column)."""
    digits = _hex(b, 6)
    return digits if spec.column.length == 6 else "#" + digits


def version(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Semantic versions such as ``2.4.1``, low majors most common."""
    major = np.minimum(b.rng.geometric(0.45, b.n) - 1, 9).astype(str).astype(object)
    minor = b.rng.integers(0, 20, b.n).astype(str).astype(object)
    patch = b.rng.integers(0, 15, b.n).astype(str).astype(object)
    return major + "." + minor + "." + patch  # type: ignore[no-any-return]


_NUMBERED_TABLES = ("migration", "schema", "changelog", "changeset", "patch", "upgrade")


def version_number(b: Batch, spec: ColumnSpec) -> AnyArray:
    """A migration's number (1, 2, 3... in row order), else a row's revision count (mostly 1-3).

    A migrations table holds one row per version applied, so its versions never repeat.
    """
    words = table_tokens(b.table)
    if spec.unique or any(w in t for t in words for w in _NUMBERED_TABLES):
        return (b.request.row_offset + 1 + np.arange(b.n)).astype(np.int64)
    return np.minimum(b.rng.geometric(0.45, b.n), 50).astype(np.int64)


GENERATORS: Mapping[str, Generator] = {
    "slug": slug,
    "hash": hash_value,
    "image_url": image_url,
    "mime_type": mime_type,
    "html": html,
    "setting_key": setting_key,
    "isbn": isbn,
    "iban": iban,
    "quantity_per_unit": quantity_per_unit,
    "location": location,
    "file_name": file_name,
    "file_path": file_path,
    "image_file": image_file,
    "street_number": street_number,
    "color_hex": color_hex,
    "version": version,
    "version_number": version_number,
}
