"""Which reports the site publishes, where, when, in which variant, and their truths.

A `Draft` fixes everything structural about a report from the structure generator;
`realise` turns it into a `Report` for one revision by drawing its truth from a
generator seeded by (seed, report id, version), so unrevised reports are identical in
every revision and revised ones change values without moving.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field, replace
from typing import Final

from replica.departments import GOVERNMENTS
from replica.naming import month_folder
from replica.plan import Column, Department, Report, Variant
from reportgen.rules import RULES
from reportgen.style import style_of
from reportgen.truth import ReportTruth, TruthOptions, generation_for_year, random_truth, report_title

_VARIANT_WEIGHTS: Final[dict[Variant, int]] = {"html": 50, "html_pdf": 20, "pdf_only": 10, "docx": 10, "xlsx": 10}
# Flags given to exactly one HTML-only department report each (image turns it into 图片版).
# split_script last, so the other flags fall where they always fell.
SPECIAL_FLAGS: Final = ("image_only", "gbk", "split", "title_without_agency", "robots_disallowed", "split_script")
Crumb = tuple[tuple[str, str], ...]  # (href, name) steps of an article's 当前位置 line
_CITY_CRUMB: Final[Crumb] = (
    ("/", "首页"),
    ("/zwgk/", "政府信息公开"),
    ("/zwgk/zfxxgkml/", "政府信息公开目录"),
    ("/zwgk/zfxxgkml/zfxxgknb/", "政府信息公开年报"),
)


@dataclass
class Draft:
    """A report's structure, before its truth is drawn."""

    id: str
    agency: str
    year: int
    column: Column
    breadcrumb: Crumb
    department: str | None
    day: dt.date
    deadline: dt.date
    generation: str
    variant: Variant = "html"
    flags: set[str] = field(default_factory=set)
    options: TruthOptions = field(default_factory=TruthOptions)
    word_pasted: bool = False
    onclick: bool = False
    folder_year: int | None = None


def _truth_options(rng: random.Random, generation: str) -> TruthOptions:
    broken, blank, mixed, rule = rng.random(), rng.random(), rng.random(), rng.choice(RULES)
    return {
        "break_rule": rule if broken < 0.12 else None,
        "blank_cells": blank < 0.15,
        "mixed_other_handling": generation == "2021" and mixed < 0.06,
    }


def _department_day(rng: random.Random, year: int) -> tuple[dt.date, bool]:
    """Mostly 15-29 January of year+1; a few late ones in February or March."""
    late, month, day = rng.random() < 0.06, rng.choice((2, 3)), rng.randint(1, 28)
    if late:
        return dt.date(year + 1, month, day), True
    return dt.date(year + 1, 1, rng.randint(15, 29)), False


def _outdated(rng: random.Random, count: int) -> set[int]:
    """Indexes of departments that keep the 2019 template after 2020."""
    return set(rng.sample(range(count), k=max(1, count // 8))) if count >= 4 else set()


def department_drafts(
    rng: random.Random, departments: list[Department], years: range, per_department: int | None
) -> list[Draft]:
    """One draft per department and year (the last `per_department` years when given)."""
    every = list(years)
    chosen = every if per_department is None else every[len(every) - min(per_department, len(every)) :]
    outdated = _outdated(rng, len(departments))
    drafts = []
    for index, dept in enumerate(departments):
        for year in chosen:
            drafts.append(_department_draft(rng, dept, year, index in outdated))
    return drafts


def _department_draft(rng: random.Random, dept: Department, year: int, outdated: bool) -> Draft:
    day, late = _department_day(rng, year)
    keeps_old = outdated and year >= 2021
    generation = "2019" if keeps_old else generation_for_year(year)
    draft = Draft(
        id=f"{dept.slug.split('_')[0]}-{year}",
        agency=dept.name,
        year=year,
        column=dept.report_column,
        breadcrumb=(
            ("/", "首页"),
            ("/zwgk/", "政府信息公开"),
            ("/zwgk/bmxxgkml/", "部门信息公开"),
            (dept.home, dept.name),
            (dept.report_column.entry, dept.report_column.name),
        ),
        department=dept.slug,
        day=day,
        deadline=dt.date(year + 1, 1, 31),
        generation=generation,
        options=_truth_options(rng, generation),
        word_pasted=rng.random() < 0.35,
        onclick=rng.random() < 0.08,
    )
    draft.flags |= {"late"} if late else set()
    draft.flags |= {"outdated_template"} if keeps_old else set()
    return draft


def assign_variants(rng: random.Random, drafts: list[Draft]) -> None:
    """Draw each department report's variant; make sure every variant occurs once."""
    names, weights = list(_VARIANT_WEIGHTS), list(_VARIANT_WEIGHTS.values())
    for draft in drafts:
        draft.variant = rng.choices(names, weights=weights)[0]
    present = {d.variant for d in drafts}
    pool = _shuffled_html(rng, drafts)
    for variant in names:
        if variant not in present and len(pool) > 1:
            pool.pop().variant = variant


def assign_specials(rng: random.Random, drafts: list[Draft]) -> None:
    """Give each special flag to a distinct HTML-only report, and one onclick link at least."""
    pool = _shuffled_html(rng, drafts)
    for flag in SPECIAL_FLAGS:
        if not pool:
            break
        draft = pool.pop()
        draft.flags.add(flag)
        if flag == "image_only":
            draft.variant = "image"
    if drafts and not any(d.onclick for d in drafts):
        rng.choice(drafts).onclick = True


def _shuffled_html(rng: random.Random, drafts: list[Draft]) -> list[Draft]:
    pool = [d for d in drafts if d.variant == "html" and not d.flags & set(SPECIAL_FLAGS)]
    rng.shuffle(pool)
    return pool


def government_drafts(rng: random.Random, column: Column, years: range) -> list[Draft]:
    """The city and county governments' reports, due 31 March, in year folders.

    The city's report for the second-last year sits in the previous year's folder and
    came out in January: the year-folder mismatch of portals.md §6.
    """
    drafts = []
    mismatch_year = years[-2] if len(years) > 1 else None
    for name, slug in GOVERNMENTS.items():
        for year in years:
            draft = _government_draft(rng, column, name, slug, year)
            if name.startswith("中卫市人民政府") and year == mismatch_year:
                draft.folder_year, draft.day = year - 1, dt.date(year + 1, 1, rng.randint(20, 29))
                draft.flags.add("year_folder_mismatch")
            drafts.append(draft)
    return drafts


def _government_draft(rng: random.Random, column: Column, name: str, slug: str, year: int) -> Draft:
    generation = generation_for_year(year)
    return Draft(
        id=f"{slug}-{year}",
        agency=name,
        year=year,
        column=column,
        breadcrumb=_CITY_CRUMB,
        department=None,
        day=dt.date(year + 1, 3, rng.randint(10, 31)),
        deadline=dt.date(year + 1, 3, 31),
        generation=generation,
        variant="html_pdf" if rng.random() < 0.4 else "html",
        options=_truth_options(rng, generation),
        word_pasted=rng.random() < 0.35,
        folder_year=year,
    )


def revision_history(seed: int, revision: int, ids: list[str]) -> dict[str, list[int]]:
    """Report id -> the revisions (1..revision) that changed it; about a tenth per revision."""
    history: dict[str, list[int]] = {}
    for rev in range(1, revision + 1):
        ranked = sorted(ids, key=lambda i: hashlib.sha256(f"{seed}|rev{rev}|{i}".encode()).digest())
        for report_id in ranked[: max(1, len(ids) // 10)]:
            history.setdefault(report_id, []).append(rev)
    return history


def display_title(draft: Draft) -> str:
    """The title as published: standard, without the agency, or with （图片版）."""
    if "title_without_agency" in draft.flags:
        return f"{draft.year}年政府信息公开工作年度报告"
    suffix = "（图片版）" if draft.variant == "image" else ""
    return report_title(draft.agency, draft.year) + suffix


def _draw_truth(seed: int, draft: Draft, version: int, salt: int = 0) -> ReportTruth:
    rng = random.Random(f"replica-truth|{seed}|{draft.id}|v{version}|{salt}")
    truth = random_truth(rng, generation=draft.generation, year=draft.year, agency=draft.agency, **draft.options)
    return replace(truth, published_on=draft.day, title=display_title(draft))


def build_truth(seed: int, draft: Draft, version: int) -> ReportTruth:
    """The truth of `draft` at `version`; a revised version always differs in its cells."""
    truth = _draw_truth(seed, draft, version)
    if version == 0:
        return truth
    original = _draw_truth(seed, draft, 0)
    salt = 0
    while truth.cells == original.cells and salt < 50:
        salt += 1
        truth = _draw_truth(seed, draft, version, salt)
    return truth


def realise(seed: int, draft: Draft, revisions: list[int]) -> Report:
    """The report of `draft` as published at the latest of `revisions` (none: the original)."""
    truth = build_truth(seed, draft, len(revisions))
    clock = dt.time.fromisoformat(style_of(truth).publish_time)
    year_folder = f"{draft.folder_year}n/" if draft.folder_year else ""
    return Report(
        id=draft.id,
        agency=draft.agency,
        year=draft.year,
        generation=draft.generation,
        column=draft.column.path,
        department=draft.department,
        breadcrumb=draft.breadcrumb,
        published=dt.datetime.combine(draft.day, clock),
        variant=draft.variant,
        folder=draft.column.path + year_folder + month_folder(draft.day),
        title=truth.title,
        truth=truth,
        deadline=draft.deadline,
        flags=set(draft.flags),
        word_pasted=draft.word_pasted,
        onclick=draft.onclick,
        revisions=list(revisions),
    )
