"""Streamed exports: every format and layout gives back exactly the stored cells, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from db.blobs import BlobStore
from db.codebook import by_key
from db.database import Database
from db.documents import Fetched, ensure_portal, store_document
from db.export import CODEBOOK_METADATA_KEY, export
from db.export_rows import ExportFilter, divisions, stream_reports
from db.queries import report_cells
from db.reports import ReportInput, upsert_report
from tests.db.helpers import parsed

Cells = dict[tuple[str, int, str], Decimal]

# (portal, region code, agency, year, generation, cells, failed check)
REPORTS: list[tuple[str, str, str, int, str, dict[str, Any], str]] = [
    ("nxzw", "640500", "中卫市商务局", 2023, "2021",
     {"applications.new.total": 7, "proactive.fees.amount_10k_cny": Decimal("12345678.1234"),
      "review_litigation.review.total": 0}, ""),
    ("nxzw", "640500", "中卫市商务局", 2020, "2019",
     {"proactive.licensing.change": -3, "proactive.procurement.amount": Decimal("0.0001"),
      "applications.other_handling.total": 2}, "balance off by 1"),
    ("nxzw", "640500", "中卫市教育局", 2023, "2021", {"applications.new.natural_person": 41}, ""),
    ("nxgy", "640400", "固原市人民政府", 2023, "2021", {}, ""),
    ("nxsx", "640522", "海原县财政局", 2022, "2021", {"proactive.rules.issued": 1}, ""),
]  # fmt: skip


@pytest.fixture
def stored(database: Database, blobs: BlobStore) -> Database:
    for n, (portal, code, agency, year, generation, cells, failed) in enumerate(REPORTS):
        report = dataclasses.replace(parsed(cells, failed=failed), agency=agency, year=year, generation=generation)
        url = f"https://{portal}.gov.cn/{n}.html"
        with database.transaction() as s:
            ensure_portal(s, portal, f"portal {portal}", f"https://{portal}.gov.cn", code)
            doc = store_document(s, blobs, portal, Fetched(url, "ok", 200), f"report {n}".encode(), "text/html")
            upsert_report(s, ReportInput(portal, agency, year, None, report, doc.document_id, url))
    return database


def _stored_cells(database: Database) -> Cells:
    with database.transaction() as s:
        return {(a, y, k): v for (_, a, y), cells in report_cells(s).items() for k, v in cells.items()}


def _export(database: Database, fmt: str, layout: str, out: Path | io.StringIO, batch: int = 2) -> int:
    with database.transaction() as s:
        return export(stream_reports(s, ExportFilter(), batch=batch), out, fmt=fmt, layout_name=layout)


def _read(fmt: str, layout: str, data: Path | io.StringIO) -> list[dict[str, Any]]:
    """Rows as dicts, numbers as Decimal: how a user's tool reads the file back."""
    if fmt == "csv":
        assert isinstance(data, io.StringIO)
        return list(csv.DictReader(io.StringIO(data.getvalue())))
    if fmt == "jsonl":
        assert isinstance(data, io.StringIO)
        return [json.loads(line, parse_float=Decimal) for line in data.getvalue().splitlines()]
    assert isinstance(data, Path)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(data).to_pylist()
    from openpyxl import load_workbook

    sheet = load_workbook(data, read_only=True)["data"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, r + [None] * (len(header) - len(r)), strict=True)) for r in rows]  # trailing blanks


def _number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


def _cells_of(fmt: str, layout: str, rows: list[dict[str, Any]]) -> dict[tuple[str, int, str], Decimal | None]:
    found: dict[tuple[str, int, str], Decimal | None] = {}  # a blank in the export stays None: a mismatch
    for row in rows:
        year = int(row["year"])
        if layout == "long":
            found[(row["agency"], year, row["key"])] = _number(row["value"])
            continue
        cells = row["cells"] if fmt == "jsonl" else {k: v for k, v in row.items() if k in by_key()}
        for key, value in cells.items():
            if _number(value) is not None:
                found[(row["agency"], year, key)] = _number(value)
    return found


@pytest.mark.parametrize("layout", ["wide", "long"])
@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "xlsx"])
def test_each_format_round_trips_the_stored_cells(stored: Database, tmp_path: Path, fmt: str, layout: str) -> None:
    out: Path | io.StringIO = tmp_path / f"x.{fmt}" if fmt in ("parquet", "xlsx") else io.StringIO()
    count = _export(stored, fmt, layout, out)
    truth = _stored_cells(stored)
    assert len(truth) == 8 and truth[("中卫市商务局", 2023, "proactive.fees.amount_10k_cny")] == Decimal(
        "12345678.1234"
    )
    assert count == (len(REPORTS) if layout == "wide" else len(truth))
    rows = _read(fmt, layout, out)
    assert _cells_of(fmt, layout, rows) == truth
    assert [r["agency"] for r in rows if layout == "wide"] in (
        [],
        ["固原市人民政府", "海原县财政局", "中卫市商务局", "中卫市商务局", "中卫市教育局"],
    )


def test_long_rows_carry_where_and_what(stored: Database) -> None:
    out = io.StringIO()
    _export(stored, "csv", "long", out)
    rows = {(r["agency"], r["key"]): r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    fees = rows[("中卫市商务局", "proactive.fees.amount_10k_cny")]
    assert (fees["value"], fees["row_label"], fees["column_label"], fees["unit"]) == (
        "12345678.1234", "行政事业性收费", "本年收费金额（单位：万元）", "万元")  # fmt: skip
    assert (fees["province"], fees["prefecture"], fees["county"], fees["level"]) == (
        "640000",
        "640500",
        "",
        "prefecture",
    )
    assert (fees["year"], fees["generation"], fees["published_on"], fees["source"]) == ("2023", "2021", "2024-01-25",
                                                                                        "text")  # fmt: skip
    county = rows[("海原县财政局", "proactive.rules.issued")]
    assert (county["county"], county["level"], county["value"]) == ("640522", "county", "1")


def test_parquet_carries_the_codebook_and_exact_decimals(stored: Database, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    _export(stored, "parquet", "wide", tmp_path / "x.parquet")
    table = pq.read_table(tmp_path / "x.parquet")
    codebook = json.loads(table.schema.metadata[CODEBOOK_METADATA_KEY])
    assert {e["key"] for e in codebook} == set(by_key())
    assert str(table.schema.field("proactive.procurement.amount").type) == "decimal128(20, 4)"


def _agencies(database: Database, filt: ExportFilter) -> list[tuple[str, int]]:
    with database.transaction() as s:
        return [(r.agency, r.year) for r in stream_reports(s, filt, batch=1)]


def test_filters(stored: Database) -> None:
    assert _agencies(stored, ExportFilter(region="640522")) == [("海原县财政局", 2022)]
    zhongwei = [("海原县财政局", 2022), ("中卫市商务局", 2020), ("中卫市商务局", 2023), ("中卫市教育局", 2023)]
    assert _agencies(stored, ExportFilter(region="6405")) == zhongwei
    assert _agencies(stored, ExportFilter(region="640400")) == [("固原市人民政府", 2023)]
    assert _agencies(stored, ExportFilter(generations=["2019"])) == [("中卫市商务局", 2020)]
    # 2020: its failed check (and late); 2022: published 2024-01-25, late. The 2023 reports were on time.
    assert _agencies(stored, ExportFilter(findings_only=True)) == [("海原县财政局", 2022), ("中卫市商务局", 2020)]
    assert _agencies(stored, ExportFilter(years=[2022, 2023], portal_ids=["nxzw"])) == zhongwei[2:]
    assert _agencies(stored, ExportFilter(statuses=["partial"])) == []


def test_divisions_of_region_codes() -> None:
    assert divisions("640000") == ("640000", None, None, "province")
    assert divisions("640500") == ("640000", "640500", None, "prefecture")
    assert divisions("640502") == ("640000", "640500", "640502", "county")
    assert divisions(None) == (None, None, None, None)


def _cli(monkeypatch: pytest.MonkeyPatch, database: Database, tmp_path: Path, *args: str) -> Any:
    from typer.testing import CliRunner

    from nianbao.cli import app

    monkeypatch.setenv("NIANBAO_DATABASE_URL", database.url)
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    return CliRunner().invoke(app, ["export", *args])


def test_cli_csv_with_bom_ships_its_codebook(stored: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "reports.csv"
    result = _cli(monkeypatch, stored, tmp_path, "--layout", "long", "--bom", "--region", "6405", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == "exported 8 cells\n"  # 中卫 and its county: every cell but 固原's (none)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "中卫市商务局".encode() in raw
    book = tmp_path / "reports.codebook.csv"
    assert book.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(list(csv.DictReader(io.StringIO(book.read_text(encoding="utf-8-sig"))))) == len(by_key())


def test_cli_refusals(stored: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    refused = {
        ("--format", "parquet"): "error: --format parquet needs --out FILE (it is not text for a terminal)\n",
        ("--format", "jsonl", "--bom"): "error: --bom is for --format csv\n",
        ("--layout", "tall"): "error: unknown --layout 'tall': use wide, long, sections\n",
        ("--region", "64a"): "error: --region: '64a' is not a region code (2, 4 or 6 digits: 64, 6405, 640502)\n",
        ("--status", "fine"): "error: --status: unknown 'fine' (use ok, partial, needs_ocr, not_a_report, error)\n",
    }
    for args, line in refused.items():
        result = _cli(monkeypatch, stored, tmp_path, *args)
        assert (result.exit_code, result.stderr) == (2, line), args


def test_cli_xlsx_too_long_for_a_sheet_leaves_no_file(
    stored: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("db.export.XLSX_MAX_ROWS", 4)  # Excel's 1,048,576, scaled down to this test's 8 cells
    out = tmp_path / "x.xlsx"
    result = _cli(monkeypatch, stored, tmp_path, "--format", "xlsx", "--layout", "long", "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: more than 3 rows do not fit an XLSX sheet: export csv or parquet")
    assert not out.exists()
    fits = _cli(monkeypatch, stored, tmp_path, "--format", "xlsx", "--out", str(out))  # 5 wide rows
    assert fits.exit_code == 2
    monkeypatch.setattr("db.export.XLSX_MAX_ROWS", 1_048_576)
    assert _cli(monkeypatch, stored, tmp_path, "--format", "xlsx", "--out", str(out)).exit_code == 0
    assert out.exists()


def test_reports_and_cells_are_one_streamed_query(stored: Database) -> None:
    """Reports come with their cells from one query read batch by batch, never all at once."""
    from sqlalchemy import event

    statements: list[str] = []
    named: list[bool] = []  # psycopg names its server-side cursors; SQLite's cursor fetches lazily anyway

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)
        named.append(bool(getattr(cursor, "name", None)))

    event.listen(stored.engine, "before_cursor_execute", seen)
    try:
        with stored.transaction() as s:
            reports = stream_reports(s, ExportFilter(), batch=2)
            next(reports)
            queries = [q for q in statements if q.startswith("SELECT")]
            assert len(queries) == 1 and "reportversion.cells" in queries[0]
            assert len(list(reports)) == len(REPORTS) - 1
            assert len(statements) == len(queries) + (stored.dialect == "sqlite")  # only SQLite's BEGIN besides
        if stored.dialect == "postgresql":
            [on_server] = [n for q, n in zip(statements, named, strict=True) if "report.findings" in q]
            assert on_server, "the reports query must run on a server-side cursor"
    finally:
        event.remove(stored.engine, "before_cursor_execute", seen)
