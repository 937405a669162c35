"""`nianbao crawl PORTAL` without --dry-run stores what it discovers (no Prefect involved)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from nianbao.cli import app
from tests.flows.truth import PORTAL, recoverable, stored_cells, truth_cells
from tests.replica_fixtures import ReplicaFactory


def test_crawl_downloads_parses_and_stores(replica: ReplicaFactory, data_dir: Path) -> None:
    server = replica(seed=9, departments=2)
    result = CliRunner().invoke(app, ["crawl", PORTAL, "--years", "2023", "--base-url", server.base_url])
    assert result.exit_code == 0, result.output
    expected = {(r["agency"], r["year"]): truth_cells(r) for r in server.manifest()["reports"]
                if r["year"] == 2023 and recoverable(r)}  # fmt: skip
    assert expected and stored_cells() == expected
    assert "stored: {'new': " in result.output
