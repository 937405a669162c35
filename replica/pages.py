"""Navigation pages: home, 政务公开, the two catalogues, department homes, search page."""

from __future__ import annotations

from itertools import groupby
from typing import Final

from replica.markup import SITE_NAME, crumb, link, link_list, page
from replica.plan import Column, Department

IRS_CODE: Final = "17ccab70a79"
IRS_TENANT: Final = "167"
SEARCH_PAGE: Final = f"/nxsearch/search.html?code={IRS_CODE}&tenantId={IRS_TENANT}"
ZWGK_TRAIL: Final = [("/", "首页"), ("/zwgk/", "政府信息公开")]


def home() -> str:
    nav = link_list("nav", [("/", "首页"), ("/zwgk/", "政务公开"), (SEARCH_PAGE, "站内搜索")])
    news = '<div class="news"><h3>中卫要闻</h3><p>市政府召开常务会议，研究部署近期重点工作。</p></div>'
    return page("首页", f"{nav}\n{news}")


def zwgk() -> str:
    links = [
        ("./zfxxgkml/index.html", "政府信息公开目录"),
        ("./bmxxgkml/index.html", "部门信息公开目录"),
        ("./zfxxgkml/zfxxgknb/index.html", "政府信息公开年报"),
    ]
    return page("政府信息公开", crumb([("/", "首页"), (None, "政府信息公开")]) + "\n" + link_list("zwgk-nav", links))


def government_catalogue() -> str:
    """政府信息公开目录: only the 年报 column links anywhere; the rest is plain text."""
    body = (
        crumb([*ZWGK_TRAIL, (None, "政府信息公开目录")])
        + "\n"
        + link_list("xxgk-nav", [("./zfxxgknb/", "政府信息公开年报")])
    )
    body += '\n<div class="xxgk-text"><p>重大项目建设</p><p>财政预决算</p><p>政策解读</p></div>'
    return page("政府信息公开目录", body)


def department_catalogue(departments: list[Department]) -> str:
    """部门信息公开目录: departments grouped as the portal groups them."""
    blocks = []
    for group, members in groupby(departments, key=lambda d: d.group):
        links = [(f"./{d.slug}/" if d.root_relative_links else f"./{d.slug}/index.html", d.name) for d in members]
        blocks.append(f"<h3>{group}</h3>\n" + link_list("bm-list", links))
    return page("部门信息公开目录", crumb([*ZWGK_TRAIL, (None, "部门信息公开目录")]) + "\n" + "\n".join(blocks))


def _column_href(dept: Department, column: Column) -> str:
    return column.entry if dept.root_relative_links else "./" + column.entry.removeprefix(dept.home)


def department_home(dept: Department) -> str:
    """A department's home: links to its five columns, 年报 in fourth place."""
    columns = [*dept.other_columns[:3], dept.report_column, dept.other_columns[3]]
    trail = [*ZWGK_TRAIL, ("/zwgk/bmxxgkml/", "部门信息公开"), (None, dept.name)]
    nav = link_list("dept-nav", [(_column_href(dept, c), c.name) for c in columns])
    return page(dept.name, crumb(trail) + f"\n<h2>{dept.name}</h2>\n" + nav)


def listing_trail(dept: Department | None, column: Column) -> str:
    if dept is None:
        return crumb([*ZWGK_TRAIL, ("/zwgk/zfxxgkml/", "政府信息公开目录"), (None, column.name)])
    return crumb([*ZWGK_TRAIL, ("/zwgk/bmxxgkml/", "部门信息公开"), (dept.home, dept.name), (None, column.name)])


def search_page() -> str:
    """The IRS search page; its script names the endpoint and tenant like the real one."""
    script = (
        f"<script>var irsConfig = {{url: '/irs/front/search', code: '{IRS_CODE}', tenantId: '{IRS_TENANT}', "
        "configTenantId: '19', dataTypeId: 4};</script>"
    )
    form = '<form id="search"><input name="searchWord"><button type="submit">搜索</button></form>'
    return page("站内搜索", f"{crumb([('/', '首页'), (None, '站内搜索')])}\n{form}\n{script}")


def not_found() -> str:
    return page(
        "页面不存在",
        f'<div class="error"><p>404 您访问的页面不存在。</p>{link("/", "返回" + SITE_NAME + "首页")}</div>',
    )


def robots_txt(disallow: list[str]) -> str:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallow)]
    return "\n".join(lines) + "\n"
