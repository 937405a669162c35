"""Navigation and column pages of the Hanweb site: home, 政府信息公开, 部门信息公开, department
homes, listing columns, and the 404 page. Every page is a `/col/col<ID>/index.html` but the home.
"""

from __future__ import annotations

from html import escape

from replica.hanweb.layout import WEBSITE_ID, HanwebColumn, HanwebDepartment, Layout
from replica.hanweb.listing import jpage_block
from replica.hanweb.shell import crumb, page, related

Nav = tuple[tuple[str, str], ...]
Decoys = tuple[tuple[str, str, str], ...]


def site_nav(layout: Layout) -> Nav:
    zwgk = f"/col/col{layout.zwgk_id}/index.html"
    search = f"/jsearchfront/search.do?websiteid={WEBSITE_ID}&searchid=12&tpl=38"
    return (("/index.html", "首页"), (zwgk, "政务公开"), (search, "站内搜索"))


def home(layout: Layout, decoys: Decoys) -> str:
    news = '<div class="bt-news"><h3>中卫要闻</h3><p>市政府召开常务会议，研究部署近期重点工作。</p></div>'
    return page("首页", f"{news}\n{related(decoys)}", nav=site_nav(layout))


def _links(css: str, links: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{escape(h)}" target="_blank">{escape(t)}</a></li>' for h, t in links)
    return f'<div class="{css}"><ul>{items}</ul></div>'


def zwgk(layout: Layout) -> str:
    """政府信息公开: the city's 年报 column and the department catalogue; the rest is plain text."""
    links = [(layout.city.path, layout.city.name), (f"/col/col{layout.catalogue_id}/index.html", "部门信息公开")]
    text = '<div class="xxgk-text"><p>政府信息公开指南</p><p>政府信息公开制度</p><p>法定主动公开内容</p></div>'
    trail = crumb([("/index.html", "首页"), (None, "政府信息公开")])
    return page("政府信息公开", f"{trail}\n{_links('xxgk-nav', links)}\n{text}", nav=site_nav(layout))


def catalogue(layout: Layout) -> str:
    """部门信息公开: each department's 信息公开 home, grouped as the TRS site groups them."""
    blocks, group = [], None
    for hdept in layout.departments:
        if hdept.department.group != group:
            group = hdept.department.group
            blocks.append(f"<h3>{escape(group)}</h3>")
        blocks.append(_links("bm-list", [(hdept.home, hdept.department.name)]))
    trail = crumb([("/index.html", "首页"), (f"/col/col{layout.zwgk_id}/index.html", "政府信息公开"),
                   (None, "部门信息公开")])  # fmt: skip
    return page("部门信息公开", trail + "\n" + "\n".join(blocks), nav=site_nav(layout))


def _head_trail(layout: Layout) -> list[tuple[str | None, str]]:
    return [("/index.html", "首页"), (f"/col/col{layout.zwgk_id}/index.html", "政府信息公开")]


def department_home(layout: Layout, hdept: HanwebDepartment) -> str:
    """A department's home: its five columns, 年报 in fourth place."""
    trail = [*_head_trail(layout), (f"/col/col{layout.catalogue_id}/index.html", "部门信息公开"),
             (None, hdept.department.name)]  # fmt: skip
    nav = _links("dept-nav", [(c.path, c.name) for c in hdept.columns])
    body = f"{crumb(trail)}\n<h2>{escape(hdept.department.name)}</h2>\n{nav}"
    return page(hdept.department.name, body, nav=site_nav(layout))


def column_page(layout: Layout, column: HanwebColumn, decoys: Decoys, number: int = 1) -> str:
    """Page `number` of a listing column: crumb, the department's column menu, the jpage unit, 相关信息 decoys."""
    hdept = layout.owner(column)
    trail = _head_trail(layout)
    if hdept is not None:
        trail += [(f"/col/col{layout.catalogue_id}/index.html", "部门信息公开"), (hdept.home, hdept.department.name)]
    menu = _links("bt-left-menu", [(c.path, c.name) for c in (hdept.columns if hdept else [column])])
    listing = f'<div class="bt-right"><div class="bt-col-title">{escape(column.name)}</div>\n'
    listing += f"{jpage_block(column, layout.dataproxy, number)}\n</div>"
    body = f'{crumb([*trail, (None, column.name)])}\n<div class="bt-main">{menu}\n{listing}</div>\n{related(decoys)}'
    owner = hdept.department.name if hdept else "政府信息公开"
    return page(f"{column.name} {owner}", body, nav=site_nav(layout), column=column.name)


def not_found(layout: Layout) -> str:
    body = '<div class="bt-error"><p>对不起，您访问的页面不存在或已被删除。</p><a href="/index.html">返回首页</a></div>'
    return page("页面不存在", body, nav=site_nav(layout))
