"""The compliance artifact's table past what an artifact can show: the agency-years needing a look first."""

from __future__ import annotations

import datetime as dt

import pytest

from db.compliance import ComplianceRow
from flows import artifacts


def _row(i: int, status: str) -> ComplianceRow:
    return ComplianceRow("nxzw", f"局{i:03d}", 2023, status, dt.date(2024, 1, 31))


def test_problems_first_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(artifacts, "MAX_COMPLIANCE_ROWS", 3)
    rows = [_row(0, "on_time"), _row(1, "on_time"), _row(2, "late"), _row(3, "on_time"), _row(4, "not_published")]
    table, description = artifacts.compliance_table(rows, [2023])
    assert [(r["agency"], r["status"]) for r in table] == [("局002", "late"), ("局004", "not_published"),
                                                           ("局000", "on_time")]  # fmt: skip
    assert description == ("Compliance per agency and year (2023): 5 agency-years: 1 late, 1 not published, "
                           "0 with failed checks; the first 3 shown, those needing a look first "
                           "(nianbao compliance lists all)")  # fmt: skip
    table, description = artifacts.compliance_table(rows[:3], [2023])
    assert [r["agency"] for r in table] == ["局000", "局001", "局002"]  # within the limit: the view's own order
    assert "shown" not in description
