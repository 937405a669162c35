"""HTML renderings of a report: the body fragment and a full TRS-style article page.

The article page follows portals.md §8 "Article page sketch" (meta tags, crumb, h1,
info line, `div.view.TRS_UEDITOR.trs_paper_default`, insertfileTag attachments), so
the replica portal serves what the crawler will meet on nxzw.gov.cn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from reportgen.html_markup import PlainMarkup, WordMarkup
from reportgen.layout import Grid
from reportgen.outline import Block, Heading, Paragraph, Title, outline
from reportgen.style import style_of, variation
from reportgen.truth import ReportTruth

Markup = PlainMarkup | WordMarkup


def _table(grid: Grid, markup: Markup) -> str:
    rows = ("<tr>" + "".join(markup.cell(c) for c in row) + "</tr>" for row in grid.rows())
    return markup.table_open(grid.name) + "<tbody>" + "\n".join(rows) + "</tbody></table>"


def _block(block: Block, markup: Markup) -> str:
    if isinstance(block, Title):
        return markup.title(block.lines)
    if isinstance(block, Heading):
        return markup.heading(block.text)
    if isinstance(block, Paragraph):
        return markup.paragraph(block.text, block.align)
    return _table(block.grid, markup)


def render_report_html(truth: ReportTruth, *, word_pasted: bool = False) -> str:
    """The report body as an HTML fragment: title, intro, six sections, tables, signature."""
    markup: Markup = WordMarkup(variation(truth, "word-html")) if word_pasted else PlainMarkup()
    return "\n".join(_block(b, markup) for b in outline(truth))


def _crumb_href(index: int, count: int) -> str:
    """首页 is the site root; the last crumb is the column itself, earlier ones climb up."""
    if index == 0:
        return "/"
    up = count - 1 - index
    return "./" if up == 0 else "../" * up


def _crumb(names: Sequence[str]) -> str:
    links = (f'<a href="{_crumb_href(i, len(names))}">{escape(n)}</a>' for i, n in enumerate(names))
    return '<div class="crumb">当前位置：' + "&gt;".join(links) + "</div>"


def _oldsrc(href: str) -> str:
    """The dead /protect/ path TRS keeps next to an uploaded file's real link."""
    name = href.rsplit("/", 1)[-1]
    match = re.match(r"P0(\d{6})(\d{2})", name)
    if not match:
        return f"/protect/{name}"
    month, day = match.groups()
    return f"/protect/P0{month}/P0{month}{day}/{name}"


def _attachment(href: str, title: str) -> str:
    return (
        f'<p class="insertfileTag"><a appendix="true" href="{escape(href)}" title="{escape(title)}" '
        f'OLDSRC="{escape(_oldsrc(href))}">{escape(title)}</a></p>'
    )


def _head(truth: ReportTruth, site_name: str, column_name: str) -> str:
    pub = f"{truth.published_on.isoformat()} {style_of(truth).publish_time}"
    metas = {
        "SiteName": site_name,
        "SiteDomain": "www.nxzw.gov.cn",
        "ColumnName": column_name,
        "ArticleTitle": truth.title,
        "PubDate": pub,
        "ContentSource": truth.agency,
    }
    tags = "\n".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in metas.items())
    return f'<head>\n<meta charset="utf-8">\n{tags}\n<title>{escape(truth.title)}_{escape(site_name)}</title>\n</head>'


def render_article_html(
    truth: ReportTruth,
    *,
    site_name: str = "中卫市人民政府",
    column_name: str = "政府信息公开年报",
    breadcrumb: list[str] | None = None,
    attachments: Sequence[tuple[str, str]] = (),
    word_pasted: bool = False,
) -> str:
    """A full TRS article page holding the report; `attachments` are (href, title) pairs."""
    names = breadcrumb or ["首页", "政府信息公开", "部门信息公开", truth.agency, column_name]
    files = "\n".join(_attachment(href, title) for href, title in attachments)
    body = (
        f"<body>\n{_crumb(names)}\n"
        f'<h1 class="title">{escape(truth.title)}</h1>\n'
        f'<div class="info"><span>来源：{escape(truth.agency)}</span>'
        f"<span>发布时间：{truth.published_on.isoformat()}</span></div>\n"
        '<div class="view TRS_UEDITOR trs_paper_default trs_word">\n'
        f"{render_report_html(truth, word_pasted=word_pasted)}\n{files}\n</div>\n</body>"
    )
    return f'<!DOCTYPE html>\n<html lang="zh-CN">\n{_head(truth, site_name, column_name)}\n{body}\n</html>\n'
