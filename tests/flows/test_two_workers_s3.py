"""Two machines' worth of workers: one Prefect server, PostgreSQL and an S3 store shared, nothing else.

Two process workers, each with its own working directory, PREFECT_HOME and data directory (so no
local disk is shared), poll one work pool of a real `prefect server`; two backfills of two portals
are triggered at once, and each worker takes one. Every report must be stored once, with the true
cells, and every document once in the object store (moto's S3 server).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import select

from db.database import Database
from db.models import Document
from db.queries import report_cells, report_rows
from replica.server import ReplicaServer
from scrapers.spec import DEFAULT_PORTALS_DIR
from tests.db.helpers import postgres_schema
from tests.flows.prefect_server import background, free_port, prefect_env, run, wait_final_state, wait_healthy
from tests.flows.truth import PORTAL, recoverable, truth_cells
from tests.s3_server import moto_server

pytestmark = [pytest.mark.prefect, pytest.mark.slow, pytest.mark.postgres]

PORTALS = (PORTAL, "nxzw2-replica")  # the second: the same spec under another id, its own replica
SEEDS = (21, 22)  # two sites, so the two portals' reports differ
YEARS = (2023, 2024)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema on the test server (as tests/db/conftest.py), dropped after."""
    base = os.environ.get("NIANBAO_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("NIANBAO_REQUIRE_POSTGRES") == "1":
            pytest.fail("NIANBAO_REQUIRE_POSTGRES=1 but NIANBAO_TEST_POSTGRES_URL is not set")
        pytest.skip("NIANBAO_TEST_POSTGRES_URL not set")
    yield from postgres_schema(base)


def _portals_dir(home: Path) -> Path:
    """Each worker's own copy of the replica spec, under both portal ids."""
    directory = home / "portals"
    directory.mkdir(parents=True)
    for portal in PORTALS:
        shutil.copy(DEFAULT_PORTALS_DIR / f"{PORTAL}.yaml", directory / f"{portal}.yaml")
    return directory


def _trigger(portal: str, base_url: str, env: dict[str, str]) -> str:
    params = ["-p", f'portals=["{portal}"]', "-p", f"from_year={YEARS[0]}", "-p", f"to_year={YEARS[-1]}",
              "-p", "base_urls=" + json.dumps({portal: base_url})]  # fmt: skip
    started = run(["deployment", "run", "backfill/backfill", *params], env)
    found = re.search(r"UUID:\s*([0-9a-f-]{36})", started.stdout)
    assert found, started.stdout
    return found[1]


def _ran(run_id: str, worker_log: str) -> bool:
    """The worker submitted the run (both see every scheduled run; one takes it, the other backs off)."""
    submitted, aborted = f"submitting flow run '{run_id}'", f"Aborted submission of flow run '{run_id}'"
    return submitted in worker_log and aborted not in worker_log


def test_two_workers_store_every_report_once(tmp_path: Path, postgres_url: str) -> None:
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    bucket = f"nianbao-{uuid.uuid4().hex[:12]}"
    server_cmd = ["server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui", "--analytics-off"]
    with ExitStack() as stack:
        s3 = stack.enter_context(moto_server(tmp_path / "moto.log"))
        s3.create_bucket(bucket)
        sites = zip(PORTALS, SEEDS, strict=True)
        replicas = {p: stack.enter_context(ReplicaServer(seed, departments=2)) for p, seed in sites}

        def worker_env(name: str) -> dict[str, str]:
            home = tmp_path / name
            env = prefect_env(home / "prefect", api_url, home / "data") | s3.env()
            shared = {"NIANBAO_DATABASE_URL": postgres_url, "NIANBAO_BLOB_URL": f"s3://{bucket}/blobs"}
            return env | shared | {"NIANBAO_PORTALS_DIR": str(_portals_dir(home)), "PREFECT_WORKER_QUERY_SECONDS": "2"}

        envs = {name: worker_env(name) for name in ("w1", "w2")}
        (tmp_path / "server-home").mkdir()
        server_env = prefect_env(tmp_path / "server-home", api_url, tmp_path / "server-data")
        server = stack.enter_context(background(server_cmd, server_env, tmp_path / "server.log"))
        wait_healthy(api_url, server, tmp_path / "server.log")
        run(["work-pool", "create", "nianbao", "--type", "process"], envs["w1"])
        run(["deploy", "--all"], envs["w1"])
        for name, env in envs.items():
            worker = ["worker", "start", "--pool", "nianbao", "--limit", "1", "--name", name]
            stack.enter_context(background(worker, env, tmp_path / f"{name}.log", cwd=tmp_path / name))
        runs = {p: _trigger(p, replicas[p].base_url, envs["w1"]) for p in PORTALS}
        finals = {p: wait_final_state(api_url, run_id) for p, run_id in runs.items()}
        manifests = {p: replicas[p].manifest() for p in PORTALS}
        logs = {name: (tmp_path / f"{name}.log").read_text(errors="replace") for name in envs}
        objects, versions = s3.keys(bucket), s3.versions(bucket)

    assert {p: f["state"]["type"] for p, f in finals.items()} == dict.fromkeys(PORTALS, "COMPLETED"), logs
    # Each worker ran one of the two runs: portals are the unit of parallelism.
    taken = {name: {p for p, run_id in runs.items() if _ran(run_id, log)} for name, log in logs.items()}
    assert sorted(map(len, taken.values())) == [1, 1] and set().union(*taken.values()) == set(PORTALS), logs

    database = Database(postgres_url)
    with database.transaction() as session:
        rows = report_rows(session, list(PORTALS))
        cells = report_cells(session, list(PORTALS))
        paths = set(session.scalars(select(Document.blob_path)))
    database.dispose()
    keys = [(r.portal_id, r.agency, r.year) for r in rows]
    assert len(keys) == len(set(keys))  # every report stored once
    expected = {(p, r["agency"], r["year"]): truth_cells(r) for p in PORTALS for r in manifests[p]["reports"]
                if recoverable(r) and r["year"] in YEARS}  # fmt: skip
    image_only = {(p, r["agency"], r["year"]) for p in PORTALS for r in manifests[p]["reports"]
                  if r["flags"]["image_only"] and r["year"] in YEARS}  # fmt: skip
    assert expected and {k: cells.get(k) for k in expected} == expected
    assert set(cells) - set(expected) <= image_only  # stored too, as needs_ocr without cells
    # Every document is one object in the shared store, written once; no worker kept a blob on its disk.
    assert objects == versions == sorted(f"blobs/{p}" for p in paths)
    assert not [p for name in envs for p in (tmp_path / name / "data").rglob("*") if p.is_file()]
