"""TRS listing pages with the four pagination variants of portals.md §2.4/§8.

trs0: `createPageHTML(count, cur0, "index", "html")`, page k>0 is index_k.html.
trs6: `createPageHTML('page_div', count, cur1, 'index', 'html', total)`, page 2 is index_2.html.
countpage: `var countPage = N` and links written with document.write (0-based names).
listhtml: list.html, list_1.html, ... with a visible 下一页 link.

Each column prints its items in its department's dialect (`Column.dialect`): the
classic `div.xxgk_list` with title attributes, `table.gl_list` rows with the date in a
sibling cell, `ul.list` with `[YYYY年MM月DD日]` before the link, `div.xxgkzd-box`, and
one `div.xxgk_wrap` block per item (`li.w383` title, `li.w100` date); only the classic
and xxgkzd-box print title attributes, the rest print the full title as link text.
Pager variants (`Column.pager_flavour`): an inline createPageHTML definition before the
call (trs0), a stale commented-out call and no currentPage (countpage), and
createPageHTML(n, 0, "list", "html") instead of a visible 下一页 (listhtml).
"""

from __future__ import annotations

import math
from html import escape

from replica.chrome import Chrome, header, padded, related, side
from replica.markup import href, page
from replica.naming import truncate
from replica.plan import Article, Column, Report

_TITLED = ("xxgk_list", "xxgkzd_box")
_DEFINITION = (
    "<script>function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){\n"
    "  if (_nPageCount == null || _nPageCount <= 1) { return; }\n"
    "  var nCurrIndex = _nCurrIndex || 0;\n"
    '  if (nCurrIndex == 0) { document.write("<span>首页</span>"); }\n'
    '  else { document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a>"); }\n'
    "}</script>"
)


def page_count(column: Column) -> int:
    return max(1, math.ceil(len(column.entries) / column.page_size))


def page_name(column: Column, index: int) -> str:
    """File name of the 0-based page `index` of `column`."""
    stem = "list" if column.pagination == "listhtml" else "index"
    if index == 0:
        return f"{stem}.html"
    return f"{stem}_{index + 1}.html" if column.pagination == "trs6" else f"{stem}_{index}.html"


def page_paths(column: Column) -> list[str]:
    return [column.path + page_name(column, i) for i in range(page_count(column))]


def _href(entry: Report | Article, column: Column) -> str:
    """The entry's link in the column's link style (relative, root-relative or absolute)."""
    return href(entry.link_path, column.path, column.link_style)


def _anchor(entry: Report | Article, column: Column) -> str:
    href, title = _href(entry, column), escape(entry.title)
    titled = column.dialect in _TITLED
    text = escape(truncate(entry.title)) if titled else title
    attrs = f' title="{title}"' if titled else ""
    if entry.onclick:
        return f'<a href="javascript:void(0);" onclick="window.open(\'{href}\')"{attrs}>{text}</a>'
    return f'<a href="{href}" target="_blank"{attrs}>{text}</a>'


def _item(entry: Report | Article, column: Column) -> str:
    anchor, day = _anchor(entry, column), entry.listed.date()
    if column.dialect == "gl_table":
        return f'<tr><td class="gl_title">{anchor}</td><td class="gl_date">{day.isoformat()}</td></tr>'
    if column.dialect == "ul_list":
        return f"<li><span>[{day:%Y年%m月%d日}]</span>{anchor}</li>"
    if column.dialect == "xxgkzd_box":
        return f'<li>{anchor}<span class="time">{day.isoformat()}</span></li>'
    if column.dialect == "xxgk_wrap":
        cells = f'<li class="w383">{anchor}</li><li class="w100">{day.isoformat()}</li>'
        return f'<div class="xxgk_wrap"><ul>{cells}</ul></div>'
    return f"<li>{anchor}<span>{day.isoformat()}</span></li>"


def _items_block(column: Column, items: list[str]) -> str:
    """The listing itself in the column's dialect; an empty column says 暂无信息."""
    rows = "\n".join(items)
    if column.dialect == "gl_table":
        empty = '<tr><td colspan="2">暂无信息</td></tr>'
        head = "<tr><th>标题</th><th>发布日期</th></tr>"
        return f'<table class="gl_list" width="100%"><tbody>{head}\n{rows or empty}\n</tbody></table>'
    if column.dialect == "ul_list":
        return f'<ul class="list">\n{rows or "<li>暂无信息</li>"}\n</ul>'
    if column.dialect == "xxgkzd_box":
        return f'<div class="xxgkzd-box"><ul>\n{rows or "<li>暂无信息</li>"}\n</ul></div>'
    if column.dialect == "xxgk_wrap":
        return f'<div class="xxgk_content">\n{rows or "<p>暂无信息</p>"}\n</div>'
    return f'<div class="xxgk_list"><ul>\n{rows or "<li>暂无信息</li>"}\n</ul></div>'


def _pager(column: Column, index: int) -> str:
    count, total = page_count(column), len(column.entries)
    if column.pagination == "trs0":
        call = f'<div class="page"><script>createPageHTML({count}, {index}, "index", "html");</script></div>'
        return _DEFINITION + call if column.pager_flavour == "variant" else call
    if column.pagination == "trs6":
        call = f"createPageHTML('page_div',{count},{index + 1},'index','html',{total});"
        return f'<div class="page" id="page_div"></div><script>{call}</script>'
    if column.pagination == "countpage":
        return _countpage_pager(count, index, stale=column.pager_flavour == "variant")
    if column.pager_flavour == "variant":
        return f'<div class="page"><script>createPageHTML({count}, {index}, "list", "html");</script></div>'
    return _visible_pager(column, index, count)


def _countpage_pager(count: int, index: int, *, stale: bool) -> str:
    """`var countPage`; the stale variant keeps an old commented call and states no currentPage."""
    state = (
        f'//createPageHTML({count + 7}, 0, "index", "html");\n/* var countPage = {count + 3}; */\n'
        if stale
        else f"var currentPage = {index};//所在页从0开始\n"
    )
    return (
        '<div class="pages"><script>\n'
        f"{state}var countPage = {count}//共多少页\n"
        "for (var i = 0; i < countPage; i++) {\n"
        '  if (i == 0) { document.write("<a href=\\"index.html\\">1</a> "); }\n'
        '  else { document.write("<a href=\\"index_" + i + ".html\\">" + (i + 1) + "</a> "); }\n'
        "}\n</script></div>"
    )


def _visible_pager(column: Column, index: int, count: int) -> str:
    parts = [f'<div class="zm-page"><span>共{count}页</span></div><div class="pages">']
    parts.append(f'<a href="{page_name(column, 0)}">首页</a>')
    if index > 0:
        parts.append(f'<a href="{page_name(column, index - 1)}">上一页</a>')
    parts.append(f"<strong>{index + 1}</strong>")
    if index + 1 < count:
        parts.append(f'<a href="{page_name(column, index + 1)}">下一页</a>')
    parts.append(f'<a href="{page_name(column, count - 1)}">尾页</a></div>')
    return " ".join(parts)


def render_listing(column: Column, index: int, crumb_html: str, owner: str, chrome: Chrome | None = None) -> str:
    """Page `index` (0-based) of `column`: chrome, crumb, items in the column's dialect, pager."""
    start = index * column.page_size
    items = [_item(e, column) for e in column.entries[start : start + column.page_size]]
    listing = f'<div class="right">\n{_items_block(column, items)}\n{_pager(column, index)}\n</div>'
    if chrome is None:
        return page(f"{column.name}_{owner}", f"{crumb_html}\n{listing}", column=column.name)
    body = f'{header(chrome)}\n{crumb_html}\n<div class="main">{listing}\n{side(chrome)}</div>\n{related(chrome)}'
    return page(f"{column.name}_{owner}", padded(body, chrome.size), column=column.name)


def render_stub(target: str) -> str:
    """A ~200-byte index page that only redirects with JavaScript."""
    return f'<html><head><meta charset="utf-8"></head><body><script>location.href="{target}";</script></body></html>\n'
