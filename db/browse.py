"""A browsing copy for `nianbao serve`: the database's reports as tidy SQLite tables, and Datasette's metadata.

The stored tables are built for collecting (cells keyed for storage, findings as JSON), not for reading, so
`serve` shows them as they are beside a generated database of readable tables:

- `reports`: the wide export layout (a column per codebook key, described by its printed labels),
- `cells`: the long layout (a row per report and cell, with its labels),
- `compliance` and `failed_checks`: db/compliance.py's view (a row per agency and year; per failed check cell),
- `codebook`: every key and what the template prints for it.

Every table is written from a stream (db/export_rows.py, one portal's compliance at a time), so memory stays
flat; the canned queries answer the compliance questions from the `compliance` table, so the rules stay in
db/queries.py and are not rewritten in SQL.

Building takes minutes on a large database, so the copy is kept: it records what it was built from (a stamp
the caller gives, naming the source's state, plus the code that shapes these tables), and `current()` says
whether a kept copy still answers for that stamp. A copy is written under another name and renamed into
place when whole, so an interrupted build never passes for a finished one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Final

from sqlmodel import Session

from db import codebook
from db.compliance import STATUS_LABELS, ComplianceRow, ParserFacts, iter_portal_compliance, stored_portals
from db.export import layout, wide_keys
from db.export_rows import ExportFilter, stream_reports

NAME: Final = "browse"  # the generated database's name in Datasette (its file stem)
BUILD_TABLE: Final = "_nianbao_build"  # what the copy was built from (hidden in Datasette)
# The modules whose code shapes the browsing tables: a change to any rebuilds kept copies.
_SHAPING_MODULES: Final = ("browse", "export", "export_rows", "compliance", "queries", "codebook")
_CHUNK: Final = 2_000  # rows per executemany: what one write holds

COMPLIANCE_COLUMNS: Final = ("portal", "agency", "year", "status", "deadline", "published_on", "days_late",
                             "generation", "template", "checks", "reading", "parse_status", "source_url",
                             "notes")  # fmt: skip
CHECK_COLUMNS: Final = ("portal", "agency", "year", "rule", "equation", "detail", "key", "label", "value")


@dataclass(frozen=True)
class BrowseCounts:
    reports: int
    cells: int
    agency_years: int
    failed_check_cells: int


def current(path: Path, stamp: str) -> BrowseCounts | None:
    """The counts of the copy kept at `path` when it was built for `stamp` by this code; None when it must be
    (re)built: missing, unreadable, built from another state of the source, or by other code."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute(
            f'SELECT stamp, reports, cells, agency_years, failed_check_cells FROM "{BUILD_TABLE}"'
        ).fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    if row is None or row[0] != _full_stamp(stamp):
        return None
    return BrowseCounts(*row[1:])


def seal(built: Path, counts: BrowseCounts, stamp: str, path: Path) -> None:
    """Record in the copy at `built` the stamp it answers for, then move it to `path` in one rename, so a
    copy found at `path` is whole. Seal once the source's own connections are closed: closing one may
    checkpoint the source, which changes the files its stamp is read from."""
    conn = sqlite3.connect(built)
    try:
        conn.execute(f'CREATE TABLE "{BUILD_TABLE}" (stamp TEXT, reports INTEGER, cells INTEGER, '
                     "agency_years INTEGER, failed_check_cells INTEGER)")  # fmt: skip
        values = (_full_stamp(stamp), *asdict(counts).values())
        conn.execute(f'INSERT INTO "{BUILD_TABLE}" VALUES (?, ?, ?, ?, ?)', values)
        conn.commit()
    finally:
        conn.close()
    os.replace(built, path)


def _full_stamp(stamp: str) -> str:
    return f"{stamp}|code {_code_digest()}"


@cache
def _code_digest() -> str:
    digest = hashlib.sha256()
    for module in _SHAPING_MODULES:
        digest.update((Path(__file__).parent / f"{module}.py").read_bytes())
    return digest.hexdigest()[:16]


def build(session: Session, path: Path, facts: ParserFacts) -> BrowseCounts:
    """Write the browsing database at `path` (replaced if there) from what `session` sees."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    try:
        keys = wide_keys()
        columns, rows = layout(stream_reports(session, ExportFilter()), "wide", keys)
        reports = _table(conn, "reports", columns, rows)
        columns, rows = layout(stream_reports(session, ExportFilter()), "long", keys)
        cells = _table(conn, "cells", columns, rows)
        agency_years = checks = 0
        _table(conn, "compliance", COMPLIANCE_COLUMNS, ())  # there for the canned queries, even empty
        _table(conn, "failed_checks", CHECK_COLUMNS, ())
        for portal_id in stored_portals(session):
            view = iter_portal_compliance(session, portal_id, None, facts)
            while chunk := list(itertools.islice(view, _CHUNK)):
                agency_years += _table(conn, "compliance", COMPLIANCE_COLUMNS, map(_compliance_row, chunk))
                checks += _table(conn, "failed_checks", CHECK_COLUMNS, _check_rows(chunk))
        book = codebook.entries()
        _table(conn, "codebook", codebook.COLUMNS, (tuple(asdict(e).values()) for e in book))
        for table, column in (("compliance", "status"), ("compliance", "year"), ("cells", "key"),
                              ("failed_checks", "agency")):  # fmt: skip
            conn.execute(f'CREATE INDEX IF NOT EXISTS "{table}_{column}" ON "{table}" ("{column}")')
        conn.commit()
    finally:
        conn.close()
    return BrowseCounts(reports, cells, agency_years, checks)


def _table(conn: sqlite3.Connection, name: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> int:
    """Create `name` if new and append `rows`, in chunks; the count written."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    declared = ", ".join(f'"{c}" {_column_type(c)}' for c in columns)
    conn.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ({declared})')
    insert = f'INSERT INTO "{name}" ({quoted}) VALUES ({", ".join("?" * len(columns))})'
    count = 0
    it: Iterator[tuple[Any, ...]] = iter(rows)
    while chunk := list(itertools.islice(it, _CHUNK)):
        conn.executemany(insert, [tuple(map(_sqlite_value, row)) for row in chunk])
        count += len(chunk)
    return count


def _column_type(column: str) -> str:
    """Declared types give the columns affinity: Datasette's filters send '2023' as text, and an INTEGER
    column compares it as the number."""
    if column in _INTEGERS:
        return "INTEGER"
    return "NUMERIC" if column == "value" or column in _cell_keys() else "TEXT"


_INTEGERS: Final = frozenset({"year", "days_late", "version", "findings"})


@cache
def _cell_keys() -> frozenset[str]:
    return frozenset(e.key for e in codebook.entries())


def _sqlite_value(value: Any) -> Any:
    """Numbers as numbers (so they sort and sum), dates as ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value)) or None
    return value


def _compliance_row(r: ComplianceRow) -> tuple[Any, ...]:
    return (r.portal_id, r.agency, r.year, r.status, r.deadline, r.published_on, r.days_late, r.generation,
            r.template, r.checks, r.reading, r.parse_status, r.source_url, r.notes)  # fmt: skip


def _check_rows(view: list[ComplianceRow]) -> Iterator[tuple[Any, ...]]:
    for r in view:
        for check in r.failed_checks:
            for cell in check.cells:
                yield (r.portal_id, r.agency, r.year, check.rule, check.equation, check.detail, cell.key,
                       cell.label, cell.value)  # fmt: skip


# ---- Datasette metadata -------------------------------------------------------------------


# A box left empty means every portal or year.
_SCOPE: Final = "(:portal = '' OR portal = :portal) AND (:year = '' OR year = :year)"
QUERIES: Final = {
    "published": {
        "title": "Did every agency publish?",
        "description": "Each agency and year: on time, late, not published or not collected. Leave a box empty "
        "for every portal or year.",
        "sql": f"SELECT portal, agency, year, status, published_on, deadline, days_late, source_url FROM compliance "
        f"WHERE {_SCOPE} ORDER BY portal, year, agency",
    },
    "late": {
        "title": "Which reports were late, and by how many days?",
        "description": "Published after the deadline: 31 January of the following year (31 March for people's "
        "governments).",
        "sql": f"SELECT portal, agency, year, published_on, deadline, days_late, source_url FROM compliance "
        f"WHERE status = 'late' AND {_SCOPE} ORDER BY days_late DESC, portal, agency",
    },
    "not_published": {
        "title": "Which agencies published nothing?",
        "description": "No report stored for the year, with why when it is known (not collected: the reason).",
        "sql": f"SELECT portal, agency, year, status, notes FROM compliance "
        f"WHERE status IN ('not_published', 'not_collected') AND {_SCOPE} ORDER BY portal, year, agency",
    },
    "outdated_template": {
        "title": "Which reports use an outdated template?",
        "description": "Reports of 2021 or later on the 2019 template (or earlier ones on another).",
        "sql": f"SELECT portal, agency, year, generation, source_url FROM compliance "
        f"WHERE template = 'outdated' AND {_SCOPE} ORDER BY portal, year, agency",
    },
    "failed_checks": {
        "title": "Which consistency checks failed, and with which cells?",
        "description": "A row per cell of each failed equation: its printed labels and the value read "
        "(empty: blank, counted as 0).",
        "sql": f"SELECT portal, agency, year, rule, equation, key, label, value, detail FROM failed_checks "
        f"WHERE {_SCOPE} ORDER BY portal, agency, year, rule, equation",
    },
}


def metadata(main: str) -> dict[str, Any]:
    """Datasette's metadata: titles, the codebook's labels as column descriptions, the canned queries.

    `main` is the served database's name in Datasette (its file stem).
    """
    labels = {e.key: _describe(e) for e in codebook.entries()}
    statuses = ", ".join(f"{k} ({v})" for k, v in STATUS_LABELS.items())
    return {
        "title": "nianbao: government information-disclosure annual reports",
        "description": f"{NAME}: readable tables generated from it (reports, cells, compliance, failed checks, "
        f"codebook) and the compliance questions as canned queries; {main}: the stored tables as they are "
        "(read-only).",
        "databases": {
            NAME: {
                "queries": QUERIES,
                "tables": {
                    "reports": {
                        "description": "A row per report (the wide export): a column per codebook key.",
                        "columns": labels,
                    },
                    "cells": {
                        "description": "A row per report and cell, with the template's printed labels.",
                        "columns": {"key": "canonical cell key (see the codebook table)", "value": "as read"},
                    },
                    "compliance": {
                        "description": "A row per agency and year (nianbao compliance).",
                        "facets": ["year", "status", "template", "checks", "reading"],
                        "columns": {
                            "status": statuses,
                            "days_late": "days after the deadline (31 January; 31 March for people's governments)",
                            "template": "current | outdated | unknown (not read) | - (nothing published)",
                            "checks": "passed | failed | not checked (not read) | -",
                            "reading": "text | ocr (the parser's OCR warning on the report) | none",
                        },
                    },
                    "failed_checks": {"description": "A row per cell of each failed consistency equation."},
                    "codebook": {"description": "What every canonical cell key means (nianbao codebook)."},
                    BUILD_TABLE: {"hidden": True},
                },
            },
            main: {"description": "The stored tables, read-only."},
        },
    }


def _describe(entry: codebook.CodebookEntry) -> str:
    labels = " / ".join(filter(None, (entry.row_label, entry.column_label)))
    return f"{labels} ({entry.unit}; {entry.section}; templates {entry.generations})"
