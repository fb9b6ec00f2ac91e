"""A company's people write from its domain: ``semantic: work_email``.

An ``email`` is a person's own address: most at their organisation's domain where the row
names one, the rest at a webmail (a customer who gives their gmail). A contact *of* a company,
its staff, writes from the company's domain: 14 of the CRM demo's 145 contacts mailing from
gmail read as a mistake. So the email column of a people table (first, last or full names)
that belongs to an organisation with a website or domain (:data:`ORGANISATIONS`, or a parent
whose rows name a company) is drawn as ``work_email``: the person's name at that domain, in
one house style per company (``jane.doe@acme.com``). The profile shows it; a user who wants
webmail too writes ``semantic: email`` back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from syda.generators.infer import infer_semantic, name_tokens
from syda.profile.lineage import earlier_parents
from syda.profile.spec import ColumnProfile
from syda.schema.ir import Schema, Table

__all__ = ["ORGANISATIONS", "work_email_specs"]

ORGANISATIONS = frozenset(
    {"company", "companies", "customer", "customers", "account", "accounts", "organization",
     "organizations", "organisation", "organisations", "org", "orgs", "client", "clients",
     "vendor", "vendors", "supplier", "suppliers", "partner", "partners", "tenant", "tenants",
     "firm", "firms", "employer", "employers", "business", "businesses", "agency", "agencies"}
)  # fmt: skip
"""Words of parent tables whose rows are organisations (their people are staff)."""

_PEOPLE = frozenset({"first_name", "last_name", "full_name"})
_SITES = frozenset({"url", "domain"})
_SITE_WORDS = frozenset({"website", "url", "domain", "homepage", "site", "web"})

Free = Callable[[str], bool]


def work_email_specs(
    schema: Schema, table: Table, guesses: dict[str, ColumnProfile], free: Free
) -> dict[str, dict[str, Any]]:
    """``{email column: {"semantic": "work_email"}}`` for a company's people, else ``{}``."""
    if not {g.semantic for g in guesses.values()} & _PEOPLE:
        return {}
    emails = [n for n, g in guesses.items() if g.semantic == "email" and free(n)]
    if not emails or not any(_organisation(parent) for _, parent in earlier_parents(schema, table)):
        return {}
    return {name: {"semantic": "work_email"} for name in emails}


def _organisation(parent: Table) -> bool:
    """A parent whose rows are organisations with a web address (a customer account)."""
    semantics = {c.name: infer_semantic(c, parent) for c in parent.columns}
    site = any(s in _SITES and set(name_tokens(n)) & _SITE_WORDS for n, s in semantics.items())
    named = "company" in semantics.values() or bool(set(name_tokens(parent.name)) & ORGANISATIONS)
    return site and named
