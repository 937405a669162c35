"""jpage listings: the column page's `<script type="text/xml"><datastore>` and the dataproxy answers.

A record is one item's HTML in a CDATA section, in the column's record dialect:
`li_span` (`<li><a href title>full title</a><span>2026-01-20</span></li>`), `li_titled` (link text
cut with …, full title in the title attribute, `<span class="bt-data-time">[2026-01-20]</span>`),
`table_row` (`<tr><td class="bt-title"><a>…</a></td><td class="bt-date">2026年01月20日</td></tr>`).
The column page carries the first group of records (or only the first page), and a jpage init
with `totalRecord`, `perPage`, `groupSize` and `proxyUrl`; the ids travel in a `var param_<unitid>`
object, an `ajaxParam` literal, or only in the `nextgroup` link, by the column's param style.
"""

from __future__ import annotations

import json
import math
from html import escape
from urllib.parse import quote

from replica.hanweb.layout import HanwebColumn
from replica.naming import truncate
from replica.plan import Article, Report

_WRAPPERS = {
    "li_span": ('<ul class="bt-list">', "</ul>"),
    "li_titled": ('<ul class="list-ul">', "</ul>"),
    "table_row": ('<table class="bt-table" width="100%">', "</table>"),
}


def record(entry: Report | Article, column: HanwebColumn) -> str:
    """One item as the column's record template prints it (the text inside CDATA)."""
    href, title, day = escape(entry.link_path), escape(entry.title), entry.listed.date()
    if column.record_dialect == "li_titled":
        text = escape(truncate(entry.title, 20))
        anchor = f'<a href="{href}" title="{title}" target="_blank">{text}</a>'
        return f'<li>{anchor}<span class="bt-data-time">[{day.isoformat()}]</span></li>'
    if column.record_dialect == "table_row":
        anchor = f'<a href="{href}" target="_blank">{title}</a>'
        return f'<tr><td class="bt-title">{anchor}</td><td class="bt-date">{day:%Y年%m月%d日}</td></tr>'
    return f'<li><a href="{href}" target="_blank" title="{title}">{title}</a><span>{day.isoformat()}</span></li>'


def ajax_param(column: HanwebColumn) -> dict[str, object]:
    """The form fields the jpage script posts to the dataproxy, in its order."""
    return {
        "col": 1,
        "appid": 1,
        "webid": column.web_id,
        "path": "/",
        "columnid": column.column_id,
        "sourceContentType": 1,
        "unitid": column.unit_id,
        "webname": column.webname,
        "permissiontype": 0,
    }


def nextgroup_link(column: HanwebColumn, proxy: str) -> str:
    """The dataproxy URL with the column's ids that `nextgroup` carries (jpage appends the record range)."""
    fields = ajax_param(column)
    query = "&".join(f"{k}={quote(str(v), safe='/')}" for k, v in fields.items() if k != "sourceContentType")
    return f"{proxy}?page=1&{query}"


def datastore(column: HanwebColumn, proxy: str, start: int, end: int, *, totals: bool) -> str:
    """`<datastore>` with records start..end (1-based, inclusive); dataproxy answers add the totals."""
    chosen = column.entries[start - 1 : end]
    records = "\n".join(f"<record><![CDATA[\n{record(e, column)}\n]]></record>" for e in chosen)
    # Printed raw, as jcms prints it: the link's & are not escaped inside the CDATA.
    head = f'<nextgroup><![CDATA[\n<a href="{nextgroup_link(column, proxy)}"></a>\n]]></nextgroup>'
    count = ""
    if totals:
        pages = math.ceil(len(column.entries) / column.per_page)
        count = f"<totalrecord>{len(column.entries)}</totalrecord><totalpage>{pages}</totalpage>\n"
    return f"<datastore>\n{count}{head}\n<recordset>\n{records}\n</recordset>\n</datastore>"


def _param_script(column: HanwebColumn) -> tuple[str, str]:
    """The script that names the ids before the jpage init, and what the init's ajaxParam says."""
    fields = json.dumps(ajax_param(column), ensure_ascii=False, separators=(",", ":"))
    if column.param_style == "param_script":
        return f'<script type="text/javascript">var param_{column.unit_id} = {fields};</script>\n', (
            f"ajaxParam: param_{column.unit_id},"
        )
    if column.param_style == "ajax_param":
        return "", f"ajaxParam: {fields},"
    return "", ""


def jpage_block(column: HanwebColumn, proxy: str, number: int = 1) -> str:
    """The listing unit of column page `number`: the datastore script, the ids, and the jpage init."""
    unit = column.unit_id
    store = datastore(column, proxy, *column.page_records(number), totals=False)
    before, after = _WRAPPERS[column.record_dialect]
    params, ajax = _param_script(column)
    init = (
        '<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>\n'
        f'{params}<script type="text/javascript">\n$(document).ready(function(){{\n'
        f"  $('#{unit}').jpage({{\n"
        f"    dataBefore: '{before}', dataAfter: '{after}',\n"
        f"    proxyUrl: '{proxy}', {ajax}\n"
        f"    perPage:{column.per_page},totalRecord:{len(column.entries)},groupSize:{column.group_size},\n"
        "    barPosition: 'bottom', pageBarTemplate: '共{totalRecord}条 {first}{prev}{next}{last}'\n"
        "  });\n});\n</script>"
    )
    empty = "" if column.entries else '<p class="bt-none">暂无信息</p>'
    return f'<div id="{unit}"><script type="text/xml">{store}</script></div>{empty}\n{init}'


def dataproxy_xml(column: HanwebColumn, proxy: str, start: int, end: int) -> bytes:
    """The dataproxy answer for records start..end of `column`."""
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + datastore(column, proxy, start, end, totals=True) + "\n"
    return body.encode("utf-8")
