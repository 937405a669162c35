"""The chrome around a listing as real TRS pages print it: a long menu, a 热点 side list,
相关链接 and a footer; 15-70 KB a page, most of it not the listing.

The side and related lists link real article pages of the site (the newest entries of
other columns, reports among them): decoys a crawler must not take for the column's items.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from html import escape
from typing import Final

from replica.markup import SITE_NAME, href
from replica.plan import Article, Column, Report

_DECOYS: Final = 6
_MIN_BYTES: Final = 16_000
_SPREAD_BYTES: Final = 44_000  # pages run from 16 KB to 60 KB, by column
_STATEMENT: Final = (
    "本网站所刊登的各种信息，均为中卫市人民政府网站版权所有，未经协议授权，禁止下载使用或建立镜像。"
    "如需转载，请注明来源。为保证浏览效果，建议使用IE9及以上版本或其他主流浏览器访问本网站。"
)


@dataclass(frozen=True)
class Chrome:
    """What the chrome of one column's pages links: menu entries and decoy articles."""

    menu: tuple[tuple[str, str], ...]  # (path, text)
    decoys: tuple[tuple[str, str, str], ...]  # (href, title, YYYY-MM-DD), in the column's link style
    size: int = _MIN_BYTES  # bytes a page of the column is padded to


def chrome_for(column: Column, menu: list[tuple[str, str]], entries: list[Report | Article]) -> Chrome:
    """The chrome of `column`: the site menu and the newest entries of the other columns."""
    others = sorted((e for e in entries if e.column != column.path), key=lambda e: (e.published, e.id), reverse=True)
    decoys = tuple(
        (href(e.link_path, column.path, column.link_style), e.title, e.published.date().isoformat())
        for e in others[:_DECOYS]
    )
    size = _MIN_BYTES + zlib.crc32(column.path.encode()) % _SPREAD_BYTES
    return Chrome(tuple(menu), decoys, size)


def header(chrome: Chrome) -> str:
    items = "".join(f'<li><a href="{escape(p)}">{escape(t)}</a></li>' for p, t in chrome.menu)
    return f'<div class="top-nav"><div class="menu"><ul>{items}</ul></div></div>'


def side(chrome: Chrome) -> str:
    rows = "".join(
        f'<li><a href="{escape(p)}" target="_blank">{escape(t)}</a><span>{d}</span></li>' for p, t, d in chrome.decoys
    )
    return f'<div class="side"><div class="hot"><h3>热点推荐</h3><ul>{rows}</ul></div></div>'


def related(chrome: Chrome) -> str:
    rows = "".join(f'<li><a href="{escape(p)}">{escape(t)}</a></li>' for p, t, _ in chrome.decoys[::-1])
    return f'<div class="related"><h3>相关链接</h3><ul>{rows}</ul></div>'


def padded(body: str, size: int) -> str:
    """`body` followed by a 网站声明 block long enough for a page of about `size` bytes."""
    missing = max(0, size - len(body.encode("utf-8")))
    repeats = missing // len(_STATEMENT.encode("utf-8")) + 1
    return f'{body}\n<div class="bottom-info"><p>{SITE_NAME}网站声明：{_STATEMENT * repeats}</p></div>'
