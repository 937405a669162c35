"""The Hanweb site's manifest: the TRS manifest's shape, with the Hanweb ids and URLs.

Reports are `replica.manifest.report_entry` (the same truth, flags and canonical document),
with the Hanweb article dialect and a `search_only` flag; columns carry their jpage ids,
page size, group size, totals and the records in order.
"""

from __future__ import annotations

from typing import Any

from replica.hanweb.layout import DOWNFILE, WEBSITE_ID, HanwebColumn, HanwebDepartment, Layout
from replica.hanweb.listing import ajax_param
from replica.manifest import report_entry
from replica.plan import Article, Report
from replica.planner import SitePlan


def column_entry(column: HanwebColumn, layout: Layout) -> dict[str, Any]:
    return {
        "path": column.path,
        "name": column.name,
        "column_id": column.column_id,
        "unit_id": column.unit_id,
        "web_id": column.web_id,
        "webname": column.webname,
        "per_page": column.per_page,
        "group_size": column.group_size,
        "total_record": len(column.entries),
        "initial_records": column.initial_records,
        "param_style": column.param_style,
        "record_dialect": column.record_dialect,
        "ajax_param": ajax_param(column),
        "dataproxy": layout.dataproxy,
        "entries": len(column.entries),
        "items": [e.link_path for e in column.entries],  # what its records link, in record order
        # index.html?uid=<unitid>&pageNum=N, pages 2.. (page 1 is `path`; past the end answers page 1)
        "static_pages": [column.static_page(n) for n in range(2, column.page_count + 1)],
    }


def _department(hdept: HanwebDepartment, layout: Layout) -> dict[str, Any]:
    dept = hdept.department
    return {
        "name": dept.name,
        "slug": dept.slug,
        "group": dept.group,
        "home": hdept.home,
        "web_id": hdept.web_id,
        "webname": hdept.webname,
        "article_dialect": hdept.article_dialect,
        "file_links": hdept.file_links,
        "hex_articles": hdept.hex_articles,
        "report_column": column_entry(hdept.report_column, layout),
        "other_columns": [c.path for c in hdept.columns if c is not hdept.report_column],
    }


def _report(report: Report, layout: Layout) -> dict[str, Any]:
    entry = report_entry(report)
    entry["article_dialect"] = layout.dialects[report.id]
    entry["flags"]["search_only"] = report.id == layout.search_only
    return entry


def _article(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "path": article.path,
        "column": article.column,
        "published_on": article.published.date().isoformat(),
    }


def build_hanweb_manifest(plan: SitePlan, layout: Layout) -> dict[str, Any]:
    """The whole site's truth: departments, columns, reports, false positives, robots, endpoints."""
    return {
        "site": {
            "name": "中卫市人民政府",
            "family": "hanweb",
            "seed": plan.seed,
            "revision": plan.revision,
            "years": list(plan.years),
            "home": "/index.html",
            "zwgk": f"/col/col{layout.zwgk_id}/index.html",
            "catalogue": f"/col/col{layout.catalogue_id}/index.html",
            "dataproxy": layout.dataproxy,
            "downfile": DOWNFILE,
            "jsearchfront": {
                "html": "/jsearchfront/search.do",
                "json": "/jsearchfront/interfaces/cateSearch.do",
                "websiteid": WEBSITE_ID,
            },
            "jrobot": {"endpoint": "/jrobot/search.do", "webid": "1"},
        },
        "departments": [_department(d, layout) for d in layout.departments],
        "city_column": column_entry(layout.city, layout),
        "reports": [_report(r, layout) for r in plan.reports],
        "false_positives": [_article(a) for a in plan.articles if a.false_positive],
        "other_articles": [_article(a) for a in plan.articles if not a.false_positive],
        "robots_disallow": plan.robots_disallow,
    }
