"""Departments and their columns: slugs with opaque ids, pagination variants, quirks."""

from __future__ import annotations

import random
from typing import Final

from replica.departments import Body
from replica.naming import ColumnIds
from replica.plan import ARTICLE_EXTS, LINK_STYLES, LISTING_DIALECTS, PAGINATIONS, Column, Department

REPORT_COLUMN_NAME: Final = "政府信息公开年报"
CITY_REPORT_COLUMN: Final = "/zwgk/zfxxgkml/zfxxgknb/"

# The 年报 column slug varies by department; crawlers must find it by link text.
_REPORT_SLUGS: Final = ("xxgknb_{id}", "zfxxgknb", "xxgknb_{id}", "zfxxgknb_{id}", "xxgknb")
# (name, slug pattern) of the other department columns, in the order the home lists them.
OTHER_COLUMNS: Final = (
    ("政府信息公开指南", "zfxxgkzn_{id}"),
    ("政府信息公开制度", "zfxxgkzd_{id}"),
    ("法定主动公开内容", "fdzdgknr_{id}"),
    ("依申请公开", "ysqgk_{id}"),
)
_PAGE_SIZES: Final = (3, 4, 5)


def make_department(rng: random.Random, body: Body, ids: ColumnIds) -> Department:
    """A department home with an `_<id>` slug suffix on some, and its five columns."""
    slug = body.stem + (f"_{ids.take()}" if rng.random() < 0.4 else "")
    home = f"/zwgk/bmxxgkml/{slug}/"
    others = [Column(home + pattern.format(id=ids.take()) + "/", name) for name, pattern in OTHER_COLUMNS]
    report_slug = rng.choice(_REPORT_SLUGS).format(id=ids.take())
    report = Column(home + report_slug + "/", REPORT_COLUMN_NAME, page_size=rng.choice(_PAGE_SIZES))
    return Department(body.name, slug, body.group, report, others, root_relative_links=rng.random() < 0.3)


def assign_paginations(rng: random.Random, departments: list[Department]) -> None:
    """Spread the four pagination variants over the 年报 columns, each at least once.

    One classic column answers page 1 for any index_N past its end, and one list.html
    column sits behind a JS redirect stub, so both quirks always exist.
    """
    cycle = list(PAGINATIONS)
    rng.shuffle(cycle)
    for i, dept in enumerate(departments):
        dept.report_column.pagination = cycle[i % len(cycle)]
    repeating = _first(departments, "trs0")
    if repeating is not None:
        repeating.repeat_beyond_end = True
    stubbed = _first(departments, "listhtml")
    if stubbed is not None:
        stubbed.stub = True
    assign_dialects(departments)


def assign_dialects(departments: list[Department]) -> None:
    """One listing template per department, and pager variants on every other column of a pagination.

    Deterministic by department order (no draw from the generator), so adding dialects left
    every other part of a seed's site as it was.
    """
    seen: dict[str, int] = {}
    for i, dept in enumerate(departments):
        dialect = LISTING_DIALECTS[(i + 1) % len(LISTING_DIALECTS)]
        for column in (dept.report_column, *dept.other_columns):
            column.dialect = dialect
        report = dept.report_column
        occurrence = seen[report.pagination] = seen.get(report.pagination, -1) + 1
        if report.pagination != "trs6" and occurrence % 2 == 0:
            report.pager_flavour = "variant"
    assign_link_styles(departments)


def assign_link_styles(departments: list[Department]) -> None:
    """Each department's link style and article extension, in turn and out of step with each other.

    By department order, like the listing dialects: three departments already show every link
    style and every extension, each in a different pair.
    """
    for i, dept in enumerate(departments):
        style, ext = LINK_STYLES[i % len(LINK_STYLES)], ARTICLE_EXTS[(i + i // 3) % len(ARTICLE_EXTS)]
        for column in (dept.report_column, *dept.other_columns):
            column.link_style, column.article_ext = style, ext


def _first(departments: list[Department], pagination: str) -> Column | None:
    return next((d.report_column for d in departments if d.report_column.pagination == pagination), None)


def city_column() -> Column:
    """The city-level 年报 column under 政府信息公开目录 (governments' own reports)."""
    return Column(CITY_REPORT_COLUMN, REPORT_COLUMN_NAME, pagination="trs0", page_size=10)
