"""The rule tables semantic inference reads (:mod:`syda.generators.infer`): data, not code.

Whole column names (:data:`EXACT`), single name tokens (:data:`TOKEN`), table head words that
resolve ``name``/``title`` (:data:`NAME_BY_TABLE`), comment phrases (:data:`COMMENT`) and the
logical kinds each meaning may be stored in (:data:`FAMILY`). A new rule is a new row here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "BOOL_PREFIXES",
    "BOOL_WORDS",
    "BY_KIND",
    "COMMENT",
    "COMMENT_RE",
    "COMPANY_TABLES",
    "EXACT",
    "FAMILY",
    "FUTURE_WORDS",
    "NAME_BY_TABLE",
    "NOT_BY_NAME",
    "ORG_WORDS",
    "PEOPLE_TABLES",
    "PLACE_PARTS",
    "TIME_SUFFIXES",
    "TOKEN",
    "WEAK_TOKENS",
]

FUTURE_WORDS = frozenset(
    {"due", "expires", "expiry", "expiration", "until", "valid", "required", "needed",
     "promised", "deadline", "end", "ends", "scheduled", "planned", "next", "renewal", "renews"}
)  # fmt: skip
"""Name tokens of dates that may lie ahead of today: deadlines, expiries, planned ends. They are
neither kept before the reference date nor after every other event of the row."""

# Exact (snake_case-joined) column names.
EXACT: Mapping[str, str] = MappingProxyType(
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
        "hostname": "domain", "host": "domain", "reply_to": "email", "bcc": "email",
        "cc": "email", "return_path": "email", "mail_from": "email", "mail_to": "email",
        "mail": "email", "mail_address": "email", "mailaddress": "email", "mail_addr": "email",
        "e_mail": "email",
        "ip": "ip_address", "ipv4": "ip_address",
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
TOKEN: Mapping[str, str] = MappingProxyType(
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

PEOPLE_TABLES = (
    "employee", "user", "contact", "customer", "people", "person", "patient", "student",
    "author", "member", "staff", "doctor", "teacher", "client_contact", "lead", "agent",
    "applicant", "candidate", "physician", "nurse", "driver", "owner", "subscriber",
)  # fmt: skip
COMPANY_TABLES = (
    "compan", "organi", "account", "vendor", "supplier", "partner", "manufacturer", "brand",
    "tenant", "firm", "business", "employer", "merchant", "carrier", "shipper",
)  # fmt: skip
NAME_BY_TABLE = (
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
    (PEOPLE_TABLES, "full_name"),
    (COMPANY_TABLES, "company"),
)
ORG_WORDS = re.compile(r"\b(organi[sz]ations?|compan(y|ies)|business(es)?|b2b|vendors?)\b", re.I)
# Comment phrases, checked in order; the first one found decides.
COMMENT = (
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
COMMENT_RE = tuple((re.compile(p, re.IGNORECASE), s) for p, s in COMMENT)

# Which column kinds each semantic's values may be stored in.
FAMILY: Mapping[str, frozenset[str]] = MappingProxyType(
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
WEAK_TOKENS = frozenset(
    {"address", "type", "tier", "plan", "code", "status", "year", "age", "rate"}
)
BOOL_PREFIXES = ("is", "has", "can", "should", "allow", "allows", "was", "needs")
BOOL_WORDS = frozenset(
    {"active", "enabled", "disabled", "verified", "deleted", "archived", "flag", "confirmed",
     "approved", "published", "visible", "locked", "blocked", "subscribed", "opt_in", "primary",
     "default", "paid", "completed", "valid", "discontinued", "sudo", "one_time"}
)  # fmt: skip
BY_KIND = frozenset({"title", "status", "code", "text", "word", "version"})  # type/table decide
TIME_SUFFIXES = ("at", "date", "on", "time", "timestamp", "ts", "datetime", "day")
NOT_BY_NAME = frozenset(
    {"point", "line", "lseg", "box", "path", "polygon", "circle", "set", "bit", "varbit",
     "interval", "array"}
)  # fmt: skip
"""Database types' names that are ordinary column names too: a VARCHAR ``path`` is a file's,
not a geometric path, a ``line`` a line of text."""
PLACE_PARTS = frozenset({"city", "town", "state", "region", "province", "zip", "zipcode",
                          "postal", "postcode"})  # fmt: skip
