"""The page shell every HTML page of the replica shares: head metas, crumb, footer."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from html import escape
from typing import Final

SITE_NAME: Final = "中卫市人民政府"
SITE_DOMAIN: Final = "www.nxzw.gov.cn"
# Absolute links are printed with this origin; the server puts the one each request named in its place
# (replica.handler), so a page links the host the crawler asked, whatever port the replica runs on.
ORIGIN: Final = "http://replica-origin.invalid"


def href(path: str, page_dir: str, style: str) -> str:
    """The link a page in `page_dir` prints to the site path `path`, in a department's link style."""
    if style == "absolute":
        return ORIGIN + path
    if style == "root":
        return path
    relative = posixpath.relpath(path, page_dir)
    return relative if relative.startswith("../") else "./" + relative


def page(title: str, body: str, *, column: str | None = None, charset_meta: str = '<meta charset="utf-8">') -> str:
    """A complete HTML document with the national 政府网站 meta tags."""
    metas = [f'<meta name="SiteName" content="{SITE_NAME}">', f'<meta name="SiteDomain" content="{SITE_DOMAIN}">']
    if column:
        metas.append(f'<meta name="ColumnName" content="{escape(column)}">')
    head = "\n".join([charset_meta, *metas, f"<title>{escape(title)}_{SITE_NAME}</title>"])
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n{head}\n</head>\n<body>\n'
        f'<div class="header"><a href="/">{SITE_NAME}</a> <span>无障碍 | 长者版</span></div>\n'
        f'{body}\n<div class="footer">主办：{SITE_NAME}办公室 网站标识码：6405000001</div>\n</body>\n</html>\n'
    )


def link(href: str, text: str, title: str | None = None) -> str:
    attr = f' title="{escape(title)}"' if title else ""
    return f'<a href="{escape(href)}"{attr}>{escape(text)}</a>'


def crumb(trail: Sequence[tuple[str | None, str]]) -> str:
    """当前位置 line; a step without href is the current page."""
    steps = (link(href, text) if href else escape(text) for href, text in trail)
    return '<div class="crumb">当前位置：' + "&gt;".join(steps) + "</div>"


def link_list(css: str, links: Sequence[tuple[str, str]]) -> str:
    items = "\n".join(f"<li>{link(href, text)}</li>" for href, text in links)
    return f'<div class="{css}"><ul>\n{items}\n</ul></div>'
