"""Metadata of a report read from its text: title, agency, year, publication date, region.

Each value comes from the most reliable place the text offers (portals.md §5): the
title, then body phrases (现发布《…》, the statistics period), and the caller's Hints
only where the text is silent. Nothing is invented; disagreements become warnings.

The agency, in order: the body's title; the release phrase (现发布《XX2023年…报告》); the
page's own title (an HTML page's ArticleTitle or <title>, which some reports that name
themselves nowhere in the body carry); the running text's first self-reference (XX（以下
简称"我局"）, 2023年，XX管委会认真…), only a name that says where it is (平潭综合实验区管委会,
not 市商务局: a hint from the crawler names it better); the page's publisher (ContentSource).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from formats.dates import date_line
from formats.titles import NOT_A_REPORT, STATISTICS_PERIOD
from parsers.identity import fill_from_hints
from parsers.model import Hints

FRONT_LINES = 8  # the title sits in the first lines, before 一、总体情况
TAIL_LINES = 12  # the signature and date sit in the last lines
MAX_TITLE = 90

_YEAR = r"(?P<year>(?:19|20)\d{2})"
_TITLE_WITH_YEAR = re.compile(
    rf"^(?P<org>.*?){_YEAR}年度?(?P<org2>.*?)政府信息公开.{{0,8}}?报告(?P<variant>[(（][^)）]{{0,6}}[)）])?$"
)
_TITLE_NO_YEAR = re.compile(r"^(?P<org>.*?)政府信息公开.{0,8}?报告(?P<variant>[(（][^)）]{0,6}[)）])?$")
_NOT_A_TITLE = re.compile(NOT_A_REPORT)
_DOC_NUMBER = re.compile(r"^.*?〔\d{4}〕\d+号")
_RELEASE = re.compile(rf"现(?:予)?发布《(?P<org>[^《》]{{2,40}}?)\s*{_YEAR}\s*年")
_PERIOD = re.compile(STATISTICS_PERIOD)
_OPENING = re.compile(rf"^\s*{_YEAR}\s*年度?\s*[，,]")
_REGION = re.compile(r"(?:[\u4e00-\u9fff]{2,9}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|地区|县|区|旗))")
_NOT_PLACE = ("城市", "超市", "社区", "园区", "校区", "景区", "开发区", "示范区", "保护区", "市场", "城区")
# Where the page's own title is (parsers.html.reader.page_meta), and what splits a site name off it.
PAGE_TITLES = ("ArticleTitle", "title")
_TITLE_PARTS = re.compile(r"[_|｜\-－—–]+")
_ORG_END = (
    r"(?:人民政府办公室|人民政府办公厅|人民政府|管理委员会|管委会|委员会|办公室|办公厅|办事处|"
    r"局|委|办|厅|署|院|中心|政府|所|站|队|馆|会|社|处|部|区|县|市|旗|州|镇|乡)"
)
_NAME = rf"(?P<org>[\u4e00-\u9fff]{{2,30}}?{_ORG_END})"
_SELF = r"[“\"「『]?(?:本|我)(?:机关|单位|部门|局|委|办|厅|院|署|会|中心|区|县|市|镇|乡|街道)"
_ALIAS = r"[“\"「『][\u4e00-\u9fff]{1,10}[”\"」』]"
# The running text naming the agency that writes it, each form anchored so a name cannot run on.
_SELF_REFERENCES = (
    re.compile(rf"(?:^|[，,。；;：:])\s*{_NAME}\s*[（(](?:以下)?简称(?:{_SELF}|{_ALIAS})"),  # XX（以下简称"我局"）
    re.compile(rf"{_SELF}[”\"」』]?\s*[（(]{_NAME}[）)]"),  # 本机关（XX）
    re.compile(rf"现(?:将|就|把|予|向社会)?(?:公布|发布)?{_NAME}\s*{_YEAR}\s*年度?"),  # 现将XX2023年…
    # A clause's subject in a line's first sentence: 2023年，（在…下，）XX认真贯彻…
    re.compile(
        rf"^[^。]*?(?:^|[，,])\s*(?:{_YEAR}\s*年度?\s*[，,]\s*)?{_NAME}"
        r"(?:坚持|认真|深入|严格|全面|始终|紧紧|按照|围绕|高度|持续|进一步|扎实|积极|聚焦|不断|切实|以)"
    ),
)
_NOT_A_NAME_START = tuple("我本全各在该此对为将由经按据从")
_NATIONAL = ("国家", "国务院", "中国", "中华人民共和国")


@dataclass
class Metadata:
    """What the text says about the report, plus warnings about doubtful values."""

    title: str | None = None
    agency: str | None = None
    year: int | None = None
    published_on: dt.date | None = None
    region: str | None = None
    warnings: list[str] = field(default_factory=list)


def compact(text: str) -> str:
    """Text without whitespace or markup: Chinese titles need no spaces."""
    return re.sub(r"[\s*#]+", "", text)


def extract_metadata(
    lines: Sequence[str],
    front_end: int,
    overview: Sequence[str] = (),
    hints: Hints | None = None,
    page: Mapping[str, str] | None = None,
) -> Metadata:
    """Metadata from the document's lines; `front_end` is where 一、总体情况 begins; `page` is
    what the format carries besides the body (parsers.document.Document.meta)."""
    meta = Metadata()
    front = [compact(t) for t in lines[: min(front_end, FRONT_LINES) or FRONT_LINES] if compact(t)]
    meta.title, org = find_title(front)
    meta.agency = org or find_agency(lines[:60], overview, page or {})
    meta.year = _year(meta, lines, overview)
    meta.published_on = find_published_on(lines)
    _check_dates(meta)
    fill_from_hints(meta, hints)
    meta.region = region_of(meta.agency) or (hints.region if hints else None)
    return meta


def find_title(front: Sequence[str]) -> tuple[str | None, str | None]:
    """(title, agency printed in it) from the first lines; a title may be split over two
    lines (agency on one, `YYYY年政府信息公开工作年度报告` on the next)."""
    for i, line in enumerate(front):
        joined = line + front[i + 1] if i + 1 < len(front) else None
        if joined and "报告" not in line and len(line) <= 30 and (m := _title_match(joined)):
            return joined, _agency_from_title(m)
        if m := _title_match(line):
            return line, _agency_from_title(m)
    return None, None


def _title_match(text: str) -> re.Match[str] | None:
    if len(text) > MAX_TITLE or _NOT_A_TITLE.search(text):
        return None
    return _TITLE_WITH_YEAR.match(text) or _TITLE_NO_YEAR.match(text)


def _agency_from_title(match: re.Match[str]) -> str | None:
    org = _DOC_NUMBER.sub("", match["org"]).strip("，,:：《》")
    if not org and "org2" in match.groupdict():
        org = match["org2"]
    return org if 2 <= len(org) <= 40 else None


def find_agency(body: Sequence[str], overview: Sequence[str], page: Mapping[str, str]) -> str | None:
    """The agency where the body's title does not name it (the order is the module's)."""
    return (
        find_release_agency("\n".join(body))
        or page_title_agency(page)
        or self_reference(overview) or self_reference(body)
        or _publisher(page)
    )  # fmt: skip


def find_release_agency(body: str) -> str | None:
    """The agency in the phrase 现发布《XX局2023年政府信息公开工作年度报告》."""
    match = _RELEASE.search(body)
    return compact(match["org"]) if match else None


def page_title_agency(page: Mapping[str, str]) -> str | None:
    """The agency a page's own title names (平潭综合实验区2023年政府信息公开工作年度报告_网站名)."""
    for key in PAGE_TITLES:
        for part in _TITLE_PARTS.split(compact(page.get(key, ""))):
            if (match := _title_match(part)) and (org := _agency_from_title(match)):
                return org
    return None


def self_reference(lines: Sequence[str]) -> str | None:
    """The first name the running text gives its author, if it says where it is (see the module)."""
    for line in lines:
        text = compact(line)
        for pattern in _SELF_REFERENCES:
            for match in pattern.finditer(text):
                if _names_itself(match["org"]):
                    return match["org"]
    return None


def _names_itself(name: str) -> bool:
    if name.startswith(_NOT_A_NAME_START) or not 3 <= len(name) <= 40:
        return False
    return name.startswith(_NATIONAL) or region_of(name) is not None


def _publisher(page: Mapping[str, str]) -> str | None:
    name = compact(page.get("ContentSource", ""))
    return name if 2 <= len(name) <= 40 and re.fullmatch(_NAME, name) else None


def title_year(title: str | None) -> int | None:
    match = _TITLE_WITH_YEAR.match(title or "")
    return int(match["year"]) if match else None


def period_year(text: str) -> int | None:
    """The year of the statistics period (统计数据从YYYY年1月1日…, 统计期限自YYYY年…)."""
    match = _PERIOD.search(text)
    return int(match["year"]) if match else None


def _year(meta: Metadata, lines: Sequence[str], overview: Sequence[str]) -> int | None:
    printed = title_year(meta.title)
    period = period_year("\n".join(lines[:80]))
    if printed and period and printed != period:
        meta.warnings.append(f"title year {printed} differs from the statistics period {period}")
    if printed or period:
        return printed or period
    opening = next((m for t in overview[:3] if (m := _OPENING.match(t))), None)
    if opening:
        meta.warnings.append("year read from the opening of 总体情况 (no title year, no statistics period)")
        return int(opening["year"])
    return None


def find_published_on(lines: Sequence[str]) -> dt.date | None:
    """The date standing alone on a line under the signature, in the last lines."""
    for text in reversed([compact(t) for t in lines[-TAIL_LINES:]]):
        if date := date_line(text):
            return date
    return None


def _check_dates(meta: Metadata) -> None:
    if meta.year and meta.published_on and meta.published_on.year <= meta.year:
        meta.warnings.append(f"published_on {meta.published_on} is not after the report year {meta.year}")


def region_of(agency: str | None) -> str | None:
    """The administrative divisions an agency's name starts with (宁波市江北区统计局 ->
    宁波市江北区), or None when the name starts with none."""
    region, pos = "", 0
    while agency and (match := _REGION.match(agency, pos)):
        if match.group(0).endswith(_NOT_PLACE):
            break
        region, pos = region + match.group(0), match.end()
    return region or None
