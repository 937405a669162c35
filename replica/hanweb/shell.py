"""The page shell of the Hanweb site: head metas and scripts, header with search box, nav, footer.

Hanweb jcms pages load jQuery and their modules from `/module/jslib/`, print the national
政府网站 metas, a header whose search form posts to `jsearchfront`, and a footer with the
site's identification code. `related` prints a 相关信息 list of dated article links: decoys a
crawler must not take for a column's records.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Final

from replica.hanweb.layout import SITE_NAME, WEBSITE_ID

SITE_DOMAIN: Final = "www.nxzw.gov.cn"
SEARCH: Final = "/jsearchfront/search.do"
_SCRIPTS: Final = (
    '<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>\n'
    '<script type="text/javascript" src="/module/jslib/urite/urite.min.js"></script>'
)


def link(href: str, text: str, title: str | None = None) -> str:
    attr = f' title="{escape(title)}"' if title else ""
    return f'<a href="{escape(href)}"{attr} target="_blank">{escape(text)}</a>'


def _header(nav: Sequence[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in nav)
    form = (
        f'<form id="searchform" action="{SEARCH}" method="get" target="_blank">'
        f'<input type="hidden" name="websiteid" value="{WEBSITE_ID}"><input type="hidden" name="searchid" value="12">'
        '<input type="hidden" name="tpl" value="38"><input type="hidden" name="p" value="1">'
        '<input type="text" name="q" placeholder="请输入关键词"><button type="submit">搜索</button></form>'
    )
    return (
        f'<div class="bt-head"><div class="logo"><a href="/index.html">{SITE_NAME}</a></div>'
        f'<div class="bt-tools"><a href="javascript:;" id="wza">无障碍</a> <a href="javascript:;">长者模式</a></div>'
        f'{form}</div>\n<div class="bt-nav"><ul>{items}</ul></div>'
    )


def crumb(trail: Sequence[tuple[str | None, str]], css: str = "bt-position") -> str:
    steps = (f'<a href="{escape(h)}">{escape(t)}</a>' if h else f"<span>{escape(t)}</span>" for h, t in trail)
    return f'<div class="{css}">当前位置：' + " &gt; ".join(steps) + "</div>"


def related(decoys: Sequence[tuple[str, str, str]]) -> str:
    """相关信息: (path, title, YYYY-MM-DD) of other columns' newest entries."""
    rows = "".join(f"<li>{link(p, t)}<span>{d}</span></li>" for p, t, d in decoys)
    return f'<div class="bt-related"><h3>相关信息</h3><ul>{rows}</ul></div>'


_FOOT: Final = (
    '<div class="bt-foot"><p>主办单位：中卫市人民政府办公室　承办单位：中卫市大数据服务中心</p>'
    "<p>网站标识码：6405000001　宁ICP备00000000号-1　宁公网安备 64050202000000号</p>"
    "<p>建议使用1280×768以上分辨率浏览本网站　本网站支持IPv6访问</p></div>"
)


def page(title: str, body: str, *, nav: Sequence[tuple[str, str]], metas: Sequence[str] = (),
         column: str | None = None, charset: str = '<meta charset="utf-8">') -> str:  # fmt: skip
    """A whole Hanweb page: head (metas, scripts), header with the search form, body, footer."""
    head = [
        charset,
        f'<meta name="SiteName" content="{SITE_NAME}">',
        f'<meta name="SiteDomain" content="{SITE_DOMAIN}">',
        '<meta name="SiteIDCode" content="6405000001">',
        *([f'<meta name="ColumnName" content="{escape(column)}">'] if column else []),
        *metas,
        f"<title>{escape(title)} {SITE_NAME}</title>",
        _SCRIPTS,
    ]
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n' + "\n".join(head) + "\n</head>\n<body>\n"
        f"{_header(nav)}\n{body}\n{_FOOT}\n</body>\n</html>\n"
    )
