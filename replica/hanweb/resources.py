"""Every path of the Hanweb site as a `Resource`, rendered lazily like the TRS site's."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Final

from replica.files import CONTENT_TYPES, render_attachment
from replica.hanweb import pages
from replica.hanweb.articles import article_view, render_article, report_view
from replica.hanweb.layout import DOWNFILE, HanwebColumn, Layout, crumb_of
from replica.plan import Article, Attachment, Report
from replica.planner import SitePlan
from replica.resources import Resource

HTML: Final = "text/html; charset=utf-8"
_SITE_EPOCH: Final = dt.datetime(2020, 1, 1, 9, 0)
_DECOYS: Final = 6


def _html(render: partial[str]) -> partial[bytes]:
    return partial(lambda r: r().encode("utf-8"), render)


def _decoys(entries: list[Report | Article], hidden: str | None, column: str | None) -> pages.Decoys:
    """The newest entries of the other columns (never the search-only report: no page links it)."""
    others = [e for e in entries if e.column != column and e.id != hidden]
    newest = sorted(others, key=lambda e: (e.published, e.id), reverse=True)[:_DECOYS]
    return tuple((e.link_path, e.title, e.published.date().isoformat()) for e in newest)


def _latest(plan: SitePlan) -> dt.datetime:
    return max((e.published for e in plan.entries), default=_SITE_EPOCH)


def _navigation(plan: SitePlan, layout: Layout, entries: list[Report | Article]) -> dict[str, Resource]:
    latest, hidden = _latest(plan), layout.search_only
    out = {
        "/index.html": Resource(
            HTML, _html(partial(pages.home, layout, _decoys(entries, hidden, None))), latest, "page"
        ),
        f"/col/col{layout.zwgk_id}/index.html": Resource(HTML, _html(partial(pages.zwgk, layout)), latest, "page"),
        f"/col/col{layout.catalogue_id}/index.html": Resource(
            HTML, _html(partial(pages.catalogue, layout)), latest, "page"
        ),
    }
    for hdept in layout.departments:
        render = _html(partial(pages.department_home, layout, hdept))
        out[hdept.home] = Resource(HTML, render, latest, "page")
    return out


def _columns(layout: Layout, entries: list[Report | Article]) -> dict[str, Resource]:
    out = {}
    for column in layout.columns:
        decoys = _decoys(entries, layout.search_only, column.path)
        modified = max((e.published for e in column.entries), default=_SITE_EPOCH)
        for number in range(1, column.page_count + 1):
            render = _html(partial(pages.column_page, layout, column, decoys, number))
            key = column.path if number == 1 else column.static_page(number)
            out[key] = Resource(HTML, render, modified, "listing")
    return out


def _file(report: Report, attachment: Attachment, modified: dt.datetime, token: str) -> Resource:
    render = partial(render_attachment, report, attachment)
    if attachment.path.startswith(DOWNFILE + "?"):
        # downfile.jsp streams every file alike: the name is only in the disposition.
        name = attachment.path.rsplit("=", 1)[-1]
        headers = (("Content-Disposition", f"attachment;filename={name}"),)
        return Resource("application/octet-stream", render, modified, "attachment", token, headers)
    return Resource(CONTENT_TYPES[attachment.kind], render, modified, "attachment", token)


Columns = dict[str, HanwebColumn]


def _reports(plan: SitePlan, layout: Layout, columns: Columns, hot: pages.Decoys) -> dict[str, Resource]:
    nav, out = pages.site_nav(layout), {}
    for report in plan.reports:
        # Publication time, moved 30 days on for each revision that changed the report (as on the TRS site).
        modified, token = report.published + dt.timedelta(days=30 * len(report.revisions)), f"v{len(report.revisions)}"
        if report.article:
            view = report_view(report, columns[report.column].name)
            dialect = layout.dialects[report.id]
            render = partial(render_article, view, dialect, nav, hot, gbk="gbk" in report.flags)
            page_type = "text/html" if "gbk" in report.flags else HTML  # GBK: charset only in the <meta>
            out[report.article] = Resource(page_type, render, modified, "article", token)
        for attachment in report.attachments:
            out[attachment.path] = _file(report, attachment, modified, token)
    return out


def _articles(plan: SitePlan, layout: Layout, columns: Columns, hot: pages.Decoys) -> dict[str, Resource]:
    nav, out = pages.site_nav(layout), {}
    trails = {c.path: crumb_of(layout, layout.owner(c), c) for c in layout.columns}
    for article in plan.articles:
        view = article_view(article, trails[article.column], columns[article.column].name)
        render = partial(render_article, view, layout.dialects[article.id], nav, hot)
        out[article.path] = Resource(HTML, render, article.published, "article")
    return out


def _hot(plan: SitePlan) -> pages.Decoys:
    """The 相关信息 box of article pages: the site's newest ordinary articles."""
    ordinary = sorted((a for a in plan.articles if not a.false_positive), key=lambda a: (a.published, a.id))
    return tuple((a.path, a.title, a.published.date().isoformat()) for a in reversed(ordinary[-_DECOYS:]))


def hanweb_resources(plan: SitePlan, layout: Layout) -> dict[str, Resource]:
    """Every path of the Hanweb site except robots.txt, its endpoints and /__replica__/."""
    entries = plan.entries
    columns, hot = {c.path: c for c in layout.columns}, _hot(plan)
    out = _navigation(plan, layout, entries) | _columns(layout, entries)
    return out | _articles(plan, layout, columns, hot) | _reports(plan, layout, columns, hot)
