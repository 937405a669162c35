"""A real headless Chromium for the browser tests: the system's (Debian's `chromium`), driven by Playwright.

Playwright never downloads a browser here: it launches NIANBAO_CHROMIUM (default: `chromium` on PATH). Without
one the tests skip, unless NIANBAO_REQUIRE_BROWSER=1 (as in CI, where .ci/run installs it): then they fail, so a
CI run can never silently skip them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PIL import Image

from db.blobs import BlobStore
from db.database import Database
from parsers.checks import run_checks
from parsers.model import ParsedReport, ReadSource
from parsers.ocr import OCR_WARNING
from tests.db.helpers import ingest, parsed

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

LAUNCH_TIMEOUT_MS = 60_000
UNBALANCED = {"applications.new.natural_person": 7, "applications.new.commercial": 1, "applications.new.total": 9}


def chromium_path() -> str | None:
    return os.environ.get("NIANBAO_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


# Per module, not per session: while Playwright's sync API is open, the main thread has an asyncio loop
# running, and Prefect then treats every later test's flow call as async (it returns a coroutine).
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        if os.environ.get("NIANBAO_REQUIRE_BROWSER") == "1":
            pytest.fail("NIANBAO_REQUIRE_BROWSER=1 but no chromium on PATH (apt-get install chromium)")
        pytest.skip("no chromium on PATH (apt-get install chromium, or set NIANBAO_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: CI and these machines run as root, where Chromium refuses its sandbox. sRGB: the pixels
        # read off screenshots are the colours the page asked for, whatever the host's display profile.
        args = ["--no-sandbox", "--force-color-profile=srgb"]
        launched = playwright.chromium.launch(executable_path=path, args=args, timeout=LAUNCH_TIMEOUT_MS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, device_scale_factor=1)
    opened = context.new_page()
    opened.set_default_timeout(30_000)  # every wait of a test is bounded
    yield opened
    context.close()


def screenshot(page: Page) -> Image.Image:
    """What is on the screen, as pixels."""
    return Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")


def hex_colour(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _report(agency: str, year: int, published: dt.date, **changes: Any) -> ParsedReport:
    report = parsed({"applications.new.total": 3, "applications.new.natural_person": 3})
    return dataclasses.replace(report, agency=agency, year=year, published_on=published, **changes)


@pytest.fixture
def stored_url(tmp_path: Path) -> str:
    """A SQLite database of five agencies of nxzw over 2022 and 2023 (its URL)."""
    database = Database(f"sqlite:///{tmp_path / 'nianbao.db'}")
    database.upgrade()
    blobs = BlobStore(tmp_path / "blobs")
    checks = run_checks({k: Decimal(v) for k, v in UNBALANCED.items()}, "2021")
    for agency, year, result in [
        ("中卫市商务局", 2022, _report("中卫市商务局", 2022, dt.date(2023, 2, 25))),  # 25 days late
        ("中卫市商务局", 2023, _report("中卫市商务局", 2023, dt.date(2024, 1, 25))),
        ("中卫市教育局", 2023, _report("中卫市教育局", 2023, dt.date(2024, 3, 1))),  # 30 days late
        ("中卫市财政局", 2022, _report("中卫市财政局", 2022, dt.date(2023, 1, 20))),  # none for 2023
        (
            "中卫市水务局",
            2023,
            _report("中卫市水务局", 2023, dt.date(2024, 1, 8), warnings=[OCR_WARNING], source=ReadSource.OCR),
        ),
        ("中卫市审计局", 2023, _report("中卫市审计局", 2023, dt.date(2024, 1, 9), cells=UNBALANCED, checks=checks)),
    ]:
        url = f"https://www.nxzw.gov.cn/{agency}/{year}.html"
        ingest(database, blobs, url, url.encode(), result, agency=agency, year=year)
    database.dispose()
    return database.url
