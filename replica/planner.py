"""From a seed to a complete `SitePlan`: a chain of small named steps.

departments -> paginations -> report drafts -> variants -> special cases ->
other articles -> truths (per revision) -> docids -> file names -> column contents.
Everything structural comes from one generator seeded by `seed`; the revision only
changes the truths of the reports it touches.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from replica.departments import pick_bodies
from replica.naming import ColumnIds, article_name, assign_docids, dead_oldsrc, upload_name
from replica.plan import ARTICLE_DIALECTS, Article, Attachment, Column, Department, Report
from replica.plan_articles import city_articles, department_articles, ensure_each_false_positive, place_article
from replica.plan_columns import assign_paginations, city_column, make_department
from replica.plan_reports import (
    assign_specials,
    assign_variants,
    department_drafts,
    government_drafts,
    realise,
    revision_history,
)


@dataclass
class SitePlan:
    """Everything the site serves, as data."""

    seed: int
    revision: int
    years: range
    departments: list[Department]
    city: Column
    reports: list[Report]
    articles: list[Article]

    @property
    def columns(self) -> list[Column]:
        """Every listing column: the city 年报 column, then each department's five."""
        per_dept = [c for d in self.departments for c in (d.report_column, *d.other_columns)]
        return [self.city, *per_dept]

    @property
    def entries(self) -> list[Report | Article]:
        """Every report and article, reports first."""
        return [*self.reports, *self.articles]

    @property
    def robots_disallow(self) -> list[str]:
        """Paths robots.txt disallows: the article of the robots_disallowed report."""
        return [r.article for r in self.reports if "robots_disallowed" in r.flags and r.article]


def plan_site(
    seed: int, *, departments: int, years: range, revision: int, reports_per_department: int | None
) -> SitePlan:
    """The deterministic plan for (seed, revision) and the size arguments."""
    if not years:
        raise ValueError("years must not be empty")
    rng = random.Random(f"replica-structure|{seed}")
    ids = ColumnIds(rng)
    depts = [make_department(rng, body, ids) for body in pick_bodies(departments)]
    assign_paginations(rng, depts)
    city = city_column()
    drafts = department_drafts(rng, depts, years, reports_per_department)
    assign_variants(rng, drafts)
    assign_specials(rng, drafts)
    drafts += government_drafts(rng, city, years)
    articles = [a for d in depts for a in department_articles(rng, d, years)] + city_articles(rng, city, years)
    articles += ensure_each_false_positive(rng, depts, articles, years)
    history = revision_history(seed, revision, [d.id for d in drafts])
    reports = [realise(seed, d, history.get(d.id, [])) for d in drafts]
    assign_docids(rng, [*[r for r in reports if r.variant != "pdf_only"], *articles])
    assign_article_dialects(depts, reports)
    columns = {c.path: c for c in [city, *(c for d in depts for c in (d.report_column, *d.other_columns))]}
    for report in reports:
        report.link_style = columns[report.column].link_style
        place_files(seed, report, columns[report.column].article_ext)
    for article in articles:
        place_article(article, columns[article.column].article_ext)
    plan = SitePlan(seed, revision, years, depts, city, reports, articles)
    fill_columns(plan)
    return plan


def assign_article_dialects(departments: list[Department], reports: list[Report]) -> None:
    """Departments take the article dialects in turn (the city's reports keep the first)."""
    dialects = {d.slug: ARTICLE_DIALECTS[i % len(ARTICLE_DIALECTS)] for i, d in enumerate(departments)}
    for report in reports:
        report.article_dialect = dialects.get(report.department or "", ARTICLE_DIALECTS[0])


def place_files(seed: int, report: Report, ext: str = "html") -> None:
    """Article path (its column's extension), continuation page and attachment names of one report."""
    rng = random.Random(f"replica-files|{seed}|{report.id}")
    day = report.published.date()
    upload_day = day + dt.timedelta(days=rng.choice((0, 0, 0, 1, 2)))
    if report.variant != "pdf_only":
        assert report.docid is not None
        report.article = report.folder + article_name(day, report.docid, ext=ext)
        if report.flags & {"split", "split_script"}:
            report.continuation = report.folder + article_name(day, report.docid, part=1, ext=ext)
    report.attachments = _attachments(rng, report, upload_day)


def _upload(rng: random.Random, report: Report, day: dt.date, ext: str, prefix: str = "P0") -> tuple[str, str]:
    name = upload_name(prefix, day, rng, ext)
    return report.folder + name, dead_oldsrc(name)


def _attachments(rng: random.Random, report: Report, day: dt.date) -> list[Attachment]:
    title, variant = report.title, report.variant
    if variant in ("html_pdf", "pdf_only"):
        path, oldsrc = _upload(rng, report, day, "pdf")
        attachments = [Attachment(path, "pdf", f"{title}.pdf", oldsrc=oldsrc if variant == "html_pdf" else None)]
        if variant == "html_pdf" and rng.random() < 0.5:
            # The same report as OFD next to its PDF, as NDRC attaches them (portals.md).
            ofd, ofd_oldsrc = _upload(rng, report, day, "ofd")
            attachments.append(Attachment(ofd, "ofd", f"{title}.ofd", oldsrc=ofd_oldsrc))
        return attachments
    if variant == "docx":
        path, oldsrc = _upload(rng, report, day, "docx")
        return [Attachment(path, "docx", f"{title}.docx", oldsrc=oldsrc)]
    if variant == "xlsx":
        path, _ = _upload(rng, report, day, "xlsx")
        return [Attachment(path, "xlsx", "附件1.xlsx", in_script=True)]
    if variant == "image":
        pdf, oldsrc = _upload(rng, report, day, "pdf")
        jpg, _ = _upload(rng, report, report.published.date(), "jpg", prefix="W0")
        return [
            Attachment(pdf, "image_pdf", f"{title}.pdf", oldsrc=oldsrc),
            Attachment(jpg, "jpg", title, embedded=True),
        ]
    return []


def fill_columns(plan: SitePlan) -> None:
    """Put every report and article into its column, newest first."""
    by_path = {c.path: c for c in plan.columns}
    for entry in plan.entries:
        by_path[entry.column].entries.append(entry)
    for column in by_path.values():
        column.entries.sort(key=lambda e: (e.published, e.id), reverse=True)
