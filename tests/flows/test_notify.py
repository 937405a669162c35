"""`nianbao notify` against a real `prefect server`: the automation posts to a webhook.

A loopback HTTP receiver stands in for Slack or ntfy; flow runs that fail, complete with
failures, complete cleanly, or are not nianbao's show which ones notify.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from tests.flows.prefect_server import REPO, background, free_port, prefect_env, wait_healthy

pytestmark = [pytest.mark.prefect, pytest.mark.slow]
NIANBAO = str(Path(sys.executable).with_name("nianbao"))


@contextmanager
def receiver() -> Iterator[tuple[str, list[dict[str, object]]]]:
    received: list[dict[str, object]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append(json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()


def cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_failed_and_partial_runs_post_to_the_webhook(tmp_path: Path) -> None:
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    (tmp_path / "prefect").mkdir()
    env = prefect_env(tmp_path / "prefect", api_url, tmp_path / "data")
    server_cmd = ["server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui", "--analytics-off"]
    with receiver() as (url, received), background(server_cmd, env, tmp_path / "server.log") as server:
        wait_healthy(api_url, server, tmp_path / "server.log")
        cli([NIANBAO, "notify", "--webhook", url], env)
        again = cli([NIANBAO, "notify", "--webhook", url], env)  # idempotent: still one automation
        assert "nianbao: run failed or ended with failures" in again.stdout
        ran = cli([sys.executable, str(REPO / "tests" / "flows" / "notify_flows.py")], env)
        assert "partial CompletedWithFailures" in ran.stdout, ran.stdout
        deadline = time.monotonic() + 120
        while len(received) < 2 and time.monotonic() < deadline:
            time.sleep(1)
        time.sleep(3)  # a duplicate (two automations, or one per event) would arrive about now
    log = (tmp_path / "server.log").read_text(errors="replace")[-3000:]
    by_run = {str(m["flow_run"]): m for m in received}
    assert sorted(by_run) == ["loud-failed", "loud-partial"] and len(received) == 2, (received, log)
    assert by_run["loud-failed"]["state"] == "Failed" and by_run["loud-failed"]["flow"] == "backfill"
    assert 'portal "nxzw" unreachable' in str(by_run["loud-failed"]["message"])
    assert by_run["loud-partial"]["state"] == "CompletedWithFailures"
    assert by_run["loud-partial"]["message"] == "8 failed, 1 portal unreachable"
    assert "nianbao collect run loud-partial ended CompletedWithFailures" in str(by_run["loud-partial"]["text"])


def test_notify_without_a_webhook_url_is_one_error_line() -> None:
    result = CliRunner().invoke(app, ["notify", "--webhook", "hooks.example/notify"])
    assert result.exit_code == 2
    assert result.output.strip() == "error: give --webhook http(s)://... (or --remove)"
