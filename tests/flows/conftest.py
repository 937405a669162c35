"""Flow tests: one Prefect test harness per session (it costs ~20 s to start).

Each test gets its own data directory (SQLite database and blob store) through the same
environment variables users set, so the flows read their settings exactly as in production.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    from prefect import flow
    from prefect.testing.utilities import prefect_test_harness

    @flow
    def warm_up() -> int:
        return 1

    with prefect_test_harness(server_startup_timeout=180):
        # The first flow run configures Prefect's console logging on the streams of the
        # moment; do it here, not inside a CliRunner whose captured streams close after.
        assert warm_up() == 1
        yield


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NIANBAO_DATABASE_URL", raising=False)
    monkeypatch.delenv("NIANBAO_BLOB_DIR", raising=False)
    return tmp_path / "data"
