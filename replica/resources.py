"""Every path the site serves, as a `Resource`: content type, lazy renderer, modification time.

Nothing is rendered here; `render` runs on the first request (PDFs take ~0.2 s each),
so a site with a thousand reports is ready at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Final

from replica import pages
from replica.article_dialects import Hot
from replica.articles import render_plain_article, render_report_page
from replica.chrome import chrome_for
from replica.files import CONTENT_TYPES, render_attachment
from replica.listing import page_paths, render_listing, render_stub
from replica.plan import Column, Department, Report
from replica.planner import SitePlan

HTML: Final = "text/html; charset=utf-8"
# Navigation pages are "last changed" when the newest report came out; a fixed time keeps bytes stable.
_SITE_EPOCH: Final = dt.datetime(2020, 1, 1, 9, 0)


@dataclass(frozen=True)
class Resource:
    """One servable path. `token` changes exactly when the bytes change between revisions."""

    content_type: str
    render: Callable[[], bytes]
    modified: dt.datetime  # local time of the portal (UTC+8)
    kind: str  # page | listing | article | attachment
    token: str = ""
    headers: tuple[tuple[str, str], ...] = ()  # sent besides the validators (e.g. Content-Disposition)

    @property
    def document(self) -> bool:
        """Articles and attachments: the only paths off-host redirects may hit."""
        return self.kind in ("article", "attachment")


def _html(text: Callable[[], str]) -> Callable[[], bytes]:
    return lambda: text().encode("utf-8")


def _latest(plan: SitePlan) -> dt.datetime:
    stamps = [e.published for e in plan.entries]
    return max(stamps, default=_SITE_EPOCH)


def navigation(plan: SitePlan) -> dict[str, Resource]:
    latest = _latest(plan)
    out = {
        "/index.html": Resource(HTML, _html(pages.home), latest, "page"),
        "/zwgk/index.html": Resource(HTML, _html(pages.zwgk), latest, "page"),
        "/zwgk/zfxxgkml/index.html": Resource(HTML, _html(pages.government_catalogue), latest, "page"),
        "/zwgk/bmxxgkml/index.html": Resource(
            HTML, _html(partial(pages.department_catalogue, plan.departments)), latest, "page"
        ),
        "/nxsearch/search.html": Resource(HTML, _html(pages.search_page), _SITE_EPOCH, "page"),
    }
    for dept in plan.departments:
        out[dept.home + "index.html"] = Resource(HTML, _html(partial(pages.department_home, dept)), latest, "page")
    return out


def _column_modified(column: Column) -> dt.datetime:
    return max((e.published for e in column.entries), default=_SITE_EPOCH)


def _owners(plan: SitePlan) -> dict[str, Department | None]:
    """Column path -> the department it belongs to (None for the city column)."""
    owners: dict[str, Department | None] = {plan.city.path: None}
    return owners | {c.path: d for d in plan.departments for c in (d.report_column, *d.other_columns)}


def _menu(plan: SitePlan) -> list[tuple[str, str]]:
    """The site menu every listing page prints: the main sections, then every department."""
    main = [("/", "首页"), ("/zwgk/", "政务公开"), ("/zwgk/zfxxgkml/", "政府信息公开目录")]
    return [*main, ("/zwgk/bmxxgkml/", "部门信息公开目录"), *((d.home, d.name) for d in plan.departments)]


def listings(plan: SitePlan) -> dict[str, Resource]:
    owners, menu, entries = _owners(plan), _menu(plan), plan.entries
    out = {}
    for column in plan.columns:
        owner = owners[column.path]
        trail = pages.listing_trail(owner, column)
        name = owner.name if owner else "政府信息公开目录"
        chrome = chrome_for(column, menu, entries)
        for index, path in enumerate(page_paths(column)):
            render = _html(partial(render_listing, column, index, trail, name, chrome))
            out[path] = Resource(HTML, render, _column_modified(column), "listing")
        if column.stub:
            stub = _html(partial(render_stub, "./" + column.first_page))
            out[column.path + "index.html"] = Resource(HTML, stub, _column_modified(column), "listing")
    return out


def _report_modified(report: Report) -> dt.datetime:
    """Publication time, moved 30 days on for each revision that changed the report."""
    return report.published + dt.timedelta(days=30 * len(report.revisions))


def report_documents(report: Report, hot: Hot = ()) -> dict[str, Resource]:
    modified, token = _report_modified(report), f"v{len(report.revisions)}"
    page_type = "text/html" if "gbk" in report.flags else HTML  # GBK: charset only in the <meta>
    out = {}
    if report.article:
        render = partial(render_report_page, report, 0, hot)
        out[report.article] = Resource(page_type, render, modified, "article", token)
    if report.continuation:
        render = partial(render_report_page, report, 1, hot)
        out[report.continuation] = Resource(page_type, render, modified, "article", token)
    for attachment in report.attachments:
        render = partial(render_attachment, report, attachment)
        out[attachment.path] = Resource(CONTENT_TYPES[attachment.kind], render, modified, "attachment", token)
    return out


def _article_trail(owner: Department | None, column: Column) -> list[tuple[str | None, str]]:
    if owner is None:
        return [*pages.ZWGK_TRAIL, ("/zwgk/zfxxgkml/", "政府信息公开目录"), (column.entry, column.name)]
    return [
        *pages.ZWGK_TRAIL,
        ("/zwgk/bmxxgkml/", "部门信息公开"),
        (owner.home, owner.name),
        (column.entry, column.name),
    ]


def plain_articles(plan: SitePlan) -> dict[str, Resource]:
    owners, columns = _owners(plan), {c.path: c for c in plan.columns}
    out = {}
    for article in plan.articles:
        trail = _article_trail(owners[article.column], columns[article.column])
        render = partial(render_plain_article, article, trail, trail[-1][1])
        out[article.path] = Resource(HTML, render, article.published, "article")
    return out


def _hot(plan: SitePlan) -> Hot:
    """The site's 热点信息 box on article pages: its newest ordinary articles (served, not reports)."""
    ordinary = sorted((a for a in plan.articles if not a.false_positive), key=lambda a: (a.published, a.id))
    return tuple((a.path, a.title) for a in reversed(ordinary[-8:]))


def all_resources(plan: SitePlan) -> dict[str, Resource]:
    """Every path of the site except robots.txt, the IRS endpoint and /__replica__/."""
    out = navigation(plan) | listings(plan) | plain_articles(plan)
    hot = _hot(plan)
    for report in plan.reports:
        out |= report_documents(report, hot)
    return out
