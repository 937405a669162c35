"""`nianbao portal new`: look at a site politely and draft its portal spec (like `scrapy genspider`, but it looks).

Through the real `PoliteClient` (robots.txt respected, a minimum delay per request, a small
request budget): the home page and the information-disclosure pages it links (政务公开,
政府信息公开, 信息公开...), the CMS family recognised from their markers, the 年报 columns
found by the family's own `find_columns` on the draft, and each column's first listing
page read to confirm it lists items. What the pages do not say is a `Gap`: the draft gets
a placeholder that validates and a `# TODO:` comment naming what to fill in.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapers.discovery import site_facts
from scrapers.discovery.catalog import ColumnRef, page_key
from scrapers.discovery.family import CmsFamily, family_named, recognise
from scrapers.discovery.inspect import DEFAULT_FAMILY, generic_spec
from scrapers.discovery.links import element_target
from scrapers.discovery.pages import Page, fetch_page
from scrapers.errors import PageUnavailable
from scrapers.http import PoliteClient
from scrapers.results import FetchResult, Validators
from scrapers.spec import PortalSpec, host_allowed, is_local_host, parse_spec, with_contact

NAV_TEXT = ["政务公开", "政府信息公开", "信息公开", "政府信息公开目录", "部门信息公开目录", "部门信息公开"]
DEPT_TEXT = ("部门信息公开目录", "部门信息公开", "部门公开")
COLUMN_TEXT = ["政府信息公开年报", "信息公开年报", "政府信息公开工作年度报告", "公开年报"]
# The listing containers of the TRS dialects seen so far (the replica's and Ningxia's).
TRS_CONTAINERS = [".xxgk_list", "ul.commonList_dot", ".list-con", "div.xxgk_wrap", ".list-content"]
DEFAULT_MAX_REQUESTS = 40
DEFAULT_MIN_DELAY_S = 2.0
# A real portal's spec never asks for less (tests/scrapers/test_spec_loading.py checks the shipped ones).
REAL_PORTAL_MIN_DELAY_S = 2.0
_SURVEY_PAGES = 8
_SURVEY_DEPTH = 2


class ProbeError(Exception):
    """The site could not be looked at (its home page unreadable): no draft."""


@dataclass(frozen=True)
class Gap:
    """A field of the draft a person must fill in (`todo`) or should check (a value read from the site)."""

    field: str
    reason: str
    todo: bool = True


@dataclass(frozen=True)
class ColumnProbe:
    """A 年报 column the draft finds, and what its first listing page lists."""

    url: str
    department: str | None
    items: int
    problem: str | None = None
    read: bool = True  # False: the page could not be fetched


@dataclass
class Draft:
    """A drafted spec: its mapping (validated), what it could not determine, and what was seen."""

    portal_id: str
    url: str
    family: str
    markers: list[str]
    data: dict[str, Any]
    gaps: list[Gap] = field(default_factory=list)
    columns: list[ColumnProbe] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    requests: int = 0

    @property
    def todo(self) -> list[Gap]:
        return [gap for gap in self.gaps if gap.todo]

    @property
    def complete(self) -> bool:
        """Columns found that list items, and nothing left to fill in."""
        return any(column.items for column in self.columns) and not self.todo

    def yaml_text(self) -> str:
        from scrapers.discovery.draft_yaml import render

        return render(self)


def default_id(url: str) -> str:
    """The host's first label: `www.nxzw.gov.cn` -> `nxzw` (a leading www is no name), `127.0.0.1` -> `127`."""
    labels = (urlsplit(url).hostname or "portal").split(".")
    if len(labels) > 2 and labels[0] in ("www", "www2", "zwgk", "xxgk"):
        labels = labels[1:]
    return labels[0]


def probe_site(
    url: str,
    portal_id: str,
    *,
    min_delay_s: float = DEFAULT_MIN_DELAY_S,
    max_requests: int = DEFAULT_MAX_REQUESTS,
    contact: str | None = None,
) -> Draft:
    """Look at the site at `url` within `max_requests` requests and draft spec `portal_id`.

    The requests' user agent carries `contact` (`spec.with_contact`); the draft leaves its own
    user agent to the default, which gets the contact when the spec is loaded.
    """
    probe = probe_spec(url, min_delay_s, max_requests, contact)
    with _RememberingClient(probe) as client:
        survey = _survey(client, probe, _start(url))
        found, markers = recognise("\n".join(page.html for page in survey.pages))
        family = found or family_named(DEFAULT_FAMILY)
        draft = _draft(portal_id, probe, family, markers, survey, min_delay_s, _start(url))
        if found is None:
            reason = f"no family's markers on {len(survey.pages)} pages: {DEFAULT_FAMILY} assumed"
            draft.gaps.append(Gap("cms_family", reason))
        spec = parse_spec(draft.data, Path(f"{portal_id}.yaml"))  # a draft that does not validate is a bug here
        _find_columns(client, spec, family, draft)
        draft.requests = client.stats.requests
    return draft


class _RememberingClient(PoliteClient):
    """A client that fetches a page once per probe: the survey's pages are the catalogue walk's first ones."""

    def __init__(self, spec: PortalSpec) -> None:
        super().__init__(spec)
        self._answers: dict[str, FetchResult] = {}

    def get(self, url: str, *, validators: Validators | None = None, max_bytes: int | None = None) -> FetchResult:
        if validators is not None:
            return super().get(url, validators=validators, max_bytes=max_bytes)
        if url not in self._answers or not self._answers[url].ok:
            self._answers[url] = super().get(url, max_bytes=max_bytes)
        return self._answers[url]


def probe_spec(url: str, min_delay_s: float, max_requests: int, contact: str | None = None) -> PortalSpec:
    """The rules the probe fetches with: any site's, this host only, a small budget, one retry."""
    spec = generic_spec(url)
    agent = with_contact({"http": {"user_agent": spec.http.user_agent}}, contact)["http"]["user_agent"]
    politeness = spec.politeness.model_copy(
        update={"min_delay_s": min_delay_s, "max_requests_per_run": max_requests, "retries": 1}
    )
    local = is_local_host(urlsplit(url).hostname or "")
    http = spec.http.model_copy(update={"user_agent": agent})
    return spec.model_copy(update={"politeness": politeness, "allow_private_addresses": local, "http": http})


@dataclass
class _Survey:
    """The pages looked at, the department catalogues among them and how many links from home they sit."""

    pages: list[Page]
    dept_pages: list[Page] = field(default_factory=list)
    dept_depth: int | None = None
    # Disclosure links to other hosts (a 政务公开 platform on its own subdomain): not followed.
    elsewhere: dict[str, str] = field(default_factory=dict)


def _survey(client: PoliteClient, spec: PortalSpec, start: str | None) -> _Survey:
    """The home page (and `start`, a page the person named), and the disclosure pages reached by their link text."""
    home = spec.base_url + "/"
    pages = [_named_page(client, home, "the home page")]
    queue: deque[tuple[Page, int]] = deque([(pages[0], 0)])
    if start is not None:
        pages.append(_named_page(client, start, "the page named"))
        queue.append((pages[-1], 1))
    survey = _Survey(pages)
    seen = {page_key(page.url) for page in pages} | {page_key(home)}
    while queue and len(pages) < _SURVEY_PAGES:
        page, depth = queue.popleft()
        for url, text in _nav_links(page):
            if not host_allowed(url, spec.allowed_hosts):
                survey.elsewhere.setdefault(urlsplit(url).netloc.lower(), f"{text} {url}")
                continue
            if page_key(url) in seen or depth >= _SURVEY_DEPTH or len(pages) >= _SURVEY_PAGES:
                continue
            seen.add(page_key(url))
            try:
                found = fetch_page(client, url)
            except PageUnavailable:
                continue  # the catalogue walk meets it again and records why
            pages.append(found)
            queue.append((found, depth + 1))
            if text in DEPT_TEXT:
                survey.dept_pages.append(found)
                survey.dept_depth = min(survey.dept_depth or depth + 1, depth + 1)
    return survey


def _named_page(client: PoliteClient, url: str, what: str) -> Page:
    try:
        return fetch_page(client, url)
    except PageUnavailable as exc:
        raise ProbeError(f"cannot read {what} {url}: {exc.outcome} ({exc.detail or 'no detail'})") from exc


def _start(url: str) -> str | None:
    """The URL given when it is not the home page: a disclosure page to start from too."""
    parts = urlsplit(url)
    return url if parts.path.strip("/") or parts.query else None


def _nav_links(page: Page) -> list[tuple[str, str]]:
    links = []
    for anchor in page.soup.select("a[href]"):
        text = anchor.get_text(strip=True)
        url = element_target(anchor, page.url, use_onclick=False)
        if text in NAV_TEXT and url:
            links.append((url, text))
    return links


def _draft(
    portal_id: str,
    probe: PortalSpec,
    family: CmsFamily,
    markers: list[str],
    survey: _Survey,
    min_delay_s: float,
    start: str | None,
) -> Draft:
    draft = Draft(portal_id, probe.base_url, family.name, markers, {})
    pages = survey.pages
    name = site_facts.site_name(pages[0])
    region = site_facts.region(pages)
    search, search_seen = site_facts.search_api(pages, family.name)
    dept = _department_pattern(survey.dept_pages, family)
    local = probe.allow_private_addresses
    data: dict[str, Any] = {
        "name": name or portal_id,
        "level": region.level if region else "prefecture",
        "region_code": region.code if region else "000000",
        "base_url": probe.base_url,
        "allowed_hosts": list(probe.allowed_hosts),
        **({"allow_private_addresses": True} if local else {}),
        "cms_family": family.name,
        "politeness": {
            "min_delay_s": min_delay_s if local else max(min_delay_s, REAL_PORTAL_MIN_DELAY_S),
            "max_requests_per_run": 3000,
            "respect_robots_txt": True,
        },
        "seeds": [
            {"kind": "navigation", "url": "/"},
            *([{"kind": "navigation", "url": _path(start)}] if start else []),
        ],
        "discovery": _discovery(dept, survey),
        "listing": _listing(family),
        **({"search_api": search} if search else {}),
    }
    draft.data = data
    draft.gaps += _identity_gaps(name, region, pages[0].url)
    draft.gaps += _site_gaps(survey, family, (search, search_seen), dept)
    return draft


def _discovery(dept: str | None, survey: _Survey) -> dict[str, Any]:
    return {
        "report_column_link_text": COLUMN_TEXT,
        "nav_link_text": NAV_TEXT,
        **({"dept_link_pattern": dept} if dept else {}),
        # As deep as the department homes: on a Hanweb site every page is a /col/col<ID>/ link the
        # department pattern matches, and a deeper walk fetches every column of every department.
        **({"max_depth": survey.dept_depth + 1} if dept and survey.dept_depth else {}),
    }


def _site_gaps(
    survey: _Survey, family: CmsFamily, search: tuple[dict[str, Any] | None, str | None], dept: str | None
) -> list[Gap]:
    gaps = []
    for host, link in survey.elsewhere.items():
        reason = f"{link} is on another host: add {host} to allowed_hosts if it is the portal's, and probe it"
        gaps.append(Gap("allowed_hosts", reason))
    found, seen_at = search
    if found is None:
        gaps.append(Gap("search_api", f"no {' / '.join(family.search_kinds)} search link or form seen"))
    else:
        gaps.append(Gap("search_api", f"read from {seen_at}; run a crawl to confirm it answers", False))
    if dept is None:
        where = ", ".join(p.url for p in survey.dept_pages) or "no 部门信息公开 page linked"
        reason = f"department homes not recognised ({where}): their columns are missed"
        gaps.append(Gap("discovery.dept_link_pattern", reason))
    return gaps


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _identity_gaps(name: str | None, region: site_facts.Region | None, home: str) -> list[Gap]:
    gaps = []
    if name is None:
        gaps.append(Gap("name", f"neither meta SiteName nor <title> of {home} names the site"))
    if region is None:
        gaps.append(Gap("region_code", "no 网站标识码 / meta SiteIDCode seen: the 6-digit administrative code"))
        gaps.append(Gap("level", "province, prefecture, county or district (prefecture assumed)"))
    elif region.level == "county":
        gaps.append(Gap("level", f"from {region.source}: county or district?", False))
    else:
        gaps.append(Gap("region_code", f"from {region.source}", False))
    return gaps


def _department_pattern(dept_pages: list[Page], family: CmsFamily) -> str | None:
    skip = [*NAV_TEXT, *COLUMN_TEXT, "首页"]
    for page in dept_pages:
        if pattern := site_facts.department_pattern(page, skip, family.is_article_url):
            return pattern
    return None


def _listing(family: CmsFamily) -> dict[str, Any]:
    containers = family.spec_defaults().get("listing", {}).get("container_selectors") or TRS_CONTAINERS
    return {"container_selectors": containers, "item_selector": "li a", "date_selector": "span"}


def _find_columns(client: PoliteClient, spec: PortalSpec, family: CmsFamily, draft: Draft) -> None:
    catalog = family.find_columns(client, spec)
    draft.problems += [str(exc) for exc in catalog.problems]
    draft.columns = [_first_page(client, spec, family, column) for column in catalog.columns]
    if not draft.columns:
        draft.gaps.append(
            Gap("discovery", "no 年报 column found from / : add seeds (kind report_column) or column link texts")
        )
    elif not any(column.items for column in draft.columns):
        read = [column for column in draft.columns if column.read]
        reason = (
            "no column's first page lists items: set container_selectors to its list"
            if read
            else "no column's first page could be read (see the problems): its items are unconfirmed"
        )
        draft.gaps.append(Gap("listing", reason))
    budget = client.spec.politeness.max_requests_per_run
    if client.stats.requests >= budget:
        reason = f"the probe's budget of {budget} requests ran out: columns may be missed (raise --max-requests)"
        draft.gaps.append(Gap("columns", reason))


def _first_page(client: PoliteClient, spec: PortalSpec, family: CmsFamily, column: ColumnRef) -> ColumnProbe:
    try:
        page = fetch_page(client, column.url)
    except PageUnavailable as exc:
        return ColumnProbe(column.url, column.department, 0, f"{exc.outcome}: {exc.detail}", read=False)
    read = family.read_listing(page, spec)
    problem = None if read.items else "; ".join(read.problems) or "no listing items on the first page"
    return ColumnProbe(column.url, column.department, len(read.items), problem)
