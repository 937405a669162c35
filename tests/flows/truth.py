"""Comparing what the flows stored with the replica's manifest (its ground truth)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from db.database import Database
from db.queries import report_cells, report_rows
from nianbao.config import Settings

PORTAL = "nxzw-replica"


def stored_cells(portal: str = PORTAL) -> dict[tuple[str, int], dict[str, Decimal]]:
    database = Database(Settings.from_env().database_url)
    try:
        with database.transaction() as session:
            return {(a, y): cells for (_, a, y), cells in report_cells(session, [portal]).items()}
    finally:
        database.dispose()


def stored_rows(portal: str = PORTAL) -> dict[tuple[str, int], Any]:
    database = Database(Settings.from_env().database_url)
    try:
        with database.transaction() as session:
            return {(r.agency, r.year): r for r in report_rows(session, [portal])}
    finally:
        database.dispose()


def truth_cells(report: dict[str, Any]) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) for k, v in report["cells"].items()}


def recoverable(report: dict[str, Any]) -> bool:
    """Reports a crawler can and must get: not robots-excluded, not lost to faults, not image-only."""
    flags = report["flags"]
    return not (flags["robots_disallowed"] or flags["image_only"] or report.get("unrecoverable"))
