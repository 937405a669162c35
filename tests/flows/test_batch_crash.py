"""A batch task that fails after its retries fails its own reports, not the run or the later batches.

The crash is injected by replacing the pipeline's batch function for its first call: no
input we can serve makes today's batch raise (every per-report surprise is caught inside it),
but a bug that does must cost one batch, recorded and retried next run, not a portal.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from db.database import Database
from db.failures import open_failures
from nianbao.config import Settings
from tests.flows.runs import run_record
from tests.flows.truth import PORTAL, recoverable, stored_cells

pytestmark = [pytest.mark.prefect, pytest.mark.slow, pytest.mark.usefixtures("prefect_api")]


def test_a_crashed_batch_fails_its_reports_and_later_batches_run(
    replica: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows import collect, pipeline

    real = pipeline.process_batch
    crashed: list[list[str]] = []
    lock = threading.Lock()

    def crash_first(ctx: Any, portal_id: str, reports: list[Any], *args: Any, **kwargs: Any) -> Any:
        with lock:
            first = not crashed
            if first:
                crashed.append([r.url for r in reports])
        if first:
            raise RuntimeError("injected batch crash")
        return real(ctx, portal_id, reports, *args, **kwargs)

    monkeypatch.setattr(pipeline, "process_batch", crash_first)
    monkeypatch.setattr(collect, "process_batch", collect.process_batch.with_options(retries=0))
    server = replica(seed=5, departments=3)

    state = collect.backfill(
        portals=[PORTAL], from_year=2019, to_year=2025, batch_size=5, base_urls={PORTAL: server.base_url},
        return_state=True,
    )  # fmt: skip
    result = state.result()

    assert crashed and len(crashed[0]) == 5
    assert result["failed"] >= 5 and result["discovered"][PORTAL] > 10
    with Database(Settings.from_env().database_url).transaction() as session:
        failed_urls = {f.url for f in open_failures(session, [PORTAL]) if "injected batch crash" in f.error}
    assert failed_urls == set(crashed[0])
    # Every later batch ran: the reports outside the crashed batch are stored.
    manifest = server.manifest()["reports"]
    stored = stored_cells()
    later = [r for r in manifest if recoverable(r) and r["year"] in range(2019, 2026)]
    assert sum((r["agency"], r["year"]) in stored for r in later) >= len(later) - 5
    record = run_record(state)
    assert (record.state_type, record.state_name) == ("COMPLETED", "CompletedWithFailures")
    assert "partial-failure" in record.tags
