"""A revised report keeps its history: `nianbao history` lists the versions and the changed cells,
`export --all-versions` writes each version with its own cells, and each version keeps its sections."""

from __future__ import annotations

import csv
import dataclasses
import io
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from db.blobs import BlobStore
from db.database import Database
from db.export import export
from db.export_rows import ExportFilter, stream_reports
from db.history import changes, report_history
from db.models import ReportVersion
from nianbao.cli import app
from tests.db.helpers import ingest, parsed

URL = "https://www.nxzw.gov.cn/a.html"
V1 = {"applications.new.total": 12, "proactive.fees.amount_10k_cny": Decimal("1.5")}
V2 = {"applications.new.total": 13, "review_litigation.review.total": 2}


@pytest.fixture
def revised(database: Database, blobs: BlobStore) -> Database:
    ingest(database, blobs, URL, b"v1", parsed(V1))
    ingest(database, blobs, URL, b"v2", parsed(V2))
    return database


def test_history_lists_versions_and_changes(revised: Database) -> None:
    with revised.transaction() as s:
        [versions] = report_history(s, " 中卫市 商务局", 2023)  # printed with stray spaces: the same agency
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].seen_at <= versions[1].seen_at and versions[1].url == URL
    assert [(c.key, c.before, c.after) for c in changes(*versions)] == [
        ("applications.new.total", Decimal(12), Decimal(13)),
        ("proactive.fees.amount_10k_cny", Decimal("1.5"), None),
        ("review_litigation.review.total", None, Decimal(2)),
    ]


def test_all_versions_export(revised: Database) -> None:
    out = io.StringIO()
    with revised.transaction() as s:
        export(stream_reports(s, ExportFilter(all_versions=True), batch=1), out, fmt="csv", layout_name="long")
    rows = [(r["version"], r["key"], r["value"]) for r in csv.DictReader(io.StringIO(out.getvalue()))]
    assert rows == [("1", "applications.new.total", "12"), ("1", "proactive.fees.amount_10k_cny", "1.5"),
                    ("2", "applications.new.total", "13"), ("2", "review_litigation.review.total", "2")]  # fmt: skip
    current = io.StringIO()
    with revised.transaction() as s:
        export(stream_reports(s, ExportFilter()), current, fmt="csv", layout_name="long")
    assert {r["version"] for r in csv.DictReader(io.StringIO(current.getvalue()))} == {"2"}


def test_history_command(revised: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_DATABASE_URL", revised.url)
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["history", "中卫市商务局", "2023"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "nxzw\t中卫市商务局\t2023\t2 versions"
    assert lines[1].startswith("v1\tfirst seen ") and lines[2].startswith("v2\tfirst seen ")
    assert lines[3:] == ["\tapplications.new.total: 12 -> 13", "\tproactive.fees.amount_10k_cny: 1.5 -> -",
                         "\treview_litigation.review.total: - -> 2"]  # fmt: skip
    missing = CliRunner().invoke(app, ["history", "中卫市商务局", "2019"])
    assert (missing.exit_code, missing.stderr) == (1, "no report of 中卫市商务局 for 2019 stored\n")


def test_sections_are_stored_per_version_and_exported(database: Database, blobs: BlobStore) -> None:
    first = dataclasses.replace(parsed(V1), sections={"overview": "一年来，本局……", "problems": "公开不够及时。"})
    second = dataclasses.replace(parsed(V2), sections={"overview": "修订后的总体情况", "other": "无。"})
    ingest(database, blobs, URL, b"v1", first)
    ingest(database, blobs, URL, b"v2", second)
    with database.transaction() as s:
        stored = {v.version: v.sections for v in s.exec(select(ReportVersion))}
    assert stored == {1: first.sections, 2: second.sections}
    rows = _section_rows(database, ExportFilter(all_versions=True))
    assert rows == [("1", "overview", "一、总体情况", "一年来，本局……"),
                    ("1", "problems", "五、存在的主要问题及改进情况", "公开不够及时。"),
                    ("2", "overview", "一、总体情况", "修订后的总体情况"),
                    ("2", "other", "六、其他需要报告的事项", "无。")]  # fmt: skip
    assert _section_rows(database, ExportFilter()) == rows[2:]  # the current version only


def _section_rows(database: Database, filt: ExportFilter) -> list[tuple[str, ...]]:
    out = io.StringIO()
    with database.transaction() as s:
        export(stream_reports(s, filt, batch=1), out, fmt="csv", layout_name="sections")
    return [(r["version"], r["section"], r["heading"], r["text"]) for r in csv.DictReader(io.StringIO(out.getvalue()))]


def test_a_section_too_long_for_an_xlsx_cell_is_refused(database: Database, blobs: BlobStore, tmp_path: Path) -> None:
    from db.export import XLSX_MAX_CHARS, ExportLimitError

    ingest(
        database, blobs, URL, b"v1", dataclasses.replace(parsed(V1), sections={"overview": "字" * (XLSX_MAX_CHARS + 1)})
    )
    with database.transaction() as s, pytest.raises(ExportLimitError, match="does not fit an XLSX cell"):
        export(stream_reports(s, ExportFilter()), tmp_path / "s.xlsx", fmt="xlsx", layout_name="sections")
