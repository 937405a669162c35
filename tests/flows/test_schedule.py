"""The yearly-collection schedule fires: a real `prefect server`'s scheduler creates its next run.

Every other test triggers runs by hand, so a server whose scheduler fails on each loop
(SQLAlchemy 2.1 with prefect 3.8.8: "Can't evaluate bulk DML statement") passed them all
while the deployment's Upcoming tab stayed empty. This test deploys prefect.yaml and
waits for the scheduler itself.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.flows.prefect_server import (
    background,
    deployment_by_name,
    free_port,
    prefect_env,
    run,
    scheduled_runs_of,
    wait_healthy,
)

pytestmark = [pytest.mark.prefect, pytest.mark.slow]

SHANGHAI = ZoneInfo("Asia/Shanghai")
SCHEDULER_WAIT_S = 120
# The scheduler loops every 60 s and looks 100 days ahead by default; a fast loop keeps the
# test short and a horizon past a year makes the next 15 February visible on any date.
SCHEDULER_ENV = {
    "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
    "PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS": "2",
    "PREFECT_SERVER_SERVICES_SCHEDULER_MAX_SCHEDULED_TIME": "P400D",
}
SCHEDULER_ERRORS = ("Traceback", "InvalidRequestError", "Can't evaluate bulk DML")


def next_15th_3am(month: int, now: dt.datetime) -> dt.datetime:
    """The first 15 <month> 03:00 Asia/Shanghai strictly after `now` (what prefect.yaml's crons say)."""
    local = now.astimezone(SHANGHAI)
    candidate = dt.datetime(local.year, month, 15, 3, tzinfo=SHANGHAI)
    return candidate if candidate > local else candidate.replace(year=local.year + 1)


def wait_scheduled_runs(api_url: str, deployment_id: str, log: Path) -> list[dict[str, Any]]:
    deadline = time.monotonic() + SCHEDULER_WAIT_S
    while time.monotonic() < deadline:
        runs = scheduled_runs_of(api_url, deployment_id)
        if runs:
            return runs
        time.sleep(1)
    tail = log.read_text(errors="replace")[-4000:]
    raise AssertionError(f"no scheduled run of yearly-collection after {SCHEDULER_WAIT_S} s; server log:\n{tail}")


def test_scheduler_creates_the_next_yearly_collection_run(tmp_path: Path) -> None:
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    (tmp_path / "prefect").mkdir()
    env = prefect_env(tmp_path / "prefect", api_url, tmp_path / "data") | SCHEDULER_ENV
    log = tmp_path / "server.log"
    server_cmd = ["server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui", "--analytics-off"]
    with background(server_cmd, env, log) as server:
        wait_healthy(api_url, server, log)
        run(["work-pool", "create", "nianbao", "--type", "process"], env)
        deployed_at = dt.datetime.now(dt.UTC)
        run(["deploy", "--all"], env)
        deployment = deployment_by_name(api_url, "collect/yearly-collection")
        runs = wait_scheduled_runs(api_url, deployment["id"], log)
        time.sleep(4)  # two more scheduler loops: an error on a later pass shows in the log too

    schedules = {s["slug"]: s for s in deployment["schedules"]}
    assert set(schedules) == {"yearly-feb15", "catch-up-apr15"}
    assert all(s["active"] for s in schedules.values()), schedules
    assert schedules["catch-up-apr15"]["schedule"]["cron"] == "0 3 15 4 *"
    assert schedules["catch-up-apr15"]["schedule"]["timezone"] == "Asia/Shanghai"

    starts = [dt.datetime.fromisoformat(r["expected_start_time"]) for r in runs]
    shown = [s.isoformat() for s in starts]
    feb15, apr15 = next_15th_3am(2, deployed_at), next_15th_3am(4, deployed_at)
    assert feb15 in starts, f"expected a run at {feb15.isoformat()}, scheduled: {shown}"
    assert apr15 in starts, f"expected a catch-up run at {apr15.isoformat()}, scheduled: {shown}"
    assert all(r["deployment_id"] == deployment["id"] for r in runs)
    assert deployment["job_variables"]["env"]["DO_NOT_TRACK"] == "1"  # flow runs send no telemetry

    server_log = log.read_text(errors="replace")
    errors = [line for line in server_log.splitlines() if any(marker in line for marker in SCHEDULER_ERRORS)]
    assert not errors, "scheduler errors in the server log:\n" + "\n".join(errors[:20])
