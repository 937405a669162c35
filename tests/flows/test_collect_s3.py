"""The pipeline with its blobs on an S3-compatible object store (moto's server, in a subprocess)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from db.database import Database
from db.models import Document, Report, ReportSource
from nianbao.config import Settings
from tests.flows.truth import PORTAL, recoverable, stored_cells, truth_cells
from tests.replica_fixtures import ReplicaFactory
from tests.s3_server import S3Server, moto_server

pytestmark = [pytest.mark.prefect, pytest.mark.slow, pytest.mark.usefixtures("prefect_api")]


@pytest.fixture
def s3_blobs(tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[S3Server, str]]:
    with moto_server(tmp_path / "moto.log") as server:
        bucket = f"nianbao-{uuid.uuid4().hex[:12]}"
        server.create_bucket(bucket)
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("NIANBAO_BLOB_URL", f"s3://{bucket}/blobs")
        yield server, bucket


def test_collection_and_reparse_keep_their_blobs_in_the_object_store(
    replica: ReplicaFactory, data_dir: Path, s3_blobs: tuple[S3Server, str]
) -> None:
    from flows.collect import backfill, reparse

    s3, bucket = s3_blobs
    server = replica(seed=11, departments=2)
    first = backfill(portals=[PORTAL], from_year=2022, to_year=2024, base_urls={PORTAL: server.base_url})
    reports = [r for r in server.manifest()["reports"] if 2022 <= r["year"] <= 2024]
    expected = {(r["agency"], r["year"]): truth_cells(r) for r in reports if recoverable(r)}
    image_only = {(r["agency"], r["year"]) for r in reports if r["flags"]["image_only"]}
    stored = stored_cells()
    assert expected and {k: stored.get(k) for k in expected} == expected
    assert set(stored) - set(expected) <= image_only  # stored too, as needs_ocr without cells
    database = Database(Settings.from_env().database_url)
    with database.transaction() as session:
        paths = set(session.scalars(select(Document.blob_path)))
    # Every stored document is one object under the prefix, and nothing landed on the local disk.
    assert first["downloads"] > 0 and paths
    assert s3.keys(bucket) == sorted(f"blobs/{p}" for p in paths)
    assert not (data_dir / "blobs").exists()

    # A rerun answers its conditional GETs' 304s with bodies read back from the store.
    second = backfill(portals=[PORTAL], from_year=2022, to_year=2024, base_urls={PORTAL: server.base_url})
    assert (second["downloads"], second["writes"]) == (0, 0)
    assert second["outcomes"] == {"unchanged": second["discovered"][PORTAL]}

    server.stop()  # reparse reads only the store
    with database.transaction() as session:
        for model in (ReportSource, Document, Report):
            session.execute(update(model).values(parser_version="0.old"))
    result = reparse(portals=[PORTAL])
    assert result["outcomes"].get("reparsed", 0) > 0 and "failed" not in result["outcomes"]
    assert stored_cells() == stored
    assert s3.versions(bucket) == sorted(f"blobs/{p}" for p in paths)  # each object written once
    database.dispose()
