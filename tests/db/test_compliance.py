"""The compliance view, per agency and year, on SQLite and PostgreSQL: published or not, on time or late by how
many days, template current or outdated, which checks failed with the cells involved, OCR or text."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from db.blobs import BlobStore
from db.compliance import ParserFacts, portal_compliance, year_counts
from db.database import Database
from db.failures import record_failure
from nianbao.cli import app
from parsers.checks import equation_cells, run_checks
from parsers.model import ParsedReport, ReadSource
from parsers.ocr import OCR_WARNING
from tests.db.helpers import PORTAL, ingest, parsed

FACTS = ParserFacts(check_cells=equation_cells)
# Six applicant columns that do not add up to the total the report printed (7 + 1 ≠ 9).
UNBALANCED = {"applications.new.natural_person": 7, "applications.new.commercial": 1, "applications.new.total": 9}


def _report(agency: str, year: int, published: dt.date, **changes: Any) -> ParsedReport:
    report = parsed({"applications.new.total": 3, "applications.new.natural_person": 3})
    return dataclasses.replace(report, agency=agency, year=year, published_on=published, **changes)


@pytest.fixture
def stored(database: Database, blobs: BlobStore) -> Database:
    def put(agency: str, year: int, result: ParsedReport) -> None:
        ingest(database, blobs, f"https://www.nxzw.gov.cn/{agency}/{year}.html", f"{agency}{year}".encode(), result,
               agency=agency, year=year)  # fmt: skip

    put("中卫市商务局", 2023, _report("中卫市商务局", 2023, dt.date(2024, 1, 25)))
    put("中卫市教育局", 2023, _report("中卫市教育局", 2023, dt.date(2024, 3, 1)))  # 30 days after 31 January
    put("中卫市财政局", 2022, _report("中卫市财政局", 2022, dt.date(2023, 1, 20)))  # and nothing for 2023
    put("中卫市民政局", 2023, _report("中卫市民政局", 2023, dt.date(2024, 1, 5), generation="2019"))
    ocr = _report("中卫市水务局", 2023, dt.date(2024, 1, 8), warnings=[OCR_WARNING], source=ReadSource.OCR)
    put("中卫市水务局", 2023, ocr)
    checks = run_checks({k: Decimal(v) for k, v in UNBALANCED.items()}, "2021")
    put("中卫市审计局", 2023, _report("中卫市审计局", 2023, dt.date(2024, 1, 9), cells=UNBALANCED, checks=checks))
    with database.transaction() as session:
        record_failure(session, PORTAL, "https://www.nxzw.gov.cn/ga/2023.html", "discover", "HTTP 503",
                       agency="中卫市公安局", year=2023)  # fmt: skip
    return database


def test_each_agency_and_year(stored: Database) -> None:
    with stored.transaction() as session:
        rows = {r.agency: r for r in portal_compliance(session, PORTAL, [2023], FACTS)}
    assert sorted(rows) == sorted(["中卫市商务局", "中卫市教育局", "中卫市财政局", "中卫市民政局", "中卫市水务局",
                                   "中卫市审计局", "中卫市公安局"])  # fmt: skip
    ok = rows["中卫市商务局"]
    assert (ok.status, ok.days_late, ok.template, ok.checks, ok.reading) == ("on_time", None, "current", "passed",
                                                                           "text")  # fmt: skip
    assert ok.deadline == dt.date(2024, 1, 31) and ok.source_url == "https://www.nxzw.gov.cn/中卫市商务局/2023.html"
    late = rows["中卫市教育局"]
    assert (late.status, late.days_late, late.published_on) == ("late", 30, dt.date(2024, 3, 1))
    missing = rows["中卫市财政局"]
    assert missing.status == "not_published" and missing.published_on is None
    assert missing.notes == ("published a 2022 report but none for 2023 yet",)
    assert rows["中卫市民政局"].template == "outdated" and rows["中卫市民政局"].generation == "2019"
    assert rows["中卫市水务局"].reading == "ocr"
    gap = rows["中卫市公安局"]
    assert gap.status == "not_collected" and gap.notes == ("not collected: HTTP 503",)


def test_failed_check_names_every_cell_of_its_equation(stored: Database) -> None:
    with stored.transaction() as session:
        [row] = [r for r in portal_compliance(session, PORTAL, [2023], FACTS) if r.agency == "中卫市审计局"]
    assert row.checks == "failed"
    [check] = [c for c in row.failed_checks if c.rule == "row_totals"]
    assert check.equation == "new" and "difference -1" in check.detail
    cells = {c.key: c.value for c in check.cells}
    # The stored detail names only "sum of 2 cells"-style text; the equation has all seven cells.
    assert len(cells) == 7
    assert cells["applications.new.natural_person"] == 7 and cells["applications.new.total"] == 9
    assert cells["applications.new.research"] is None  # blank: counted as 0
    label = {c.key: c.label for c in check.cells}["applications.new.natural_person"]
    assert "自然人" in label and "新收" in label


def test_without_parser_facts_cells_come_from_the_detail(stored: Database) -> None:
    with stored.transaction() as session:
        [row] = [r for r in portal_compliance(session, PORTAL, [2023]) if r.agency == "中卫市审计局"]
    [check] = [c for c in row.failed_checks if c.rule == "row_totals"]
    assert {c.key for c in check.cells} == {"applications.new.natural_person", "applications.new.commercial",
                                            "applications.new.total"}  # fmt: skip
    assert row.reading == "text"  # no OCR marker known: nothing can say OCR


def test_every_year_and_the_counts_per_status(stored: Database) -> None:
    with stored.transaction() as session:
        rows = portal_compliance(session, PORTAL, facts=FACTS)
    counts = year_counts(rows)
    assert sorted(counts) == [2022, 2023]
    assert counts[2023] == {"on_time": 4, "undated": 0, "late": 1, "not_collected": 1, "not_published": 1}
    assert counts[2022]["on_time"] == 1 and counts[2022]["not_published"] == 6
    assert rows[0].as_dict()["deadline"] in ("2023-01-31", "2024-01-31")


def test_a_portal_with_nothing_stored_has_no_rows(database: Database) -> None:
    with database.transaction() as session:
        assert portal_compliance(session, "nowhere", [2023], FACTS) == []


def test_compliance_command(stored: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_DATABASE_URL", stored.url)
    runner = CliRunner()
    table = runner.invoke(app, ["compliance", "--portal", PORTAL, "--year", "2023"])
    assert table.exit_code == 0, table.output
    lines = {line.split("\t")[2]: line.split("\t") for line in table.stdout.splitlines()}
    assert lines["中卫市教育局"][3:5] == ["late", "30 days late"]
    assert lines["中卫市审计局"][7] == "checks failed: balance, row_totals"
    assert table.stderr == "7 agency-years: 1 late, 1 not published, 1 with failed checks\n"

    later = runner.invoke(app, ["compliance", "--year", "2023-2024"])
    assert later.exit_code == 0 and later.stderr.splitlines()[0] == "nxzw: nothing stored for 2024 (not collected yet?)"
    as_csv = runner.invoke(app, ["compliance", "--year", "2023", "--format", "csv"]).stdout
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert {r["agency"]: r["status"] for r in rows}["中卫市公安局"] == "not_collected"
    assert {r["agency"]: r["reading"] for r in rows}["中卫市水务局"] == "ocr"
    objects = [json.loads(line) for line in runner.invoke(app, ["compliance", "--format", "json"]).stdout.splitlines()]
    assert len(objects) == 14 and {o["year"] for o in objects} == {2022, 2023}  # 7 agencies, both years

    page = tmp_path / "page.html"
    assert runner.invoke(app, ["compliance", "--year", "2023", "--html", str(page)]).exit_code == 0
    assert (
        "<svg" in page.read_text(encoding="utf-8") and "http" not in page.read_text(encoding="utf-8").split("<body>")[0]
    )  # fmt: skip  (nothing fetched: no CDN, no external stylesheet or script)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--portal", "nowhere"], 2, "error: no portal 'nowhere' in the database"),
        (["--year", "2019"], 1, "no reports stored in 2019"),
        (["--format", "xml"], 2, "error: unknown --format 'xml': use table, csv, json"),
        (["--html", "/nonexistent/dir/p.html"], 2, "error: cannot write --html /nonexistent/dir/p.html"),
    ],
)
def test_compliance_command_errors(
    stored: Database, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int, message: str
) -> None:
    monkeypatch.setenv("NIANBAO_DATABASE_URL", stored.url)
    result = CliRunner().invoke(app, ["compliance", *args])
    assert result.exit_code == code and result.stderr.startswith(message), result.output
    assert len(result.stderr.splitlines()) == 1


def test_every_finding_of_a_kind_is_a_note(database: Database, blobs: BlobStore) -> None:
    huge = {"applications.new.total": 10**22, "applications.new.commercial": 10**23}  # no cell holds them
    ingest(database, blobs, "https://www.nxzw.gov.cn/x.html", b"x", _report("中卫市商务局", 2023, dt.date(2024, 1, 2),
                                                                         cells=huge))  # fmt: skip
    with database.transaction() as session:
        [row] = portal_compliance(session, PORTAL, [2023], FACTS)
    assert [n.split(" = ")[0] for n in row.notes] == ["value_out_of_range: applications.new.commercial",
                                                      "value_out_of_range: applications.new.total"]  # fmt: skip
