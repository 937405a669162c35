"""Every collection run publishes the compliance view of its portals and years as a table artifact: the same
rows `nianbao compliance` prints for that database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.artifacts import COMPLIANCE_COLUMNS
from nianbao.cli import app
from tests.flows.runs import run_record
from tests.flows.truth import PORTAL
from tests.replica_fixtures import ReplicaFactory

pytestmark = [pytest.mark.prefect, pytest.mark.slow, pytest.mark.usefixtures("prefect_api")]


def test_backfill_publishes_the_compliance_table(replica: ReplicaFactory, data_dir: Path) -> None:
    from flows.collect import backfill

    server = replica(seed=6, departments=2)
    state = backfill(portals=[PORTAL], from_year=2022, to_year=2023, base_urls={PORTAL: server.base_url},
                     return_state=True)  # fmt: skip
    artifact = run_record(state).artifacts["backfill-compliance"]
    table = artifact.data if isinstance(artifact.data, list) else json.loads(artifact.data)

    shown = CliRunner().invoke(app, ["compliance", "--portal", PORTAL, "--year", "2022-2023", "--format", "json"])
    assert shown.exit_code == 0, shown.output
    expected = [json.loads(line) for line in shown.stdout.splitlines()]
    assert expected, "the backfill stored nothing to check"
    assert [(r["agency"], r["year"], r["status"]) for r in table] == [
        (r["agency"], r["year"], r["status"]) for r in expected
    ]
    assert set(table[0]) == set(COMPLIANCE_COLUMNS)
    summary = shown.stderr.strip().splitlines()[-1]
    assert artifact.description == f"Compliance per agency and year (2022, 2023): {summary}"
