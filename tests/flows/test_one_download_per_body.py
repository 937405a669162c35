"""Each document body is downloaded at most once per run: the batch reuses the article pages
discovery fetched (flows/pipeline.py hands them over through the blob store).

Calls flows/pipeline.py directly (no Prefect), like test_nothing_lost.py.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from flows import pipeline
from flows.context import RunContext, RunOptions
from replica.server import ReplicaServer
from tests.flows.truth import PORTAL
from tests.replica_fixtures import ReplicaFactory

YEARS = [2023, 2024]


def _bodies_served(server: ReplicaServer) -> Counter[str]:
    return Counter(
        entry.path
        for entry in server.request_log
        if entry.method == "GET" and entry.status == 200 and entry.path != "/robots.txt"
    )


def test_no_article_or_file_is_downloaded_twice_in_a_run(replica: ReplicaFactory, data_dir: Path) -> None:
    server = replica(seed=4, departments=4, years=range(2022, 2025))
    with RunContext.open(RunOptions(base_urls={PORTAL: server.base_url})) as ctx:
        ctx.database.upgrade()
        found = pipeline.discover(ctx, PORTAL, YEARS)
        batch = pipeline.process_batch(ctx, PORTAL, found.reports)
        served = _bodies_served(server)
        assert found.reports and all(t.outcome == "new" for t in batch.tallies), [
            (t.url, t.outcome) for t in batch.tallies if t.outcome != "new"
        ]
        pages = {p.removeprefix(server.base_url) for r in found.reports for p in r.pages}
        files = {a.url.removeprefix(server.base_url) for r in found.reports for a in r.attachments}
        assert pages and files and all(served[p] == 1 for p in pages | files), {p: served[p] for p in pages | files}
        assert {path: n for path, n in served.items() if n > 1} == {}
        # What discovery read, the batch stored: the batch itself asked for no article page.
        assert batch.requests <= len(files) + 1  # the files, and robots.txt for its own client

        # A second run reads every page conditionally, once: no body at all.
        server.request_log.clear()
        again = pipeline.discover(ctx, PORTAL, YEARS)
        rerun = pipeline.process_batch(ctx, PORTAL, again.reports)
        assert {p for p in _bodies_served(server) if p in pages | files} == set()
        # The pages handed over as 304s are the stored documents: nothing changes.
        assert {t.outcome for t in rerun.tallies} == {"unchanged"} and rerun.downloads == 0
