"""`HanwebSite`: the replica world served as a Hanweb jcms site (see replica.hanweb).

It is a `replica.site.Site` (same render cache, ETags, revisions, request keys and faults through
the same handler) whose resources, manifest and endpoints are Hanweb's.
"""

from __future__ import annotations

from functools import cached_property, partial
from typing import Any
from urllib.parse import parse_qs

from replica.hanweb.dataproxy import dataproxy
from replica.hanweb.layout import DATAPROXY, DOWNFILE, LEGACY_DATAPROXY, Layout, hanweb_layout
from replica.hanweb.manifest import build_hanweb_manifest
from replica.hanweb.pages import not_found
from replica.hanweb.resources import hanweb_resources
from replica.hanweb.search import jrobot, jsearchfront
from replica.irs import Indexed, build_index
from replica.planner import SitePlan, plan_site
from replica.resources import Resource
from replica.site import Endpoint, EndpointAnswer, EndpointRequest, Site, SiteOptions, vars_of


def _first(query: str, name: str) -> str:
    return parse_qs(query).get(name, [""])[0]


class HanwebSite(Site):
    """Paths -> resources, endpoints and the manifest of the Hanweb site of one (seed, revision)."""

    def __init__(self, plan: SitePlan, options: SiteOptions, layout: Layout) -> None:
        self.layout = layout
        super().__init__(plan, options)

    def _build_resources(self, plan: SitePlan) -> dict[str, Resource]:
        return hanweb_resources(plan, self.layout)

    @cached_property
    def manifest(self) -> dict[str, Any]:
        return build_hanweb_manifest(self.plan, self.layout)

    @cached_property
    def hanweb_index(self) -> list[Indexed]:
        return build_index(self.plan)

    def request_key(self, path: str, query: str) -> str:
        """downfile.jsp is one resource per filename; dataproxy faults fall per record range."""
        if path == DOWNFILE:
            return f"{DOWNFILE}?classid=0&filename={_first(query, 'filename')}"
        if path in (DATAPROXY, LEGACY_DATAPROXY):
            return f"{path}?startrecord={_first(query, 'startrecord')}&endrecord={_first(query, 'endrecord')}"
        if path.startswith("/col/col") and _first(query, "pageNum"):
            # The column page N; a page past the end, a bad number or a foreign uid answer page 1.
            page = path + "index.html" if path.endswith("/") else path
            paged = f"{page}?uid={_first(query, 'uid')}&pageNum={_first(query, 'pageNum')}"
            return paged if paged in self.resources else path
        return path

    def endpoint(self, method: str, path: str) -> Endpoint | None:
        if path == self.layout.dataproxy:
            return partial(dataproxy, self.layout)
        if path in (DATAPROXY, LEGACY_DATAPROXY):
            return self._gone
        if path == "/jsearchfront/search.do":
            return lambda request: jsearchfront(self.hanweb_index, request, as_json=False)
        if path == "/jsearchfront/interfaces/cateSearch.do":
            return lambda request: jsearchfront(self.hanweb_index, request, as_json=True)
        if path == "/jrobot/search.do":
            return partial(jrobot, self.hanweb_index)
        if method == "POST":
            return _not_allowed
        return None

    def _gone(self, request: EndpointRequest) -> EndpointAnswer:
        return 404, [("Content-Type", "text/html; charset=utf-8")], not_found(self.layout).encode()

    def with_revision(self, revision: int, *, relist: bool = False) -> HanwebSite:
        revised = build_hanweb_site(
            self.seed, revision=revision, legacy_dataproxy=self.layout.legacy_dataproxy, **vars_of(self.options)
        )
        if relist:
            revised.relist_revised()
        revised.adopt_cache(self)
        return revised


def _not_allowed(request: EndpointRequest) -> EndpointAnswer:
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Allow", "GET, HEAD")]
    return 405, headers, b"<h1>405 Method Not Allowed</h1>"


def build_hanweb_site(
    seed: int,
    *,
    departments: int = 16,
    years: range = range(2019, 2026),
    revision: int = 0,
    reports_per_department: int | None = None,
    legacy_dataproxy: bool = False,
) -> HanwebSite:
    """The Hanweb site for `seed` at `revision`; `legacy_dataproxy` makes /module/jpage/ the live proxy."""
    if revision < 0:
        raise ValueError(f"revision must not be negative, not {revision}")
    plan = plan_site(
        seed, departments=departments, years=years, revision=revision, reports_per_department=reports_per_department
    )
    layout = hanweb_layout(plan, legacy_dataproxy=legacy_dataproxy)
    return HanwebSite(plan, SiteOptions(departments, years, reports_per_department), layout)
