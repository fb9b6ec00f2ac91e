"""Hosts and company domains of many values at once agree with the one-value rules."""

from __future__ import annotations

import numpy as np
import pytest

from syda.generators.hosts import company_domains, host, hosts
from syda.generators.pools import company_domain

URLS = ["https://www.Acme.com/about", "WWW.x.org", "a@b://c", "http://user@Host:8080/x", "",
        "www.", "mail@www.Foo.io/p", "x\ny@z", "://", "@", "a:b@c", "jane@acme.co.uk",
        "a/b://c", "h:1\n/x"]  # fmt: skip
NAMES = ["Acme Corp", "Acme Corp 17", "Acme  17", " 17", "17", "Acme 17 Corp", "Inc", "",
         "Ltd 3", "X\nY 4", "Acme ", "Globex GmbH 204", "A 12\n", "A 1 2", "1 2 3"]  # fmt: skip


def _objects(values: list[object]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


@pytest.mark.parametrize("extra", [[], ["Ünïcode.de"], [17]], ids=["ascii", "other", "number"])
def test_hosts_match_host(extra: list[object]) -> None:
    values = _objects(URLS + extra)
    assert list(hosts(values)) == [host(v) for v in values]
    assert host("https://www.Acme.com/about") == "acme.com"


@pytest.mark.parametrize("extra", [[], ["Müller AG 3"]], ids=["ascii", "other"])
def test_company_domains_match_company_domain(extra: list[str]) -> None:
    names = _objects(NAMES + extra)
    want = [company_domain(n, "de") if n else None for n in names]
    assert list(company_domains(names, "de")) == want
    assert company_domain("Acme Corp 17", "com") == "acmecorp17.com"
