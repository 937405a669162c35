"""End to end through a real Prefect server: deploy prefect.yaml, run a worker, trigger a backfill.

This is what an operator does (README "Running with the Prefect UI"), automated: the
deployment's pull step, the process work pool and the parameters all go through Prefect.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from replica.server import ReplicaServer
from tests.flows.prefect_server import (
    artifacts_of,
    background,
    free_port,
    prefect_env,
    run,
    wait_final_state,
    wait_healthy,
)
from tests.flows.truth import PORTAL, recoverable, stored_cells, truth_cells

pytestmark = [pytest.mark.prefect, pytest.mark.slow]


def test_backfill_deployment_runs_on_a_process_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    (tmp_path / "prefect").mkdir()
    env = prefect_env(tmp_path / "prefect", api_url, tmp_path / "data")
    server_cmd = ["server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui", "--analytics-off"]
    with ReplicaServer(6, departments=3) as replica, background(server_cmd, env, tmp_path / "server.log") as server:
        wait_healthy(api_url, server, tmp_path / "server.log")
        run(["work-pool", "create", "nianbao", "--type", "process"], env)
        deployed = run(["deploy", "--all"], env)
        assert "backfill" in deployed.stdout + deployed.stderr
        worker_cmd = ["worker", "start", "--pool", "nianbao", "--limit", "1"]
        with background(worker_cmd, env, tmp_path / "worker.log"):
            params = ["-p", f'portals=["{PORTAL}"]', "-p", "from_year=2023", "-p", "to_year=2024",
                      "-p", "base_urls=" + json.dumps({PORTAL: replica.base_url})]  # fmt: skip
            started = run(["deployment", "run", "backfill/backfill", *params], env)
            flow_run_id = re.search(r"UUID:\s*([0-9a-f-]{36})", started.stdout)
            assert flow_run_id, started.stdout
            final = wait_final_state(api_url, flow_run_id[1])
        log = (tmp_path / "worker.log").read_text(errors="replace")[-4000:]
        assert final["state"]["type"] == "COMPLETED", log
        assert final["parameters"]["from_year"] == 2023
        assert final["name"] == f"backfill {PORTAL} 2023-2024"  # named by what ran, also on a worker
        keys = {a["key"] for a in artifacts_of(api_url, flow_run_id[1])}
        assert {"backfill-reports", "backfill-summary", "backfill-progress"} <= keys
        manifest = replica.manifest()

    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    expected = {
        (r["agency"], r["year"]): truth_cells(r)
        for r in manifest["reports"]
        if recoverable(r) and r["year"] in (2023, 2024)
    }
    stored = stored_cells()
    assert expected and {k: stored.get(k) for k in expected} == expected
    assert {year for _, year in stored} == {2023, 2024}
