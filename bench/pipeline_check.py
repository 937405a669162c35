"""Correctness of a pipeline benchmark run: what a data dir holds against the replica's manifest."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from db.database import Database
from db.queries import report_cells, report_rows
from nianbao.config import Settings

PORTAL = "nxzw-replica"


@dataclass(frozen=True)
class Check:
    """Reports stored in one data dir compared with the manifest."""

    expected: int  # manifest reports a crawler can get: not robots-disallowed, not lost to faults
    stored: int  # report rows in the database
    missing: int  # expected (agency, year) pairs with no report row
    cells_expected: int  # expected reports that are not image-only, so have cells to compare
    cells_exact: int  # of those, stored with exactly the manifest's cells

    @property
    def ok(self) -> bool:
        return self.stored == self.expected and self.missing == 0

    def line(self) -> str:
        verdict = "OK" if self.ok else "MISMATCH"
        return (
            f"stored {self.stored} / expected {self.expected} ({verdict}, missing {self.missing}); "
            f"cells exact {self.cells_exact}/{self.cells_expected}"
        )


def recoverable(report: dict[str, Any]) -> bool:
    return not (report["flags"]["robots_disallowed"] or report.get("unrecoverable"))


def check_data_dir(data_dir: Path, manifest: dict[str, Any]) -> Check:
    """Count the report rows of `data_dir` and compare their cells with the manifest's."""
    database = Database(Settings.from_env({"NIANBAO_DATA_DIR": str(data_dir)}).database_url)
    try:
        with database.transaction() as session:
            rows = {(r.agency, r.year) for r in report_rows(session, [PORTAL])}
            cells = {(a, y): c for (_, a, y), c in report_cells(session, [PORTAL]).items()}
    finally:
        database.dispose()
    wanted = [r for r in manifest["reports"] if recoverable(r)]
    with_cells = [r for r in wanted if not r["flags"]["image_only"]]
    exact = sum(cells.get((r["agency"], r["year"])) == _truth(r) for r in with_cells)
    missing = sum((r["agency"], r["year"]) not in rows for r in wanted)
    return Check(len(wanted), len(rows), missing, len(with_cells), exact)


def _truth(report: dict[str, Any]) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) for k, v in report["cells"].items()}
