"""The TRS IRS search endpoint (`POST /irs/front/search`) over the site's titles.

Answers the Ningxia shape of portals.md §2.1: `data.middle.list[]` items with `title`
(matches wrapped in <em>), `title_no_tag`, `time`, `url` (absolute, on the request's
Host), `source`; and `data.pager`. Like Haikou's IRS it refuses a request without
`orderBy`/`searchBy`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Final

from replica.planner import SitePlan

_CST: Final = dt.timezone(dt.timedelta(hours=8))
_MAX_PAGE_SIZE: Final = 50


@dataclass(frozen=True)
class Indexed:
    """A searchable document: what the IRS index knows about one published item."""

    title: str
    published: dt.datetime
    path: str
    source: str


def build_index(plan: SitePlan) -> list[Indexed]:
    """Reports (article or, for PDF-only items, the PDF) and every other article, newest first."""
    docs = [Indexed(r.title, r.published, r.link_path, r.agency) for r in plan.reports]
    docs += [Indexed(a.title, a.published, a.path, a.source) for a in plan.articles]
    return sorted(docs, key=lambda d: (d.published, d.path), reverse=True)


def _error(message: str) -> dict[str, Any]:
    return {"code": 500, "msg": message, "data": None}


def _window(body: dict[str, Any]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """beginDateTime/endDateTime in epoch milliseconds ('' for open) as local portal times."""

    def convert(raw: object) -> dt.datetime | None:
        if raw in (None, ""):
            return None
        if not isinstance(raw, int | float | str):
            raise TypeError(f"epoch milliseconds expected, not {type(raw).__name__}")
        stamp = dt.datetime.fromtimestamp(int(raw) / 1000, tz=_CST)
        return stamp.replace(tzinfo=None)

    return convert(body.get("beginDateTime")), convert(body.get("endDateTime"))


def _highlight(title: str, words: list[str]) -> str:
    for word in words:
        title = title.replace(word, f"<em>{word}</em>", 1)
    return title


def _matches(
    doc: Indexed, words: list[str], search_by: str, begin: dt.datetime | None, end: dt.datetime | None
) -> bool:
    text = doc.title if search_by == "title" else doc.title + doc.source
    in_window = (begin is None or doc.published >= begin) and (end is None or doc.published <= end)
    return in_window and all(w in text for w in words)


def _int(value: object, default: int) -> int:
    """A JSON field as an int: a number or a numeric string; anything else is `default`."""
    if not isinstance(value, int | float | str):
        return default
    try:
        return int(value)
    except ValueError:
        return default


def _item(doc: Indexed, words: list[str], host: str) -> dict[str, str]:
    return {
        "title": _highlight(doc.title, words),
        "title_no_tag": doc.title,
        "time": doc.published.strftime("%Y-%m-%d %H:%M:%S"),
        "url": f"http://{host}{doc.path}",
        "source": doc.source,
    }


def search(index: list[Indexed], body: dict[str, Any], host: str) -> dict[str, Any]:
    """The JSON answer to one search request `body`, with URLs on `http://<host>`."""
    if not body.get("orderBy") or not body.get("searchBy"):
        return _error("排序方式不能为空")
    try:
        begin, end = _window(body)
    except (TypeError, ValueError, OverflowError):
        return _error("时间格式错误")
    words = str(body.get("searchWord", "")).split()
    hits = [d for d in index if _matches(d, words, str(body["searchBy"]), begin, end)]
    size = min(max(_int(body.get("pageSize"), 10), 1), _MAX_PAGE_SIZE)
    page = max(_int(body.get("pageNo"), 1), 1)
    chosen = hits[(page - 1) * size : page * size]
    items = [_item(d, words, host) for d in chosen]
    pager = {"pageNo": page, "pageSize": size, "pageCount": math.ceil(len(hits) / size), "total": len(hits)}
    return {"code": 200, "msg": "success", "data": {"middle": {"list": items}, "pager": pager}}
