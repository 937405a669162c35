"""Hanweb article pages in three dialects, for reports (reportgen's HTML body) and plain articles.

- jcms_meta: metas ArticleTitle / PubDate / ContentSource, the title in `div.title` between the
  `<!--<$[标题名称]>begin-->` markers, `发布日期：` and `来源：` spans, the body in `div#zoom` between
  `<!--<$[信息内容]>begin-->` markers, files in `div.fj` after it.
- xxgk_table: no article metas; a 索引号/发布机构/发布日期 table (`table.xxgk_table`), `h1.xxgk-title`,
  the body in `div.xxgk-content#zoom`, files in `div.xxgk-fj`.
- h1_plain: no article metas; `<h1>`, a `div.sub` line `发布日期：YYYY年MM月DD日　来源：…`, files
  inside the body `div.article-content`, the crumb in `div.location`.
Files are `downfile.jsp?classid=0&filename=…` or `/picture/<webid>/…` links, as the layout says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Final

from replica.hanweb.layout import HanwebDialect
from replica.hanweb.shell import crumb, link, page, related
from replica.plan import Article, Report
from reportgen.html import render_report_html

GBK_META: Final = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
Nav = tuple[tuple[str, str], ...]
Decoys = tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class ArticleView:
    """What an article page shows, whatever its dialect."""

    title: str
    published: dt.datetime
    source: str
    trail: tuple[tuple[str, str], ...]
    body: str
    files: tuple[tuple[str, str], ...]  # (url, link text)
    column: str


def _files(view: ArticleView, css: str) -> str:
    if not view.files:
        return ""
    rows = "".join(f"<p>{link(url, text)}</p>" for url, text in view.files)
    return f'<div class="{css}"><span>附件：</span>{rows}</div>'


def _jcms_meta(view: ArticleView) -> str:
    return (
        f'{crumb(view.trail)}\n<div class="bt-article">\n'
        f'<!--<$[标题名称]>begin--><div class="title">{escape(view.title)}</div><!--<$[标题名称]>end-->\n'
        f'<div class="info"><span>发布日期：{view.published:%Y-%m-%d %H:%M}</span>'
        f"<span>来源：{escape(view.source)}</span>"
        "<span>浏览次数：<script>_showDynClicks('wbnews', 1, 1)</script></span></div>\n"
        f'<div id="zoom"><!--<$[信息内容]>begin-->{view.body}<!--<$[信息内容]>end--></div>\n'
        f"{_files(view, 'fj')}\n</div>"
    )


def _xxgk_table(view: ArticleView) -> str:
    table = (
        '<table class="xxgk_table"><tr><th>索引号：</th><td>640500000/2026-00001</td>'
        f"<th>分类：</th><td>政务公开</td></tr><tr><th>发布机构：</th><td>{escape(view.source)}</td>"
        f"<th>发布日期：</th><td>{view.published:%Y-%m-%d}</td></tr><tr><th>文号：</th><td></td>"
        "<th>主题词：</th><td></td></tr></table>"
    )
    return (
        f'{crumb(view.trail, "dqwz")}\n{table}\n<h1 class="xxgk-title">{escape(view.title)}</h1>\n'
        f'<div class="xxgk-content" id="zoom">{view.body}</div>\n{_files(view, "xxgk-fj")}'
    )


def _h1_plain(view: ArticleView) -> str:
    return (
        f'{crumb(view.trail, "location")}\n<div class="main-article"><h1>{escape(view.title)}</h1>\n'
        f'<div class="sub">发布日期：{view.published:%Y年%m月%d日}　来源：{escape(view.source)}　'
        '字号：[ <a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> ]</div>\n'
        f'<div class="article-content">{view.body}\n{_files(view, "article-files")}</div></div>'
    )


_DIALECTS: Final[dict[HanwebDialect, Callable[[ArticleView], str]]] = {
    "jcms_meta": _jcms_meta,
    "xxgk_table": _xxgk_table,
    "h1_plain": _h1_plain,
}


def _metas(view: ArticleView, dialect: HanwebDialect) -> list[str]:
    if dialect != "jcms_meta":
        return []
    return [
        f'<meta name="ArticleTitle" content="{escape(view.title)}">',
        f'<meta name="PubDate" content="{view.published:%Y-%m-%d %H:%M}">',
        f'<meta name="ContentSource" content="{escape(view.source)}">',
    ]


def render_article(view: ArticleView, dialect: HanwebDialect, nav: Nav, decoys: Decoys, *, gbk: bool = False) -> bytes:
    """The whole article page of `view` in `dialect`, encoded as served (GBK: charset only in a meta)."""
    body = f"{_DIALECTS[dialect](view)}\n{related(decoys)}"
    charset = GBK_META if gbk else '<meta charset="utf-8">'
    html = page(view.title, body, nav=nav, metas=_metas(view, dialect), column=view.column, charset=charset)
    return html.encode("gb18030") if gbk else html.encode("utf-8")


def report_body(report: Report) -> str:
    """The report as the article shows it: reportgen's body, an <img> (图片版), or a pointer (DOCX)."""
    if report.variant == "image":
        image = next(a for a in report.attachments if a.embedded)
        return f'<p style="text-align:center"><img src="{escape(image.path)}" alt="{escape(report.title)}"></p>'
    if report.variant == "docx":
        return f'<p style="text-indent:2em">现将《{escape(report.title)}》予以公布，全文详见附件。</p>'
    return render_report_html(report.truth, word_pasted=report.word_pasted)


def report_view(report: Report, column: str) -> ArticleView:
    files = tuple((a.path, a.title) for a in report.attachments if not a.embedded)
    return ArticleView(report.title, report.published, report.agency, report.breadcrumb, report_body(report), files,
                       column)  # fmt: skip


def article_view(article: Article, trail: tuple[tuple[str, str], ...], column: str) -> ArticleView:
    paragraphs = "\n".join(f'<p style="text-indent:2em">{escape(p)}</p>' for p in article.paragraphs)
    return ArticleView(article.title, article.published, article.source, trail, paragraphs, (), column)
