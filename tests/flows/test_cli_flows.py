"""`nianbao backfill` runs the flow in-process with a progress bar and a final summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from tests.flows.truth import PORTAL, stored_cells
from tests.replica_fixtures import ReplicaFactory

pytestmark = [pytest.mark.prefect, pytest.mark.slow, pytest.mark.usefixtures("prefect_api")]


def test_backfill_command_shows_progress_and_summary(
    replica: ReplicaFactory, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_LOGGING_LEVEL", "WARNING")
    server = replica(seed=8, departments=2)
    args = ["backfill", "--portal", PORTAL, "--from", "2024", "--to", "2024", "--base-url", server.base_url]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    wanted = [r for r in server.manifest()["reports"] if r["year"] == 2024 and not r["flags"]["robots_disallowed"]]
    assert f"{len(wanted)}/{len(wanted)} reports" in result.output
    assert f"reports discovered: {len(wanted)} (new {len(wanted)})" in result.output
    assert {year for _, year in stored_cells()} == {2024}
    assert result.output.rstrip().endswith("run: clean")


def test_backfill_rejects_an_empty_year_range() -> None:
    result = CliRunner().invoke(app, ["backfill", "--portal", PORTAL, "--from", "2024", "--to", "2020"])
    assert result.exit_code == 2 and "is after" in result.output
