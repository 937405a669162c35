"""How a run ends: an unreachable portal is named as such, recorded, and fails the run in Prefect and the CLI."""

from __future__ import annotations

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


def _discover(base_url: str) -> tuple[pipeline.DiscoveryOutcome, list[tuple[str, str]]]:
    with RunContext.open(RunOptions(base_urls={PORTAL: base_url})) as ctx:
        found = pipeline.discover(ctx, PORTAL, [2024])
        with ctx.database.transaction() as session:
            failures = [(f.stage, f.error) for f in open_failures(session, [PORTAL])]
    return found, failures


def test_unreachable_portal_is_an_open_failure_until_reached(replica, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
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
    assert {"partial-failure", "unreachable"} <= record.tags
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
