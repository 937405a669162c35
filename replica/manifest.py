"""The manifest: the truth of the replica site as JSON-safe data, for tests and demos.

Decimals (money cells) are strings so no precision is lost; dates are ISO strings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

from replica.listing import page_paths
from replica.pages import IRS_CODE, IRS_TENANT
from replica.plan import Article, Attachment, Column, Department, Report
from replica.planner import SitePlan

# Every flag a report may carry; the manifest lists each as a boolean.
FLAG_NAMES: Final = (
    "robots_disallowed",
    "image_only",
    "gbk",
    "split",
    "split_script",
    "title_without_agency",
    "year_folder_mismatch",
    "late",
    "outdated_template",
)


def _cell(value: int | Decimal) -> int | str:
    return str(value) if isinstance(value, Decimal) else value


def _flags(report: Report) -> dict[str, Any]:
    flags: dict[str, Any] = {name: name in report.flags for name in FLAG_NAMES}
    flags |= {"pdf_only": report.variant == "pdf_only", "onclick": report.onclick, "word_pasted": report.word_pasted}
    flags["revised_in_revision"] = report.revisions[-1] if report.revisions else None
    return flags


def _attachment(a: Attachment) -> dict[str, Any]:
    return {
        "path": a.path,
        "kind": a.kind,
        "title": a.title,
        "in_script": a.in_script,
        "oldsrc": a.oldsrc,
        "embedded": a.embedded,
    }


def report_entry(report: Report) -> dict[str, Any]:
    """One report: identity, where it lives, which document is canonical, its truth."""
    kind, path = report.canonical
    truth = report.truth
    return {
        "id": report.id,
        "agency": report.agency,
        "year": report.year,
        "generation": report.generation,
        "title": report.title,
        "published_on": report.published.date().isoformat(),
        "published_at": report.published.strftime("%Y-%m-%d %H:%M"),
        "deadline": report.deadline.isoformat(),
        "department": report.department,
        "column": report.column,
        "variant": report.variant,
        "article": report.article,
        "continuation": report.continuation,
        "article_dialect": report.article_dialect,
        "link_style": report.link_style,
        "attachments": [_attachment(a) for a in report.attachments],
        "canonical": {"kind": kind, "path": path},
        "cells": {key: _cell(value) for key, value in truth.cells.items()},
        "expected_checks": truth.expected_checks(),
        "broken_rules": sorted(truth.broken_rules),
        "mixed_other_handling": truth.mixed_other_handling,
        "region": truth.region,
        "flags": _flags(report),
        "revisions": list(report.revisions),
    }


def column_entry(column: Column) -> dict[str, Any]:
    return {
        "path": column.path,
        "name": column.name,
        "pagination": column.pagination,
        "first_page": column.first_page,
        "page_size": column.page_size,
        "pages": page_paths(column),
        "stub": column.stub,
        "repeat_beyond_end": column.repeat_beyond_end,
        "entries": len(column.entries),
        "items": [e.link_path for e in column.entries],  # what its listing links, in page order
        "dialect": column.dialect,
        "pager_flavour": column.pager_flavour,
        "link_style": column.link_style,
        "article_ext": column.article_ext,
    }


def _department(dept: Department) -> dict[str, Any]:
    return {
        "name": dept.name,
        "slug": dept.slug,
        "group": dept.group,
        "home": dept.home,
        "report_column": column_entry(dept.report_column),
        "other_columns": [c.path for c in dept.other_columns],
    }


def _article(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "path": article.path,
        "column": article.column,
        "published_on": article.published.date().isoformat(),
    }


def build_manifest(plan: SitePlan) -> dict[str, Any]:
    """The whole site's truth: departments, columns, reports, false positives, robots."""
    return {
        "site": {
            "name": "中卫市人民政府",
            "seed": plan.seed,
            "revision": plan.revision,
            "years": list(plan.years),
            "home": "/",
            "irs": {
                "endpoint": "/irs/front/search",
                "code": IRS_CODE,
                "tenant_id": IRS_TENANT,
                "config_tenant_id": "19",
            },
        },
        "departments": [_department(d) for d in plan.departments],
        "city_column": column_entry(plan.city),
        "reports": [report_entry(r) for r in plan.reports],
        "false_positives": [_article(a) for a in plan.articles if a.false_positive],
        "other_articles": [_article(a) for a in plan.articles if not a.false_positive],
        "robots_disallow": plan.robots_disallow,
    }
