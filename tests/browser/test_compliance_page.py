"""The compliance page as people see it, in a real headless Chromium: the chart's bars read off a screenshot,
the table sorted and filtered by clicking, the failed checks with their cells."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from db.blobs import BlobStore
from db.database import Database
from db.documents import Fetched, ensure_portal, store_document
from db.reports import ReportInput, upsert_report
from nianbao.cli import app
from nianbao.compliance_page import COLOURS
from tests.browser.conftest import hex_colour, screenshot
from tests.db.helpers import parsed

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.fixture
def page_file(stored_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The page of `stored_url`'s reports, written by the CLI."""
    monkeypatch.setenv("NIANBAO_DATABASE_URL", stored_url)
    out = tmp_path / "compliance.html"
    result = CliRunner().invoke(app, ["compliance", "--portal", "nxzw", "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # --html alone: the page, and one summary line on stderr
    assert result.stderr.startswith("10 agency-years: 2 late, 4 not published, 1 with failed checks")
    return out


def _open(page: Page, path: Path) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_selector("#agencies tbody tr")
    assert requested == [path.as_uri()]  # self-contained: no stylesheet, script, font or image fetched


def _visible_rows(page: Page) -> list[tuple[str, str, str]]:
    """(agency, year, status) of each row shown, top to bottom, as rendered."""
    rows = page.locator("#agencies tbody tr:visible")
    shown = []
    for i in range(rows.count()):
        agency, year, status = (rows.nth(i).locator("td").nth(c).inner_text().split("\n")[0] for c in range(3))
        shown.append((agency, year, status))
    return shown


def test_chart_bars_on_the_screenshot(page: Page, page_file: Path) -> None:
    _open(page, page_file)
    shot = screenshot(page)
    bars = page.locator("rect.bar")
    seen: dict[tuple[str, str], tuple[int, float]] = {}
    for i in range(bars.count()):
        bar = bars.nth(i)
        box = bar.bounding_box()
        assert box is not None
        year, status, count = (bar.get_attribute(f"data-{name}") for name in ("year", "status", "count"))
        assert year is not None and status is not None and count is not None, "a bar without its data attributes"
        # A pixel near the bar's left edge, clear of the white count printed in its middle.
        pixel = shot.getpixel((int(box["x"] + 3), int(box["y"] + box["height"] / 2)))
        assert isinstance(pixel, tuple) and len(pixel) == 3, pixel  # an RGB screenshot's pixel
        assert hex_colour((pixel[0], pixel[1], pixel[2])) == COLOURS[status], (year, status, pixel)
        seen[(year, status)] = (int(count), box["width"])
    assert {k: n for k, (n, _) in seen.items()} == {
        ("2022", "on_time"): 1, ("2022", "late"): 1, ("2022", "not_published"): 3,
        ("2023", "on_time"): 3, ("2023", "late"): 1, ("2023", "not_published"): 1,
    }  # fmt: skip
    # Widths are proportional to the counts: 3 on time in 2023 is three times 2023's one late report.
    assert seen[("2023", "on_time")][1] == pytest.approx(3 * seen[("2023", "late")][1], rel=0.02)
    assert page.locator(".legend").inner_text().split("\n")[0] == "on time"
    counts = [r.split("\t") for r in page.locator("#counts tbody tr").all_inner_texts()]
    assert counts == [["2022", "1", "0", "1", "0", "3", "5"], ["2023", "3", "0", "1", "0", "1", "5"]]


def test_sort_and_filter_by_clicking(page: Page, page_file: Path) -> None:
    _open(page, page_file)
    assert page.locator("#shown").inner_text() == "10 of 10 shown"
    days = page.locator("th[data-key=days_late]")
    days.click()
    days.click()  # the second click sorts descending: the latest first
    assert days.get_attribute("aria-sort") == "descending"
    assert _visible_rows(page)[:2] == [("中卫市教育局", "2023", "late"), ("中卫市商务局", "2022", "late")]

    page.select_option("#filter-status", "not_published")
    page.select_option("#filter-year", "2023")
    assert _visible_rows(page) == [("中卫市财政局", "2023", "not published")]
    assert page.locator("#agencies tbody tr:visible .note").inner_text() == (
        "published a 2022 report but none for 2023 yet"
    )
    page.select_option("#filter-status", "")
    page.select_option("#filter-year", "")
    page.fill("#filter-text", "水务")
    assert [r[:2] for r in _visible_rows(page)] == [("中卫市水务局", "2022"), ("中卫市水务局", "2023")]
    page.fill("#filter-text", "")
    page.check("#filter-failed")
    assert _visible_rows(page) == [("中卫市审计局", "2023", "on time")]
    assert page.locator("#shown").inner_text() == "1 of 10 shown"
    ocr = page.locator("#agencies tbody tr", has_text="中卫市水务局").filter(has_text="2023")
    assert ocr.locator("td").nth(7).inner_text() == "ocr"


def test_failed_checks_show_their_cells(page: Page, page_file: Path) -> None:
    _open(page, page_file)
    page.click("text=failed: balance, row_totals")
    section = page.locator("section.failed")
    assert section.locator("h3").inner_text() == "中卫市审计局 2023"
    top = section.evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < 900  # the link took the reader to it
    row_totals = section.locator(".check", has_text="row_totals")
    assert "difference -1" in row_totals.locator("p").inner_text()
    cells = [r.split("\t") for r in row_totals.locator("tbody tr").all_inner_texts()]
    assert len(cells) == 7  # every cell of the equation, not only the four the detail names
    values = {key: value for key, _, value in cells}
    assert values["applications.new.natural_person"] == "7" and values["applications.new.total"] == "9"
    assert values["applications.new.research"] == "blank (0)"
    assert "自然人" in {key: label for key, label, _ in cells}["applications.new.natural_person"]


def test_two_portals_filtered_apart(
    page: Page, stored_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database(stored_url)
    with database.transaction() as session:
        ensure_portal(session, "nxgy", "固原市人民政府", "https://www.nxgy.gov.cn", "640400")
        url = "https://www.nxgy.gov.cn/a.html"
        stored = store_document(session, BlobStore(tmp_path / "blobs"), "nxgy", Fetched(url, "ok", 200), b"gy",
                                "text/html")  # fmt: skip
        report = dataclasses.replace(parsed({"applications.new.total": 1}), agency="固原市商务局", year=2023)
        upsert_report(session, ReportInput("nxgy", "固原市商务局", 2023, "固原市", report, stored.document_id, url))
    database.dispose()
    monkeypatch.setenv("NIANBAO_DATABASE_URL", stored_url)
    out = tmp_path / "both.html"
    assert CliRunner().invoke(app, ["compliance", "--year", "2023", "--html", str(out)]).exit_code == 0
    _open(page, out)
    assert page.locator("#shown").inner_text() == "6 of 6 shown"
    page.select_option("#filter-portal", "nxgy")
    assert _visible_rows(page) == [("固原市商务局", "2023", "on time")]
    assert page.locator("#agencies tbody tr:visible td").last.inner_text() == "nxgy"
