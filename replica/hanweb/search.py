"""Hanweb site search: `jsearchfront` (Jiangsu/Zhejiang) and `jrobot` (Gansu) over the site's titles.

jsearchfront: `/jsearchfront/search.do` answers an HTML results page, `/jsearchfront/interfaces/
cateSearch.do` JSON (`{"result": [<html of one hit>, …], "total": N, …}`); fields `websiteid` (must
be the site's), `q`, `p` (page, from 1), `pg` (page size), `pos` (`title` or all), `begin`/`end`
(YYYYMMDD). jrobot: `/jrobot/search.do` with `webid`, `q`, `p`, `pg`, `pos`, answering HTML with
`div.jsearch-result-box` items. Hit URLs are absolute on the request's Host; the search-only
report is in the index though no listing links it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from html import escape
from typing import Final

from replica.hanweb.layout import MAIN_WEBID, WEBSITE_ID
from replica.irs import Indexed
from replica.site import EndpointAnswer, EndpointRequest

_MAX_PAGE_SIZE: Final = 50
_HTML: Final = "text/html;charset=UTF-8"
_JSON: Final = "application/json;charset=UTF-8"


@dataclass(frozen=True)
class Query:
    words: list[str]
    page: int
    size: int
    title_only: bool
    begin: dt.date | None
    end: dt.date | None


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


def _day(raw: str | None) -> dt.date | None:
    """YYYYMMDD or YYYY-MM-DD; '' is open; anything else raises ValueError."""
    if not raw:
        return None
    return dt.date.fromisoformat(raw if "-" in raw else f"{raw[:4]}-{raw[4:6]}-{raw[6:8]}")


def _query(params: dict[str, str]) -> Query:
    size = min(max(_int(params.get("pg"), 10), 1), _MAX_PAGE_SIZE)
    return Query(
        words=params.get("q", "").split(),
        page=max(_int(params.get("p"), 1), 1),
        size=size,
        title_only=params.get("pos", "") == "title",
        begin=_day(params.get("begin")),
        end=_day(params.get("end")),
    )


def _hits(index: list[Indexed], query: Query) -> list[Indexed]:
    def matches(doc: Indexed) -> bool:
        text = doc.title if query.title_only else doc.title + doc.source
        day = doc.published.date()
        in_window = (query.begin is None or day >= query.begin) and (query.end is None or day <= query.end)
        return in_window and bool(query.words) and all(w in text for w in query.words)

    return [d for d in index if matches(d)]


def _highlight(title: str, words: list[str]) -> str:
    text = escape(title)
    for word in words:
        text = text.replace(escape(word), f"<em>{escape(word)}</em>", 1)
    return text


def _jsf_item(doc: Indexed, words: list[str], host: str) -> str:
    url = escape(f"http://{host}{doc.path}")
    return (
        '<div class="jcse-news-list">'
        f'<div class="jcse-news-title"><a href="{url}" target="_blank">{_highlight(doc.title, words)}</a></div>'
        f'<div class="jcse-news-abs">{escape(doc.source)}</div>'
        f'<div class="jcse-news-url"><a href="{url}">{url}</a><span class="jcse-news-date">'
        f"{doc.published:%Y-%m-%d}</span></div></div>"
    )


def _error_page(message: str) -> EndpointAnswer:
    body = f'<html><head><meta charset="utf-8"><title>提示</title></head><body><p class="error">{message}</p>'
    body += "</body></html>"
    return 400, [("Content-Type", _HTML)], body.encode()


def _page(index: list[Indexed], request: EndpointRequest) -> tuple[Query, list[Indexed], list[Indexed]] | str:
    """(query, all hits, this page's hits), or the message refusing the request."""
    try:
        query = _query(request.params)
    except ValueError:
        return "日期格式错误"
    hits = _hits(index, query)
    return query, hits, hits[(query.page - 1) * query.size : query.page * query.size]


def jsearchfront(index: list[Indexed], request: EndpointRequest, *, as_json: bool) -> EndpointAnswer:
    """search.do (HTML) or interfaces/cateSearch.do (JSON); a foreign or missing websiteid is refused."""
    if request.params.get("websiteid") != WEBSITE_ID:
        return _error_page("参数错误：websiteid")
    found = _page(index, request)
    if isinstance(found, str):
        return _error_page(found)
    query, hits, chosen = found
    items = [_jsf_item(d, query.words, request.host) for d in chosen]
    pages = math.ceil(len(hits) / query.size)
    if as_json:
        answer = {"result": items, "total": len(hits), "totalpage": pages, "page": query.page, "pg": query.size}
        return 200, [("Content-Type", _JSON)], json.dumps(answer, ensure_ascii=False).encode()
    body = (
        f'<div id="jcse-result"><div class="jcse-result-count">找到相关结果约<span id="jcse-total">{len(hits)}</span>条'
        f'</div>\n{"".join(items)}\n<div class="jcse-page">第{query.page}页/共{pages}页</div></div>'
    )
    html = f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>搜索结果</title></head><body>{body}</body></html>'
    return 200, [("Content-Type", _HTML)], html.encode()


def jrobot(index: list[Indexed], request: EndpointRequest) -> EndpointAnswer:
    """jrobot/search.do: HTML with one div.jsearch-result-box per hit and the total in #jsearch-info-box."""
    if request.params.get("webid") != str(MAIN_WEBID):
        return _error_page("参数错误：webid")
    found = _page(index, request)
    if isinstance(found, str):
        return _error_page(found)
    query, hits, chosen = found
    boxes = "".join(
        '<div class="jsearch-result-box">'
        f'<div class="jsearch-result-title"><a href="{escape(f"http://{request.host}{d.path}")}" target="_blank">'
        f"{_highlight(d.title, query.words)}</a></div>"
        f'<div class="jsearch-result-abs">{escape(d.source)}</div>'
        f'<span class="jsearch-result-date">{d.published:%Y-%m-%d}</span></div>'
        for d in chosen
    )
    info = f'<div id="jsearch-info-box" data-total="{len(hits)}">共找到<span>{len(hits)}</span>条结果</div>'
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>站内搜索</title></head><body>'
        f'{info}<div id="jsearch-result-items">{boxes}</div></body></html>'
    )
    return 200, [("Content-Type", _HTML)], html.encode()
