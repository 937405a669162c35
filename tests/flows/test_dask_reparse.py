"""The reparse flow's batches on a Dask LocalCluster of two process workers (prefect-dask)."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest
from sqlalchemy import update

from db.database import Database
from db.models import Document, Report, ReportSource
from db.queries import reparse_items
from flows.runners import DaskUnavailable, dask_runner
from nianbao.config import Settings
from parsers.version import PARSER_VERSION
from tests.flows.truth import PORTAL, recoverable, stored_cells, truth_cells
from tests.replica_fixtures import ReplicaFactory


def _child_pid() -> int:
    """What a reparse batch does on a worker: start a parser process (parsers/isolated.py)."""
    child = multiprocessing.get_context("spawn").Process(target=os.getpid)
    child.start()
    child.join(60)
    assert child.exitcode == 0
    return os.getpid()


def _environment() -> dict[str, str]:
    return dict(os.environ)


def test_local_cluster_workers_may_start_processes_and_report_to_this_api() -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    before = dict(os.environ)
    assert "PREFECT_API_URL" not in before
    # As under the CLI's temporary server: this process knows the API, the workers' environment would not.
    with temporary_settings({PREFECT_API_URL: "http://127.0.0.1:4321/api"}), dask_runner(None, 2) as runner:
        assert len(runner.client.scheduler_info()["workers"]) == 2
        pids = runner.client.gather([runner.client.submit(_child_pid, pure=False) for _ in range(4)])
        workers = runner.client.gather([runner.client.submit(_environment, pure=False) for _ in range(4)])
    assert all(pid != os.getpid() for pid in pids)  # ran in the workers' processes, not here
    assert [env.get("PREFECT_API_URL") for env in workers] == ["http://127.0.0.1:4321/api"] * 4
    # Parser processes would inherit a worker's malloc trimming (4.5x slower OCR, docs/scale.md).
    assert not any("MALLOC_TRIM_THRESHOLD_" in env for env in workers)
    assert dict(os.environ) == before  # the nanny's variables for its workers did not stay here


def test_an_unreachable_scheduler_is_one_line_naming_it() -> None:
    import dask
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with (
        temporary_settings({PREFECT_API_URL: "http://127.0.0.1:4321/api"}),
        dask.config.set({"distributed.comm.timeouts.connect": "2s"}),
        pytest.raises(DaskUnavailable) as caught,
        dask_runner("tcp://127.0.0.1:9", 2),
    ):
        pass
    message = str(caught.value)
    assert message.startswith("reparse could not reach the Dask scheduler at tcp://127.0.0.1:9 (NIANBAO_DASK_ADDRESS)")
    assert "\n" not in message


def test_a_remote_cluster_without_a_prefect_server_is_refused() -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    refused = pytest.raises(DaskUnavailable, match=r"needs a Prefect server its workers reach: set PREFECT_API_URL")
    # No API configured, even where an earlier test of the session started the Prefect harness.
    with temporary_settings(restore_defaults={PREFECT_API_URL}), refused, dask_runner("tcp://127.0.0.1:9", 2):
        pass


@pytest.mark.prefect
@pytest.mark.slow
@pytest.mark.usefixtures("prefect_api")
def test_reparse_on_two_dask_workers_rereads_every_document_once(replica: ReplicaFactory, data_dir: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    from flows.collect import backfill, reparse

    server = replica(seed=5, departments=3)
    backfill(portals=[PORTAL], from_year=2021, to_year=2024, base_urls={PORTAL: server.base_url})
    reports = [r for r in server.manifest()["reports"] if recoverable(r) and 2021 <= r["year"] <= 2024]
    expected = {(r["agency"], r["year"]): truth_cells(r) for r in reports}
    server.stop()  # a reparse reads only the database and the blob store
    database = Database(Settings.from_env().database_url)
    with database.transaction() as session:
        for model in (ReportSource, Document, Report):
            session.execute(update(model).values(parser_version="0.old"))
        due = reparse_items(session, PARSER_VERSION, [PORTAL])
    assert len(due) > 8

    state = reparse(portals=[PORTAL], dask=True, dask_workers=2, batch_size=4, return_state=True)
    result = state.result()
    assert sum(result["outcomes"].values()) == len(due) and "failed" not in result["outcomes"]
    assert result["outcomes"].get("reparsed", 0) > 0
    this_run = FlowRunFilter(id=FlowRunFilterId(any_=[state.state_details.flow_run_id]))
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=this_run)
    batches = sorted(r.name for r in runs if r.name.startswith("reparse-"))
    assert batches == sorted(f"reparse-{first}" for first in range(0, len(due), 4))
    assert {r.state_type.value for r in runs if r.name.startswith("reparse-")} == {"COMPLETED"}
    # Each document re-read once, and what the workers stored is what the portal published.
    with database.transaction() as session:
        assert reparse_items(session, PARSER_VERSION, [PORTAL]) == []
        versions = {v for (v,) in session.query(ReportSource.parser_version).distinct()}
    assert versions == {PARSER_VERSION}
    assert stored_cells() == expected
    database.dispose()
