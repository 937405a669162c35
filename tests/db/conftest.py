"""Database fixtures: every db test runs on SQLite and on PostgreSQL.

PostgreSQL comes from NIANBAO_TEST_POSTGRES_URL (CI starts a server, see .ci/run). Each
test gets its own schema there, so tests stay independent without a database per test.
Locally, without that variable, the PostgreSQL cases skip; with NIANBAO_REQUIRE_POSTGRES=1
(as in CI) they fail instead, so a CI run can never silently test SQLite only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.blobs import BlobStore
from db.database import Database
from tests.db.helpers import postgres_schema


def _postgres_url() -> str | None:
    url = os.environ.get("NIANBAO_TEST_POSTGRES_URL")
    if not url and os.environ.get("NIANBAO_REQUIRE_POSTGRES") == "1":
        pytest.fail("NIANBAO_REQUIRE_POSTGRES=1 but NIANBAO_TEST_POSTGRES_URL is not set")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nianbao.db'}"
        return
    base = _postgres_url()
    if base is None:
        pytest.skip("NIANBAO_TEST_POSTGRES_URL not set")
    yield from postgres_schema(base)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs")
