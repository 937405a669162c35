"""Article pages: reports (via reportgen's TRS page, reshaped per variant) and plain articles.

reportgen renders the whole report into the page; the variants replace the report
body (the exact fragment render_report_html returns) with what that variant shows:
an <img> for 图片版, a pointer to the attachment for DOCX reports, one half of the
report for split articles.
"""

from __future__ import annotations

from html import escape
from typing import Final

from replica.article_dialects import Hot, dialect_page, file_href, script_pager
from replica.markup import SITE_NAME, crumb, page
from replica.plan import Article, Report
from reportgen.html import render_article_html, render_report_html

GBK_META: Final = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _full_page(report: Report) -> str:
    links = [(file_href(report, a.path), a.title) for a in report.attachments if not (a.in_script or a.embedded)]
    return render_article_html(
        report.truth,
        site_name=SITE_NAME,
        column_name="政府信息公开年报",
        breadcrumb=[name for _, name in report.breadcrumb],
        attachments=links,
        word_pasted=report.word_pasted,
    )


def _with_crumb(html: str, report: Report) -> str:
    """Swap reportgen's relative crumb for one whose links point at the real pages."""
    start = html.find('<div class="crumb">')
    end = html.find("</div>", start) + len("</div>")
    if start < 0:
        return html
    return html[:start] + crumb(list(report.breadcrumb)) + html[end:]


def split_fragment(fragment: str) -> tuple[str, str]:
    """Cut the report body before the heading of section 三 (the line before the 2nd table)."""
    second_table = fragment.find("<table", fragment.find("<table") + 1)
    table_line = fragment.rfind("\n", 0, second_table)
    cut = fragment.rfind("\n", 0, table_line)
    if second_table < 0 or cut <= 0:
        cut = fragment.find("\n", len(fragment) // 2)
    return fragment[:cut], fragment[cut + 1 :]


def _split_part(report: Report, fragment: str, part: int) -> str:
    assert report.article and report.continuation
    first, second = split_fragment(fragment)
    if "split_script" in report.flags:
        return f"{first if part == 0 else second}\n{script_pager(report, part)}"
    if part == 0:
        return f'{first}\n<div class="page"><span>1</span> <a href="./{_name(report.continuation)}">下一页</a></div>'
    return f'{second}\n<div class="page"><a href="./{_name(report.article)}">上一页</a> <span>2</span></div>'


def _body(report: Report, fragment: str, part: int) -> str:
    if report.variant == "image":
        image = next(a for a in report.attachments if a.embedded)
        return f'<p style="text-align:center"><img src="./{_name(image.path)}" alt="{escape(report.title)}"></p>'
    if report.variant == "docx":
        return f'<p style="text-indent:2em">现将《{escape(report.title)}》予以公布，全文详见附件。</p>'
    if report.continuation:
        return _split_part(report, fragment, part)
    return fragment


def _script_links(report: Report) -> str:
    """Attachments that only exist inside a document.write block, as some TRS pages do."""
    scripted = [a for a in report.attachments if a.in_script]
    if not scripted:
        return ""
    names = "<BR/>".join(a.title for a in scripted)
    writes = "<BR/>".join(f'<a href="{file_href(report, a.path)}">{escape(a.title)}</a>' for a in scripted)
    return f'<script>if("{names}" != ""){{document.write(\'{writes}\');}}</script>\n'


def render_report_page(report: Report, part: int = 0, hot: Hot = ()) -> bytes:
    """The article page (or its continuation, part 1) of a report, encoded as served."""
    fragment = render_report_html(report.truth, word_pasted=report.word_pasted)
    if report.article_dialect == "meta":
        html = _with_crumb(_full_page(report), report).replace(fragment, _body(report, fragment, part), 1)
    else:
        html = dialect_page(report, _body(report, fragment, part), hot)
    html = html.replace("</body>", _script_links(report) + "</body>", 1)
    if "gbk" in report.flags:
        return html.replace('<meta charset="utf-8">', GBK_META, 1).encode("gb18030")
    return html.encode("utf-8")


def render_plain_article(article: Article, trail: list[tuple[str | None, str]], column_name: str) -> bytes:
    """A TRS article page for a non-report (false positive, guide, budget notice)."""
    metas = (
        f'<meta name="ArticleTitle" content="{escape(article.title)}">\n'
        f'<meta name="PubDate" content="{article.published:%Y-%m-%d %H:%M}">\n'
        f'<meta name="ContentSource" content="{escape(article.source)}">'
    )
    paragraphs = "\n".join(f'<p style="text-indent:2em">{escape(p)}</p>' for p in article.paragraphs)
    body = (
        f'{crumb(trail)}\n<h1 class="title">{escape(article.title)}</h1>\n'
        f'<div class="info"><span>来源：{escape(article.source)}</span>'
        f"<span>发布时间：{article.published:%Y-%m-%d}</span></div>\n"
        f'<div class="view TRS_UEDITOR trs_paper_default">\n{paragraphs}\n</div>'
    )
    html = page(article.title, body, column=column_name, charset_meta='<meta charset="utf-8">\n' + metas)
    return html.encode("utf-8")
