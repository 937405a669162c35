"""What a site's own pages say about it, for a draft spec (`probe`): name, region, search, departments.

Pure readers of fetched pages, no requests. Each returns None when the pages do not say,
so the draft marks the field for a person instead of guessing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from scrapers.discovery.links import absolute, element_target
from scrapers.discovery.pages import Page

Level = Literal["province", "prefecture", "county", "district"]
_TITLE_SEPARATORS = re.compile(r"\s*[_|｜\-－—]\s*|\s+")
# 政府网站标识码 (GB/T 国家政府网站标识码): ten digits, the first six the administrative division code.
_SITE_CODE_TEXT = re.compile(r"(?:网站标识码|网站识别码)\s*[:：]?\s*(\d{10})")
_SITE_CODE_META = ("SiteIDCode", "SiteIdCode")
_INDEX_FILE = re.compile(r"^index\.s?html?$")
_DEPT_SEGMENT = re.compile(r"^[a-z0-9]+(?:_\d+)?$")
HANWEB_SEARCH_ENDPOINT = "/jsearchfront/interfaces/cateSearch.do"


@dataclass(frozen=True)
class Region:
    code: str
    level: Level
    source: str  # where it was read, for the draft's comment


def site_name(page: Page) -> str | None:
    """The site's name: meta SiteName, else the <title> part naming a government or department."""
    meta = page.soup.find("meta", attrs={"name": re.compile(r"^SiteName$", re.I)})
    if meta is not None and str(meta.get("content") or "").strip():
        return str(meta["content"]).strip()
    title = page.soup.title.get_text(strip=True) if page.soup.title else ""
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p and p not in ("首页", "主页", "门户网站")]
    named = [p for p in parts if p.endswith(("政府", "人民政府", "委员会", "局", "厅"))]
    return (named or parts or [None])[-1]


def region(pages: Iterable[Page]) -> Region | None:
    """The region code and level from the site's identification code (meta SiteIDCode or the footer's 网站标识码)."""
    for page in pages:
        for name in _SITE_CODE_META:
            meta = page.soup.find("meta", attrs={"name": name})
            if meta is not None and re.fullmatch(r"\d{10}", str(meta.get("content") or "")):
                return _region(str(meta["content"]), f"meta {name}")
        if match := _SITE_CODE_TEXT.search(page.soup.get_text(" ")):
            return _region(match.group(1), "the footer's 网站标识码")
    return None


def _region(site_code: str, where: str) -> Region:
    code = site_code[:6]
    level: Level = "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"
    return Region(code, level, f"{where} {site_code}")


def search_api(pages: Iterable[Page], family: str) -> tuple[dict[str, Any] | None, str | None]:
    """(the search_api mapping the pages' search links or forms show, or None; where it was seen)."""
    for page in pages:
        for url in _link_and_form_urls(page):
            if found := _search_of(url, family):
                return found, url
    return None, None


def _search_of(url: str, family: str) -> dict[str, Any] | None:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    if family == "trs_wcm" and query.get("tenantId", "").isdigit():
        return {"kind": "trs_irs", "endpoint": "/irs/front/search", "tenant_id": query["tenantId"]}
    if family != "hanweb_jcms":
        return None
    if "/jsearchfront/" in parts.path and query.get("websiteid"):
        params: dict[str, str] = {k: query[k] for k in ("websiteid", "searchid", "tpl") if k in query}
        return {"kind": "hanweb_jsearchfront", "endpoint": HANWEB_SEARCH_ENDPOINT, "params": {**params, "pos": "title"}}
    if "/jrobot/" in parts.path:
        # jrobot's result page is a GET of the form's own action with the site's ids (Gansu's webid).
        params = {k: v for k, v in query.items() if k not in ("q", "p", "pg")}
        return {"kind": "hanweb_jrobot", "endpoint": parts.path, "method": "get", "params": params}
    return None


def _link_and_form_urls(page: Page) -> list[str]:
    """Link targets, and GET forms as the URL their hidden fields would make."""
    found = [u for a in page.soup.select("a[href]") if (u := element_target(a, page.url, use_onclick=False))]
    for form in page.soup.select("form[action]"):
        action = absolute(page.url, str(form["action"]))
        fields = [
            f"{i.get('name')}={i.get('value') or ''}" for i in form.select("input[type=hidden][name]") if i.get("name")
        ]
        if action:
            found.append(action + ("?" + "&".join(fields) if fields else ""))
    return found


def department_pattern(page: Page, skip_texts: Iterable[str], is_article_url: Callable[[str], bool]) -> str | None:
    """A regex for the department homes a department-catalogue page links (the paths most of its links share).

    Segments all links share stay literal; the varying one becomes `col\\d+`, `\\d+` or a
    department code (`abc` or `abc_123`). None when fewer than two links share a shape.
    """
    skip = set(skip_texts)
    host = urlsplit(page.url).netloc
    shapes: dict[int, list[list[str]]] = {}
    for anchor in page.soup.select("a[href]"):
        url = element_target(anchor, page.url, use_onclick=False)
        if url is None or urlsplit(url).netloc != host or anchor.get_text(strip=True) in skip or is_article_url(url):
            continue
        segments = _directory_segments(urlsplit(url).path)
        if segments:
            shapes.setdefault(len(segments), []).append(segments)
    if not shapes:
        return None
    group = max(shapes.values(), key=len)
    if len(group) < 2:
        return None
    pattern = "/".join(_generalise([s[i] for s in group]) for i in range(len(group[0])))
    return f"^/{pattern}/(?:index\\.s?html?)?$"


def _directory_segments(path: str) -> list[str] | None:
    """The directory segments of a page path (`/a/b/` or `/a/b/index.html`); None for other files."""
    segments = path.split("/")[1:]
    if segments and _INDEX_FILE.match(segments[-1]):
        segments[-1] = ""
    if not segments or segments[-1] != "" or len(segments) < 2:
        return None
    return segments[:-1]


def _generalise(values: list[str]) -> str:
    distinct = Counter(values)
    if len(distinct) == 1:
        return re.escape(values[0])
    if all(re.fullmatch(r"col\d+", v) for v in values):
        return r"col\d+"
    if all(v.isdigit() for v in values):
        return r"\d+"
    if all(_DEPT_SEGMENT.match(v) for v in values):
        return r"[a-z0-9]+(?:_\d+)?"
    return r"[^/]+"
