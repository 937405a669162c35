"""Portal specs: the declarative description of one government portal (portals.md §7).

One YAML file per portal in the portals directory; the file name is the portal id.
Behaviour lives in code, values live here, and a wrong value fails before any request
with a `SpecError` naming the file and the field.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from formats.cms_body import BODY_SELECTORS
from formats.dates import DATE_TEXT
from formats.titles import NOT_A_REPORT, STATISTICS_PERIOD
from scrapers.errors import SpecError
from scrapers.urls import AmbiguousUrl, target

DEFAULT_PORTALS_DIR = Path(__file__).resolve().parents[1] / "portals"
# The contact a user agent carries until the operator names theirs (`with_contact`).
PLACEHOLDER_CONTACT = "nianbao@example.org"
CONTACT_FIELD = "{contact}"


class _Strict(BaseModel):
    """Rejects unknown keys so a typo in YAML is an error, not a silently ignored setting."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _compile(pattern: str) -> re.Pattern[str]:
    # re.error is not a ValueError, and pydantic only reports ValueErrors as field errors.
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regex {pattern!r}: {exc}") from exc


class HttpSpec(_Strict):
    """How we present ourselves and how long we wait."""

    user_agent: str = f"nianbao/0.1 (+https://github.com/nianbao; research crawler; contact {PLACEHOLDER_CONTACT})"
    headers: dict[str, str] = Field(default_factory=lambda: {"Accept-Language": "zh-CN,zh;q=0.9"})
    connect_timeout_s: float = Field(10.0, gt=0)
    read_timeout_s: float = Field(30.0, gt=0)
    # Wall clock for one whole exchange (headers and body): the socket timeouts above
    # bound each read, so a server dribbling a byte a second would otherwise never time out.
    total_timeout_s: float = Field(120.0, gt=0)
    verify_tls: bool = True
    max_body_bytes: int = Field(50_000_000, gt=0)
    max_redirects: int = Field(5, ge=0, le=20)

    @field_validator("user_agent")
    @classmethod
    def _honest(cls, value: str) -> str:
        # An honest UA names us and says how to reach us; a bare browser UA is disguise.
        if not re.search(r"@|https?://", value):
            raise ValueError("user_agent must carry a contact (an e-mail address or URL)")
        if not value.isascii():
            raise ValueError("user_agent must be ASCII (HTTP header values are latin-1)")
        return value

    @model_validator(mode="after")
    def _total_covers_connect(self) -> HttpSpec:
        if self.total_timeout_s < self.connect_timeout_s:
            raise ValueError("total_timeout_s must be at least connect_timeout_s")
        return self


class PolitenessSpec(_Strict):
    """Per-host pacing, the request budget and retry policy."""

    min_delay_s: float = Field(2.0, ge=0)
    max_requests_per_run: int = Field(2000, gt=0)
    # A known article whose listing entry has not changed is asked again after at most this many days
    # (each after its own share of it, so re-checks spread over runs); 0 asks every article every run.
    recheck_days: float = Field(30.0, ge=0)
    retries: int = Field(3, ge=0, le=10)
    backoff_base_s: float = Field(2.0, ge=0)
    backoff_cap_s: float = Field(60.0, ge=0)
    max_retry_after_s: float = Field(120.0, ge=0)
    # A host that lets this many exchanges in a row run into the total deadline is paused for the run:
    # each costs up to (retries + 1) x total_timeout_s per URL otherwise.
    pause_host_after_deadlines: int = Field(3, ge=1)
    respect_robots_txt: bool = True


class Seed(_Strict):
    """An explicit entry point; `url` is a path on base_url or an absolute URL."""

    kind: Literal["navigation", "report_column"]
    url: str


class DiscoverySpec(_Strict):
    """How to walk from the portal root to the 年报 columns."""

    report_column_link_text: list[str] = Field(min_length=1)
    report_column_url_patterns: list[str] = Field(default_factory=list)
    nav_link_text: list[str] = Field(default_factory=list)
    nav_url_patterns: list[str] = Field(default_factory=list)
    dept_link_pattern: str | None = None
    follow_js_redirect_stub: bool = True
    max_depth: int = Field(4, ge=1, le=10)
    # Navigation, listing and article pages are parsed into a tree in memory (~80x their
    # size): a cap of their own, far under the document cap, keeps one huge page from
    # taking minutes and gigabytes. A page over it fails with the size as its reason.
    max_page_bytes: int = Field(5_000_000, gt=0)

    @field_validator("report_column_url_patterns", "nav_url_patterns")
    @classmethod
    def _regexes(cls, values: list[str]) -> list[str]:
        for value in values:
            _compile(value)
        return values

    @field_validator("dept_link_pattern")
    @classmethod
    def _dept_regex(cls, value: str | None) -> str | None:
        if value is not None:
            _compile(value)
        return value


class JpageSpec(_Strict):
    """Hanweb's jpage listings (cms_family hanweb_jcms): records in a `<datastore>`, more through a data proxy."""

    # Tried in order: some sites answer 404 on the older /module/jpage/ path.
    proxy_paths: list[str] = Field(
        default_factory=lambda: ["/module/web/jpage/dataproxy.jsp", "/module/jpage/dataproxy.jsp"], min_length=1
    )
    # Pages of `perPage` records one proxy request returns; the page's jpage init says, this is the fallback.
    group_size: int = Field(3, ge=1, le=20)
    # Form fields a site's pages do not print (webid, unitid, webname); the page's own values win.
    params: dict[str, str] = Field(default_factory=dict)


class ListingSpec(_Strict):
    """Listing pages of a 年报 column and their pagination."""

    strategy: Literal["trs_static", "next_link"] = "trs_static"
    page_index_base: Literal[0, 1] = 0
    container_selectors: list[str] = Field(min_length=1)
    item_selector: str = "a"
    date_selector: str = "span"
    detail_url_regex: str = r"/\d{6}/t\d{8}_\d+(?:_\d+)?\.s?html?$"
    next_link_text: list[str] = Field(default_factory=lambda: ["下一页", "下页"])
    also_accept_attachment_urls: bool = True
    max_pages: int = Field(50, ge=1)
    stop_on_repeated_page: bool = True
    include_onclick_links: bool = True
    jpage: JpageSpec = Field(default_factory=JpageSpec)

    @field_validator("detail_url_regex")
    @classmethod
    def _regex(cls, value: str) -> str:
        _compile(value)
        return value


class AttachmentSpec(_Strict):
    """Which links on an article are report files, and how to accept a download."""

    extensions: list[str] = Field(
        default_factory=lambda: ["pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "ofd", "zip", "rar"]
    )
    attrs_priority: list[str] = Field(default_factory=lambda: ["href", "data-file", "data-url", "oldsrc"])
    scan_script_blocks: bool = True
    same_origin_only: bool = True
    min_bytes: int = Field(1024, ge=0)

    @model_validator(mode="after")
    def _href_first(self) -> AttachmentSpec:
        attrs = [a.lower() for a in self.attrs_priority]
        if "href" not in attrs or ("oldsrc" in attrs and attrs.index("oldsrc") < attrs.index("href")):
            raise ValueError("attrs_priority must list href, and before oldsrc (oldsrc paths are often dead)")
        return self


_DATE_GROUP = f"({DATE_TEXT})"  # every printed form (formats.dates), one group


class DetailSpec(_Strict):
    """Where an article keeps its title, date, publisher and body (each in several TRS dialects)."""

    title_meta: str = "ArticleTitle"
    pub_date_meta: str = "PubDate"
    publisher_meta: str = "ContentSource"
    # Most specific first: a bare h1 may be the site's logo (a title equal to meta SiteName is skipped).
    title_selectors: list[str] = Field(
        default_factory=lambda: ["h2.neiright_Title", "#font_title", "#NewsArticleTitle", "h1", ".title"]
    )
    title_suffix_separators: list[str] = Field(default_factory=lambda: ["_", "－", " - ", "|"])
    # Read outside the body, in this order, when meta PubDate is absent.
    pub_date_text_regexes: list[str] = Field(
        default_factory=lambda: [
            r"发布(?:时间|日期)\s*[:：]\s*" + _DATE_GROUP,
            r"发文日期\s*[:：]?\s*" + _DATE_GROUP,
            r"(?:时间|日期)\s*[:：]\s*" + _DATE_GROUP,
            r"[\[【]\s*" + _DATE_GROUP + r"\s*[\]】]",
        ]
    )
    publisher_text_regex: str = r"(?:信息|文章)?来源\s*[:：]\s*(\S[^\n]{0,60})"
    breadcrumb_selectors: list[str] = Field(
        default_factory=lambda: [".crumb", ".breadcrumb", ".position", "td.pos", "div.crumbsNav"]
    )
    # Where CMSs put the body (formats.cms_body); of nested ones the innermost, of several the report's.
    content_selectors: list[str] = Field(default_factory=lambda: list(BODY_SELECTORS))
    # Blocks outside the body that list the article's files.
    attachment_block_selectors: list[str] = Field(
        default_factory=lambda: [".article_attachment", ".attachment", ".fujian", "#fujian", ".xgfj"]
    )
    attachments: AttachmentSpec = Field(default_factory=AttachmentSpec)

    @field_validator("pub_date_text_regexes")
    @classmethod
    def _date_regexes(cls, values: list[str]) -> list[str]:
        for value in values:
            if _compile(value).groups < 1:
                raise ValueError(f"{value!r} needs a group around the date")
        return values

    @field_validator("publisher_text_regex")
    @classmethod
    def _publisher_regex(cls, value: str) -> str:
        if _compile(value).groups < 1:
            raise ValueError(f"{value!r} needs a group around the publisher")
        return value


class ReportFilterSpec(_Strict):
    """Which titles are 年报 (§5): an inclusion regex minus the known false positives."""

    title_regex: str = (
        r"(?P<org>.*?)(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?P<org2>.*?)"
        r"政府信息公开\s*(?:工作)?\s*(?:年度)?\s*(?:工作)?\s*报告"
    )
    exclude_regex: str = NOT_A_REPORT
    body_period_regex: str = STATISTICS_PERIOD

    @field_validator("title_regex")
    @classmethod
    def _title(cls, value: str) -> str:
        if "year" not in _compile(value).groupindex:
            raise ValueError("title_regex needs a named group 'year'")
        return value

    @field_validator("exclude_regex", "body_period_regex")
    @classmethod
    def _regex(cls, value: str) -> str:
        _compile(value)
        return value


class AntiBotSpec(_Strict):
    """How to tell an anti-bot answer from the site (§4); we only detect, never solve."""

    block_status: list[int] = Field(default_factory=lambda: [405, 412, 418, 521])
    suspect_status: list[int] = Field(default_factory=lambda: [202, 403, 429, 503])
    block_markers: list[str] = Field(
        default_factory=lambda: [
            "$_ts",
            "__jsluid",
            "wzwschallenge",
            "网防",
            "eventID",
            "请稍候",
            "安全验证",
            "访问异常",
            "Just a moment",
            "验证码",  # a CAPTCHA form ("请输入验证码") served as 200 instead of the page
        ]
    )
    min_html_bytes: int = Field(500, ge=0)
    positive_sentinels: list[str] = Field(default_factory=lambda: ["meta[name=ArticleTitle]", "a[href*='/t20']"])


class TrsIrsSearch(_Strict):
    """The TRS IRS search endpoint (§2.1), a secondary discovery channel."""

    kind: Literal["trs_irs"]
    endpoint: str = "/irs/front/search"
    tenant_id: str
    config_tenant_id: str = "19"
    data_type_id: int = 4
    search_word: str = "政府信息公开工作年度报告"
    search_by: str = "title"
    order_by: str = "time"
    page_size: int = Field(10, ge=1, le=100)
    max_pages: int = Field(20, ge=1)


class HanwebSearch(_Strict):
    """Hanweb's site search (§2.1): `jsearchfront` (Jiangsu, Zhejiang) or `jrobot` (Gansu).

    Both take the query, a page number and a page size as form fields, plus the site's
    own ids (`params`, e.g. websiteid and tpl for jsearchfront, webid for jrobot).
    """

    kind: Literal["hanweb_jsearchfront", "hanweb_jrobot"]
    endpoint: str
    # jsearchfront's interface is POSTed a form; jrobot's result page is a GET.
    method: Literal["get", "post"] = "post"
    params: dict[str, str] = Field(default_factory=dict)
    search_word: str = "政府信息公开工作年度报告"
    page_size: int = Field(10, ge=1, le=100)
    max_pages: int = Field(20, ge=1)


SearchApiSpec = Annotated[TrsIrsSearch | HanwebSearch, Field(discriminator="kind")]


class PortalSpec(_Strict):
    """One portal: identity, fetch policy and the discovery/listing/detail rules."""

    id: str
    name: str
    level: Literal["province", "prefecture", "county", "district"]
    region_code: str = Field(pattern=r"^\d{6}$")
    base_url: str
    allowed_hosts: list[str] = Field(min_length=1)
    allow_private_addresses: bool = False
    # The CMS family decides how discovery reads the site (scrapers/discovery/family.py). Only
    # families with a strategy are accepted: another one would otherwise be crawled as TRS, silently.
    cms_family: str
    # A named charset stands in for the HTTP header's (formats.charset: after a <meta charset> that reads the
    # bytes cleanly, before the UTF-8 and GB18030 guesses), in discovery and for the parser alike.
    charset: Literal["auto", "utf-8", "gb18030"] = "auto"
    http: HttpSpec = Field(default_factory=HttpSpec)
    politeness: PolitenessSpec = Field(default_factory=PolitenessSpec)
    seeds: list[Seed] = Field(min_length=1)
    discovery: DiscoverySpec
    listing: ListingSpec
    detail: DetailSpec = Field(default_factory=DetailSpec)
    report_filter: ReportFilterSpec = Field(default_factory=ReportFilterSpec)
    anti_bot: AntiBotSpec = Field(default_factory=AntiBotSpec)
    search_api: SearchApiSpec | None = None

    @field_validator("cms_family")
    @classmethod
    def _family(cls, value: str) -> str:
        from scrapers.discovery.family import family_named  # the families read specs: no import at load

        try:
            family_named(value)
        except KeyError as exc:
            raise ValueError(exc.args[0]) from None
        return value

    @model_validator(mode="after")
    def _search_of_family(self) -> PortalSpec:
        from scrapers.discovery.family import family_of

        kinds = family_of(self).search_kinds
        if self.search_api is not None and self.search_api.kind not in kinds:
            raise ValueError(
                f"search_api kind {self.search_api.kind!r} is not one of cms_family {self.cms_family!r}'s "
                f"({', '.join(kinds) or 'none'})"
            )
        return self

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("base_url must be an absolute http(s) URL")
        return value.rstrip("/")

    @field_validator("allowed_hosts")
    @classmethod
    def _hosts(cls, value: list[str]) -> list[str]:
        return [host.lower() for host in value]

    @model_validator(mode="after")
    def _base_host_allowed(self) -> PortalSpec:
        if not host_allowed(self.base_url, self.allowed_hosts):
            raise ValueError(f"base_url host is not in allowed_hosts: {self.base_url}")
        return self

    def absolute(self, url: str) -> str:
        """Resolve a spec path ("/zwgk/") against base_url."""
        return url if urlsplit(url).scheme else self.base_url + "/" + url.lstrip("/")


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def host_allowed(url: str, allowed_hosts: list[str]) -> bool:
    """True if the URL's host (and port) matches an entry: "host", "host:port" or "*.domain".

    An entry without a port matches the scheme's default port only, so a replica on
    127.0.0.1:8080 does not open every other local port. The host is read as the HTTP
    client will connect (`scrapers.urls.target`); an ambiguous URL matches nothing.
    """
    try:
        where = target(url)
    except AmbiguousUrl:
        return False  # a URL two parsers read differently is on no host we allow
    host, port = where.host, where.port
    for entry in allowed_hosts:
        name, _, entry_port = entry.partition(":")
        if entry_port and int(entry_port) != port:
            continue
        if not entry_port and port != _default_port(where.scheme):
            continue
        if name == host or (name.startswith("*.") and host.endswith(name[1:])):
            return True
    return False


def _netloc(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


def _rebase(data: dict[str, Any], base_url: str) -> dict[str, Any]:
    """Point a spec at another base URL (the replica's dynamic port) and allow only that host."""
    old = _netloc(str(data.get("base_url", "")))
    hosts = [h for h in data.get("allowed_hosts", []) if str(h).lower() != old]
    return {**data, "base_url": base_url, "allowed_hosts": [_netloc(base_url), *hosts]}


# A discriminated union puts its tag into an error's location; the YAML has no such level.
_UNION_TAGS = frozenset(
    kind for model in (TrsIrsSearch, HanwebSearch) for kind in get_args(model.model_fields["kind"].annotation)
)


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc if part not in _UNION_TAGS) or "<root>"


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SpecError(f"{path}: cannot read spec: {exc}") from exc
    if not isinstance(data, dict):
        raise SpecError(f"{path}: a spec must be a mapping at the top level")
    return data


def _merged(defaults: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """`data` over `defaults`, mapping by mapping (a list or value in `data` replaces the default)."""
    out = dict(defaults)
    for key, value in data.items():
        base = out.get(key)
        out[key] = _merged(base, value) if isinstance(base, dict) and isinstance(value, dict) else value
    return out


def with_family_defaults(data: dict[str, Any]) -> dict[str, Any]:
    """The spec mapping over its CMS family's shared values (an unknown family is left to validation)."""
    from scrapers.discovery.family import family_named

    try:
        family = family_named(str(data.get("cms_family")))
    except KeyError:
        return data
    search = data.get("search_api")
    if isinstance(search, dict) and "kind" not in search and family.search_kinds:
        data = {**data, "search_api": {"kind": family.search_kinds[0], **search}}
    return _merged(family.spec_defaults(), data)


def with_contact(data: dict[str, Any], contact: str | None) -> dict[str, Any]:
    """The spec mapping with `contact` in its user agent: for `{contact}`, or for the placeholder address.

    Without a contact `{contact}` becomes the placeholder, which `uses_placeholder_contact` tells.
    """
    http = data.get("http", {})
    if not isinstance(http, dict):
        return data  # validation names the field
    agent = http.get("user_agent", HttpSpec.model_fields["user_agent"].default)
    if not isinstance(agent, str):
        return data
    filled = agent.replace(CONTACT_FIELD, contact or PLACEHOLDER_CONTACT)
    if contact:
        filled = filled.replace(PLACEHOLDER_CONTACT, contact)
    return {**data, "http": {**http, "user_agent": filled}}


def uses_placeholder_contact(spec: PortalSpec) -> bool:
    """True when the user agent still gives the placeholder contact and the portal is not a local one."""
    return PLACEHOLDER_CONTACT in spec.http.user_agent and not is_local_host(urlsplit(spec.base_url).hostname or "")


def is_local_host(host: str) -> bool:
    """localhost or an IP literal outside the public internet (loopback, private, link-local)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return not ipaddress.ip_address(host.strip("[]")).is_global
    except ValueError:
        return False  # a name: a real portal (resolving it here would cost a lookup per load)


def parse_spec(data: dict[str, Any], source: Path, *, contact: str | None = None) -> PortalSpec:
    """Validate a spec mapping, `contact` in its user agent; errors name the file and the first bad field."""
    expected = source.stem
    if data.get("id", expected) != expected:
        raise SpecError(f"{source}: field 'id' is {data.get('id')!r} but the file name says {expected!r}")
    try:
        return PortalSpec.model_validate(with_family_defaults(with_contact({"id": expected, **data}, contact)))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise SpecError(f"{source}: field '{_field_path(first['loc'])}': {first['msg']}") from exc


def load_portal(
    portal_id: str, portals_dir: Path | None = None, *, base_url: str | None = None, contact: str | None = None
) -> PortalSpec:
    """Load `<portals_dir>/<portal_id>.yaml`; `base_url` re-points it (e.g. at the replica), `contact` goes
    into its user agent (`with_contact`)."""
    path = (portals_dir or DEFAULT_PORTALS_DIR) / f"{portal_id}.yaml"
    if not path.is_file():
        raise SpecError(f"{path}: no such portal spec")
    data = _read_yaml(path)
    if base_url is not None:
        data = _rebase(data, base_url.rstrip("/"))
    return parse_spec(data, path, contact=contact)


def spec_paths(portals_dir: Path | None = None) -> list[Path]:
    """The spec files of the directory, sorted by portal id."""
    return sorted((portals_dir or DEFAULT_PORTALS_DIR).glob("*.yaml"), key=lambda p: p.stem)


def load_all(portals_dir: Path | None = None, *, contact: str | None = None) -> list[PortalSpec]:
    """Load every spec in the directory, sorted by id; the first invalid one raises."""
    return [parse_spec(_read_yaml(path), path, contact=contact) for path in spec_paths(portals_dir)]
