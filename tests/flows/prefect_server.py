"""A real `prefect server` and process worker in subprocesses, for the deployment test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

PREFECT = str(Path(sys.executable).with_name("prefect"))
REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prefect_env(home: Path, api_url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NIANBAO_"))}
    return env | {
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api_url,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "NIANBAO_DATA_DIR": str(data_dir),
        "NIANBAO_PROJECT_DIR": str(REPO),
    }


def run(args: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [PREFECT, "--no-prompt", *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"prefect {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@contextmanager
def background(args: list[str], env: dict[str, str], log: Path, cwd: Path = REPO) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen([PREFECT, *args], env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_healthy(api_url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"prefect server exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if requests.get(f"{api_url}/health", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise AssertionError(f"prefect server not healthy after {timeout} s:\n{log.read_text(errors='replace')[-3000:]}")


def wait_final_state(api_url: str, flow_run_id: str, timeout: float = 600) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run_ = requests.get(f"{api_url}/flow_runs/{flow_run_id}", timeout=10).json()
        if run_["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return run_
        time.sleep(2)
    raise AssertionError(f"flow run {flow_run_id} did not finish in {timeout} s")


def artifacts_of(api_url: str, flow_run_id: str) -> list[dict[str, object]]:
    body = {"artifacts": {"flow_run_id": {"any_": [flow_run_id]}}}
    return requests.post(f"{api_url}/artifacts/filter", json=body, timeout=10).json()


def deployment_by_name(api_url: str, name: str) -> dict[str, Any]:
    """The deployment `flow/deployment` as the API returns it (schedules included)."""
    response = requests.get(f"{api_url}/deployments/name/{name}", timeout=10)
    assert response.ok, f"deployment {name}: HTTP {response.status_code} {response.text[:500]}"
    return response.json()


def scheduled_runs_of(api_url: str, deployment_id: str) -> list[dict[str, Any]]:
    """Flow runs of one deployment in state SCHEDULED, earliest first."""
    body = {
        "deployments": {"id": {"any_": [deployment_id]}},
        "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
        "sort": "EXPECTED_START_TIME_ASC",
    }
    response = requests.post(f"{api_url}/flow_runs/filter", json=body, timeout=10)
    assert response.ok, f"flow run filter: HTTP {response.status_code} {response.text[:500]}"
    return response.json()
