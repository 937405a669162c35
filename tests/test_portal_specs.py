"""Every portal spec in portals/ reads its family's replica dialects: listings to their items, articles to
their year and agency. A new spec file is checked by being there.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from replica.server import ReplicaServer
from scrapers.discovery.inspect import Kind, inspect_page
from scrapers.spec import PortalSpec, load_portal, spec_paths

PORTALS = [path.stem for path in spec_paths()]
# The replica family printing each CMS family's dialects.
REPLICA_OF = {"trs_wcm": "trs", "hanweb_jcms": "hanweb"}


@pytest.fixture
def site(request: pytest.FixtureRequest, portal: str) -> tuple[ReplicaServer, PortalSpec]:
    """The portal's spec re-pointed at its family's shared replica site."""
    family = load_portal(portal).cms_family
    assert family in REPLICA_OF, f"{portal}: no replica prints cms_family {family}; add its dialect to replica/"
    server: ReplicaServer = request.getfixturevalue("replica_site" if REPLICA_OF[family] == "trs" else "hanweb_site")
    return server, load_portal(portal, base_url=server.base_url)


def _read(server: ReplicaServer, spec: PortalSpec, path: str, kind: Kind) -> Any:
    url = server.base_url + path
    answer = requests.get(url, timeout=30)
    assert answer.status_code == 200, url
    return inspect_page(answer.content, url, spec, kind)


@pytest.mark.parametrize("portal", PORTALS)
def test_the_spec_reads_every_listing_dialect_of_its_family(site: tuple[ReplicaServer, PortalSpec]) -> None:
    server, spec = site
    manifest = server.manifest()
    columns = [manifest["city_column"], *(d["report_column"] for d in manifest["departments"])]
    for column in columns:
        first = column["pages"][0] if "pages" in column else column["path"]
        reading = _read(server, spec, first, "listing")
        items = {item["url"].removeprefix(server.base_url) for item in reading.items}
        assert items and items <= set(column["items"]), (spec.id, first, reading.problems)


@pytest.mark.parametrize("portal", PORTALS)
def test_the_spec_reads_every_article_dialect_of_its_family(site: tuple[ReplicaServer, PortalSpec]) -> None:
    server, spec = site
    one_per_dialect: dict[str, dict[str, Any]] = {}
    for report in server.manifest()["reports"]:
        if report["article"] and not report["flags"]["robots_disallowed"]:
            one_per_dialect.setdefault(report["article_dialect"], report)
    assert len(one_per_dialect) >= 3
    for dialect, report in one_per_dialect.items():
        reading = _read(server, spec, report["article"], "article")
        assert (reading.year, reading.agency) == (report["year"], report["agency"]), (spec.id, dialect)
        assert reading.title == report["title"], (spec.id, dialect)
