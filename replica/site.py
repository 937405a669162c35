"""The replica site: a deterministic, lazily rendered copy of nxzw.gov.cn's structure.

`build_site(seed, ...)` plans the site (replica.planner) and maps every path to a
`Resource`; bodies are rendered on first request and cached with their ETag. The
same (seed, revision, sizes) always gives the same site, byte for byte.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from replica.irs import Indexed, build_index, search
from replica.manifest import build_manifest
from replica.pages import robots_txt
from replica.plan import Department, Report
from replica.planner import SitePlan, plan_site
from replica.resources import Resource, all_resources

_PAGED = re.compile(r"^(?P<column>.*/)index_\d+\.html$")


@dataclass(frozen=True)
class Rendered:
    """A rendered body and its strong ETag (a content hash, quoted)."""

    body: bytes
    etag: str


@dataclass(frozen=True)
class EndpointRequest:
    """A request to a site endpoint (search, paging proxy): the JSP/servlet view of it."""

    method: str
    path: str
    params: dict[str, str]  # query string and form fields merged, the first value of each
    host: str


# status, headers, body
EndpointAnswer = tuple[int, list[tuple[str, str]], bytes]
Endpoint = Callable[[EndpointRequest], EndpointAnswer]


@dataclass(frozen=True)
class SiteOptions:
    """The size arguments of build_site, kept so a revision can be rebuilt alike."""

    departments: int = 16
    years: range = range(2019, 2026)
    reports_per_department: int | None = None


class Site:
    """Paths -> resources, the manifest and the search index of one (seed, revision)."""

    def __init__(self, plan: SitePlan, options: SiteOptions) -> None:
        self.plan = plan
        self.options = options
        self.resources: dict[str, Resource] = self._build_resources(plan)
        self._repeating = {c.path for c in plan.columns if c.repeat_beyond_end}
        self._cache: dict[str, tuple[str, Rendered]] = {}
        self._lock = threading.Lock()
        self._binary_lock = threading.Lock()

    def _build_resources(self, plan: SitePlan) -> dict[str, Resource]:
        return all_resources(plan)

    def request_key(self, path: str, query: str) -> str:
        """The key a request is resolved, fault-decided and cached by: the TRS site ignores the query."""
        return path

    def endpoint(self, method: str, path: str) -> Endpoint | None:
        """A dynamic answer for `path` other than a resource (the TRS site's IRS search is the handler's)."""
        return None

    @property
    def seed(self) -> int:
        return self.plan.seed

    @property
    def revision(self) -> int:
        return self.plan.revision

    @property
    def reports(self) -> list[Report]:
        return self.plan.reports

    @property
    def departments(self) -> list[Department]:
        return self.plan.departments

    @cached_property
    def manifest(self) -> dict[str, Any]:
        """Every published report with its truth, plus false positives (JSON-safe)."""
        return build_manifest(self.plan)

    @cached_property
    def index(self) -> list[Indexed]:
        return build_index(self.plan)

    @property
    def robots_txt(self) -> str:
        return robots_txt(self.plan.robots_disallow)

    def resolve(self, path: str) -> tuple[str, Resource] | None:
        """The resource answering `path`: directories give index.html; a repeating
        column answers page 1 for any index_N.html past its end."""
        if path.endswith("/"):
            path += "index.html"
        if path in self.resources:
            return path, self.resources[path]
        paged = _PAGED.match(path)
        if paged and paged["column"] in self._repeating:
            first = paged["column"] + "index.html"
            return first, self.resources[first]
        return None

    def render(self, path: str, resource: Resource) -> Rendered:
        """The body of `path`, rendered once and cached (concurrent first calls may both render)."""
        with self._lock:
            cached = self._cache.get(path)
        if cached is not None and cached[0] == resource.token:
            return cached[1]
        body = self._render_locked(resource) if resource.kind == "attachment" else resource.render()
        rendered = Rendered(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
        with self._lock:
            self._cache[path] = (resource.token, rendered)
        return rendered

    def _render_locked(self, resource: Resource) -> bytes:
        # reportlab and pdfium keep global state: render binary documents one at a time.
        with self._binary_lock:
            return resource.render()

    def adopt_cache(self, older: Site) -> None:
        """Reuse `older`'s rendered bodies wherever this site's resource is unchanged."""
        with older._lock:
            entries = dict(older._cache)
        with self._lock:
            for path, (token, rendered) in entries.items():
                resource = self.resources.get(path)
                if resource is not None and resource.token == token:
                    self._cache[path] = (token, rendered)

    def search(self, body: dict[str, Any], host: str) -> dict[str, Any]:
        """The IRS search answer for a request body (see replica.irs)."""
        return search(self.index, body, host)

    def with_revision(self, revision: int, *, relist: bool = False) -> Site:
        """The same site at another revision, reusing every unchanged rendered body (see `relist_revised`)."""
        revised = build_site(self.seed, revision=revision, **vars_of(self.options))
        if relist:
            revised.relist_revised()
        revised.adopt_cache(self)
        return revised

    def relist_revised(self) -> None:
        """List every revised report anew, as a site republishing it does: its listing entry shows the
        revision's date, so the listing pages' bytes change too (call before `adopt_cache`)."""
        relisted = sorted(r.id for r in self.plan.reports if r.revisions)
        for report in self.plan.reports:
            report.relisted = bool(report.revisions)
        token = "relisted:" + hashlib.sha256(",".join(relisted).encode()).hexdigest()[:16]
        for path, resource in self.resources.items():
            if resource.kind == "listing":
                self.resources[path] = replace(resource, token=token)


def vars_of(options: SiteOptions) -> dict[str, Any]:
    return {
        "departments": options.departments,
        "years": options.years,
        "reports_per_department": options.reports_per_department,
    }


def build_site(
    seed: int,
    *,
    departments: int = 16,
    years: range = range(2019, 2026),
    revision: int = 0,
    reports_per_department: int | None = None,
) -> Site:
    """The replica site for `seed` at `revision` (0 = as first published)."""
    if revision < 0:
        raise ValueError(f"revision must not be negative, not {revision}")
    plan = plan_site(
        seed, departments=departments, years=years, revision=revision, reports_per_department=reports_per_department
    )
    return Site(plan, SiteOptions(departments, years, reports_per_department))
