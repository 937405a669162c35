"""TRS listing pages with the four pagination variants of portals.md §2.4/§8.

trs0: `createPageHTML(count, cur0, "index", "html")`, page k>0 is index_k.html.
trs6: `createPageHTML('page_div', count, cur1, 'index', 'html', total)`, page 2 is index_2.html.
countpage: `var countPage = N` and links written with document.write (0-based names).
listhtml: list.html, list_1.html, ... with a visible 下一页 link.
"""

from __future__ import annotations

import math
from html import escape

from replica.markup import page
from replica.naming import truncate
from replica.plan import Article, Column, Report


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


def _item(entry: Report | Article, column: Column) -> str:
    href = "./" + entry.link_path.removeprefix(column.path)
    title, day = escape(entry.title), entry.published.date().isoformat()
    text = escape(truncate(entry.title))
    if entry.onclick:
        anchor = f'<a href="javascript:void(0);" onclick="window.open(\'{href}\')" title="{title}">{text}</a>'
    else:
        anchor = f'<a href="{href}" target="_blank" title="{title}">{text}</a>'
    return f"<li>{anchor}<span>{day}</span></li>"


def _pager(column: Column, index: int) -> str:
    count, total = page_count(column), len(column.entries)
    if column.pagination == "trs0":
        return f'<div class="page"><script>createPageHTML({count}, {index}, "index", "html");</script></div>'
    if column.pagination == "trs6":
        call = f"createPageHTML('page_div',{count},{index + 1},'index','html',{total});"
        return f'<div class="page" id="page_div"></div><script>{call}</script>'
    if column.pagination == "countpage":
        return _countpage_pager(count, index)
    return _visible_pager(column, index, count)


def _countpage_pager(count: int, index: int) -> str:
    return (
        '<div class="pages"><script>\n'
        f"var currentPage = {index};//所在页从0开始\nvar countPage = {count}//共多少页\n"
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


def render_listing(column: Column, index: int, crumb_html: str, owner: str) -> str:
    """Page `index` (0-based) of `column`: crumb, items with title attributes, pager."""
    start = index * column.page_size
    items = [_item(e, column) for e in column.entries[start : start + column.page_size]]
    if not items and index == 0:
        items = ["<li>暂无信息</li>"]
    body = f'{crumb_html}\n<div class="xxgk_list"><ul>\n' + "\n".join(items) + f"\n</ul></div>\n{_pager(column, index)}"
    return page(f"{column.name}_{owner}", body, column=column.name)


def render_stub(target: str) -> str:
    """A ~200-byte index page that only redirects with JavaScript."""
    return f'<html><head><meta charset="utf-8"></head><body><script>location.href="{target}";</script></body></html>\n'
