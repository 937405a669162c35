"""Article pages in the dialects real TRS sites print (the "meta" dialect is reportgen's own page).

Each dialect moves the title, date, publisher, crumb and attachments where some real
sites keep them: no meta tags, a `neiright_Title` or `#font_title` heading, a hidden
duplicate `#NewsArticleTitle`, the date only in a `时间：` / `发布日期：` / `发文日期` /
`[2026-05-21]` line, the publisher in a `来源：` line, the crumb in `.position`,
`td.pos`, `div.crumbsNav` or `.breadcrumb`, and the files inside the body or in a
`div.article_attachment` block after it. Around them sits navigation chrome with
article and file links of its own (decoys: none of them is this report's).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from replica.markup import href, link, page
from replica.naming import truncate
from replica.plan import Report

Crumb = tuple[tuple[str, str], ...]
Hot = tuple[tuple[str, str], ...]  # (path, title) of the site's newest ordinary articles


def _steps(trail: Crumb, separator: str) -> str:
    return separator.join(link(href, name) for href, name in trail)


def file_href(report: Report, path: str) -> str:
    """A file's link on the report's article page: `./P0….pdf`, root-relative or absolute (its link style)."""
    return href(path, path.rsplit("/", 1)[0] + "/", report.link_style)


def _files(report: Report) -> str:
    """The report's download links as TRS prints them: `./P0….pdf` with the dead OLDSRC beside."""
    links = []
    for a in report.attachments:
        if a.in_script or a.embedded:
            continue
        oldsrc = f' OLDSRC="{escape(a.oldsrc)}"' if a.oldsrc else ""
        target = escape(file_href(report, a.path))
        links.append(f'<p><a href="{target}"{oldsrc} title="{escape(a.title)}">{escape(a.title)}</a></p>')
    return "\n".join(links)


def _chrome(hot: Hot) -> str:
    """Site navigation, a menu and a 热点信息 box of other articles: links a reader of this report must pass by."""
    nav = " ".join(
        link(href, text)
        for href, text in (("/", "首页"), ("/zwgk/", "政务公开"), ("/zwgk/zfxxgkml/", "政府信息公开目录"))
    )
    places = ("/zwgk/zfxxgkml/", "/zwgk/bmxxgkml/")
    menu = "".join(f"<li>{link(places[i % 2], name)}</li>" for i, name in enumerate(_MENU))
    news = "".join(f"<li>{link(href, title)}</li>" for href, title in hot)
    return (
        f'<div class="topnav">{nav}</div>\n<div class="menu"><ul>{menu}</ul></div>\n'
        f'<div class="hot_news"><h3>热点信息</h3><ul>{news}</ul></div>\n<div class="foot_info">{_FOOT}</div>'
    )


_MENU = (
    "机构职能", "政策文件", "规划计划", "财政预决算", "重点项目", "行政执法", "政府采购", "人事信息",
    "公共服务", "应急管理", "环境保护", "安全生产", "食品药品", "教育卫生", "社会救助", "就业创业",
    "城乡建设", "交通运输", "农业农村", "文化旅游", "政策解读", "建议提案", "统计信息", "审计信息",
)  # fmt: skip
_FOOT = (
    "<p>主办单位：中卫市人民政府办公室　承办单位：中卫市大数据服务中心</p>"
    "<p>地址：宁夏中卫市沙坡头区　邮编：755000　联系电话：0955-0000000</p>"
    "<p>网站标识码：6405000001　宁ICP备00000000号　宁公网安备 64050202000000号</p>"
    "<p>建议使用1280×768以上分辨率浏览本网站　本网站支持IPv6访问</p>"
)


def _neiright(report: Report, body: str) -> str:
    when = report.published
    return (
        f'<div class="position">当前位置：{_steps(report.breadcrumb, " &gt; ")}</div>\n<div class="nei_right">\n'
        f'<h2 class="neiright_Title">{escape(report.title)}</h2>\n'
        f'<div class="neiright_JPZ_GK_CP"><span>时间：{when:%Y-%m-%d %H:%M}</span>　'
        f"<span>来源：{escape(report.agency)}</span></div>\n"
        f'<div class="TRS_Editor">\n{body}\n</div>\n</div>\n'
        f'<div class="article_attachment"><p>附件：</p>\n{_files(report)}\n</div>\n'
        f'<span id="NewsArticleTitle" style="display:none">{escape(report.title)}</span>'
    )


def _font_title(report: Report, body: str) -> str:
    when = report.published
    return (
        f'<table class="pos_table"><tr><td class="pos">您现在的位置：{_steps(report.breadcrumb, "»")}</td></tr>'
        "</table>\n"
        f'<div id="font_title">{escape(report.title)}</div>\n'
        f'<div class="xxgk_info">发布日期：{when:%Y年%m月%d日}　信息来源：{escape(report.agency)}</div>\n'
        f'<div class="TRS_Editor"><div class="Custom_UnionStyle">\n{body}\n{_files(report)}\n</div></div>'
    )


def _bracket(report: Report, body: str) -> str:
    when = report.published
    return (
        f'<div class="crumbsNav">{_steps(report.breadcrumb, "")}</div>\n'
        # A stale, truncated duplicate some sites keep hidden: the visible h1 is the title.
        f'<div style="display: none"><span id="NewsArticleTitle">{escape(truncate(report.title))}</span></div>\n'
        f"<h1>{escape(report.title)}</h1>\n"
        f'<div class="time">[{when:%Y-%m-%d}]　来源：{escape(report.agency)}</div>\n'
        f'<div class="TRS_Editor"><div class="Custom_UnionStyle">\n{body}\n</div></div>\n'
        f'<div class="article_attachment">\n{_files(report)}\n</div>'
    )


def _fawen(report: Report, body: str) -> str:
    when = report.published
    return (
        f'<div class="breadcrumb">{_steps(report.breadcrumb, " / ")}</div>\n'
        '<table class="xxgk_table"><tr><td>索引号：</td><td>640500/2024-00001</td>'
        "<td>主题分类：</td><td>政务公开</td></tr>"
        f"<tr><td>发文日期：</td><td>{when:%Y-%m-%d}</td><td>文号：</td><td></td></tr></table>\n"
        f'<h1 class="title">{escape(report.title)}</h1>\n'
        f'<div class="TRS_Editor">\n{body}\n{_files(report)}\n</div>'
    )


_DIALECTS: dict[str, Callable[[Report, str], str]] = {
    "neiright": _neiright,
    "font_title": _font_title,
    "bracket": _bracket,
    "fawen": _fawen,
}


def dialect_page(report: Report, body: str, hot: Hot = ()) -> str:
    """The whole article page of `report` in its (non-meta) dialect, around the body HTML."""
    article = _DIALECTS[report.article_dialect](report, body)
    return page(report.title, f"{_chrome(hot)}\n{article}", column="政府信息公开年报")


def script_pager(report: Report, part: int) -> str:
    """A split article's pager that only a script writes (`var countPage` + document.write)."""
    assert report.article and report.continuation
    other = report.continuation if part == 0 else report.article
    name = other.rsplit("/", 1)[-1]
    return (
        f'<div id="pager"><script>var countPage = 2;\nvar currentPage = {part};\n'
        f"document.write('<a href=\"./{name}\">{2 - part}</a>');</script></div>"
    )
