"""`nianbao serve` for real: Datasette on a free port, canned queries and labelled tables opened in Chromium,
rows read off the rendered page; SIGTERM stops it (the port is free again); PostgreSQL is refused."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests
from typer.testing import CliRunner

from nianbao.cli import app

REPO = Path(__file__).resolve().parents[2]
START_SECONDS = 90  # building the browsing tables and starting Datasette, on a busy 2-core machine
STOP_SECONDS = 30

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture
def server(stored_url: str, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "NIANBAO_DATABASE_URL": stored_url, "NIANBAO_DATA_DIR": str(tmp_path / "data")}
    log = (tmp_path / "serve.log").open("w+")
    command = [sys.executable, "-m", "nianbao.cli", "serve", "--port", str(port),
               "--metadata-out", str(tmp_path / "metadata.json")]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while not _answers(base + "/"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.seek(0)
            pytest.fail(f"nianbao serve did not answer on {base} within {START_SECONDS} s:\n{log.read()}")
        time.sleep(0.3)
    try:
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail(f"nianbao serve did not stop within {STOP_SECONDS} s of SIGTERM")
        assert not _answers(base + "/"), "datasette still answers after nianbao serve stopped"
        log.close()


def _rows(page: Page) -> list[dict[str, str]]:
    """The result table as shown: one dict per row, by column heading."""
    table = page.locator("table.rows-and-columns")
    heads = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    return [dict(zip(heads, (c.strip() for c in row.locator("td").all_inner_texts()), strict=True))
            for row in table.locator("tbody tr").all()]  # fmt: skip


def test_canned_queries_and_labels_in_the_browser(page: Page, server: str, stored_url: str) -> None:
    page.goto(f"{server}/browse/late?portal=nxzw&year=2023")
    assert page.locator("h1").inner_text() == "Which reports were late, and by how many days?"
    assert [(r["agency"], r["days_late"]) for r in _rows(page)] == [("中卫市教育局", "30")]

    page.goto(f"{server}/browse/late?portal=&year=")  # empty boxes: every portal and year, latest first
    assert [(r["agency"], r["year"], r["days_late"]) for r in _rows(page)] == [
        ("中卫市教育局", "2023", "30"), ("中卫市商务局", "2022", "25")]  # fmt: skip

    page.goto(f"{server}/browse/published?portal=nxzw&year=2023")
    assert {r["agency"]: r["status"] for r in _rows(page)} == {
        "中卫市商务局": "on_time", "中卫市教育局": "late", "中卫市财政局": "not_published",
        "中卫市水务局": "on_time", "中卫市审计局": "on_time"}  # fmt: skip

    page.goto(f"{server}/browse/failed_checks?portal=nxzw&year=2023")
    row_totals = [r for r in _rows(page) if r["rule"] == "row_totals"]
    assert len(row_totals) == 7  # every cell of the equation
    assert {r["key"]: r["value"] for r in row_totals}["applications.new.total"] == "9"

    page.goto(f"{server}/browse/outdated_template?portal=&year=")
    assert _rows(page) == []  # none here; the query answers with an empty table, not an error

    page.goto(f"{server}/browse/compliance?year=2023")
    status = page.locator(".facet-info[data-column=status]")
    assert status.locator("li", has_text="not_published").inner_text().split() == ["not_published", "1"]

    # The codebook's labels describe the wide table's columns.
    page.goto(f"{server}/browse/reports")
    described = page.locator("dl.column-descriptions")
    label = described.locator("dt", has_text="applications.new.total").first.locator("xpath=following-sibling::dd[1]")
    assert label.inner_text().startswith("一、本年新收政府信息公开申请数量 / 总计 (件")

    # And the stored tables are there as they are, read-only.
    stem = Path(stored_url.removeprefix("sqlite:///")).stem
    page.goto(f"{server}/{stem}/report")
    assert page.locator("h3").first.inner_text().startswith("6 rows")


def test_serve_refuses_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_DATABASE_URL", "postgresql+psycopg://u:p@127.0.0.1:5/x")
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2
    assert result.stderr == ("error: nianbao serve browses SQLite databases only; NIANBAO_DATABASE_URL is "
                             "postgresql (export what you need with `nianbao export`)\n")  # fmt: skip


def test_serve_on_a_port_in_use_is_one_line(stored_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_DATABASE_URL", stored_url)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 3
    assert result.stderr == (f"error: cannot listen on 127.0.0.1:{port}: Address already in use "
                             "(another server? choose --port)\n")  # fmt: skip
