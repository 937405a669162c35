"""How a run ends: an unreachable portal is named as such, recorded, and fails the run in Prefect and the CLI."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from db.failures import open_failures
from db.migrate import upgrade
from flows import pipeline
from flows.context import RunContext, RunOptions
from nianbao.cli import app
from nianbao.config import Settings
from tests.flows.runs import closed_port_url, run_record
from tests.flows.truth import PORTAL
from tests.replica_fixtures import ReplicaFactory

SPECS = Path(__file__).resolve().parents[2] / "portals"


def _discover(base_url: str) -> tuple[pipeline.DiscoveryOutcome, list[tuple[str, str]]]:
    with RunContext.open(RunOptions(base_urls={PORTAL: base_url})) as ctx:
        found = pipeline.discover(ctx, PORTAL, [2024])
        with ctx.database.transaction() as session:
            failures = [(f.stage, f.error) for f in open_failures(session, [PORTAL])]
    return found, failures


def test_unreachable_portal_is_an_open_failure_until_reached(replica: ReplicaFactory, data_dir: Path) -> None:
    upgrade(Settings.from_env().database_url)
    closed = closed_port_url()
    found, failures = _discover(closed)
    assert (found.reports, found.unreachable) == ([], "connection refused")
    # Not "layout_changed: no 年报 column found" nor the robots.txt notes that follow from it.
    assert found.problems == ["unreachable: connection refused"]
    assert failures == [("discover", "unreachable: connection refused")]

    server = replica(seed=8, departments=2, port=urlsplit(closed).port)  # the portal is back
    found, failures = _discover(server.base_url)
    assert found.reports and found.unreachable is None
    assert failures == []


class _EdgeOnly(BaseHTTPRequestHandler):
    """A CDN edge in front of a dead site: robots.txt answers, every page hangs."""

    release = threading.Event()

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            body = b"User-agent: *\nAllow: /\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.release.wait(10)  # longer than the spec's read timeout below; released at teardown

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def edge_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The replica portal's spec with a short read timeout, pointed at `_EdgeOnly`."""
    spec = (SPECS / f"{PORTAL}.yaml").read_text()
    assert "read_timeout_s: 5\n" in spec and "retries: 3\n" in spec
    portals = tmp_path / "portals"
    portals.mkdir()
    (portals / f"{PORTAL}.yaml").write_text(spec.replace("read_timeout_s: 5\n", "read_timeout_s: 0.3\n")
                                            .replace("retries: 3\n", "retries: 0\n"))  # fmt: skip
    monkeypatch.setenv("NIANBAO_PORTALS_DIR", str(portals))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EdgeOnly)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    _EdgeOnly.release.set()
    server.shutdown()
    server.server_close()


def test_portal_whose_pages_all_time_out_is_unreachable(edge_only: str, data_dir: Path) -> None:
    upgrade(Settings.from_env().database_url)
    found, failures = _discover(edge_only)
    assert (found.reports, found.unreachable, found.problems) == ([], "timed out", ["unreachable: timed out"])
    # The portal's own failure; the pages it could not read may be recorded beside it.
    assert ("discover", "unreachable: timed out") in failures
    assert not [error for _, error in failures if "layout_changed" in error]


@pytest.mark.prefect
@pytest.mark.slow
@pytest.mark.usefixtures("prefect_api")
def test_collect_of_an_unreachable_portal_is_a_failed_tagged_run(data_dir: Path) -> None:
    from flows.collect import collect
    from flows.outcome import NothingCollected

    state = collect(portals=[PORTAL], years=[2023, 2024], base_urls={PORTAL: closed_port_url()}, return_state=True)
    record = run_record(state)
    assert record.name == f"collect {PORTAL} 2023-2024"
    assert (record.state_type, record.message) == ("FAILED", "nothing could be collected: 1 portal unreachable")
    assert "unreachable" in record.tags and "partial-failure" not in record.tags
    error = state.result(raise_on_failure=False)
    assert isinstance(error, NothingCollected)
    assert error.result["unreachable"] == {PORTAL: "connection refused"}
    assert "(1 portal unreachable)" in str(record.artifacts["collect-summary"].description)


@pytest.mark.prefect
@pytest.mark.slow
@pytest.mark.usefixtures("prefect_api")
def test_backfill_command_exits_3_when_a_portal_is_unreachable(data_dir: Path) -> None:
    args = ["backfill", "--portal", PORTAL, "--from", "2024", "--to", "2024", "--base-url", closed_port_url()]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 3, result.output
    assert f"unreachable: {PORTAL} (connection refused)" in result.output
    assert "layout_changed" not in result.output and "robots" not in result.output
    assert "run: 1 portal unreachable" in result.output
    assert "error: nothing could be collected: 1 portal unreachable" in result.stderr
