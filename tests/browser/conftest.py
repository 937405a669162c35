"""A real headless Chromium for the browser tests: the system's (Debian's `chromium`), driven by Playwright.

Playwright never downloads a browser here: it launches NIANBAO_CHROMIUM (default: `chromium` on PATH). Without
one the tests skip, unless NIANBAO_REQUIRE_BROWSER=1 (as in CI, where .ci/run installs it): then they fail, so a
CI run can never silently skip them.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator

import pytest
from PIL import Image

LAUNCH_TIMEOUT_MS = 60_000


def chromium_path() -> str | None:
    return os.environ.get("NIANBAO_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        if os.environ.get("NIANBAO_REQUIRE_BROWSER") == "1":
            pytest.fail("NIANBAO_REQUIRE_BROWSER=1 but no chromium on PATH (apt-get install chromium)")
        pytest.skip("no chromium on PATH (apt-get install chromium, or set NIANBAO_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: CI and these machines run as root, where Chromium refuses its sandbox.
        launched = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"], timeout=LAUNCH_TIMEOUT_MS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1200, "height": 900}, device_scale_factor=1)
    opened = context.new_page()
    opened.set_default_timeout(30_000)  # every wait of a test is bounded
    yield opened
    context.close()


def screenshot(page) -> Image.Image:  # type: ignore[no-untyped-def]
    """What is on the screen, as pixels."""
    return Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")


def hex_colour(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)
