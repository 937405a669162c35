"""The flows end to end under Prefect against the Hanweb replica site, with faults on.

The same world as the TRS replica, printed by another CMS: discovery goes through the
Hanweb strategy (jpage datastore, data proxy, downfile.jsp, jsearchfront), and the rest of
the pipeline is the one every family shares.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from replica.faults import Faults
from replica.server import ReplicaServer
from tests.flows.truth import recoverable, stored_cells, stored_rows, truth_cells
from tests.replica_fixtures import ReplicaFactory

pytestmark = [pytest.mark.prefect, pytest.mark.slow, pytest.mark.usefixtures("prefect_api")]

PORTAL = "hanweb-replica"
FAULTS = Faults(error_rate=0.1, rate_limit_rate=0.05, reset_rate=0.05, truncate_rate=0.05, seed=11)


def _backfill(server: ReplicaServer) -> dict[str, Any]:
    from flows.collect import backfill
    from flows.outcome import flow_result

    return flow_result(backfill(portals=[PORTAL], from_year=2019, to_year=2025, base_urls={PORTAL: server.base_url}))


def test_hanweb_backfill_stores_true_values_and_the_rerun_downloads_nothing(
    hanweb_replica: ReplicaFactory, data_dir: Path
) -> None:
    server = hanweb_replica(seed=3, faults=FAULTS, departments=5)
    first = _backfill(server)
    manifest = server.manifest()
    expected = {(r["agency"], r["year"]): truth_cells(r) for r in manifest["reports"] if recoverable(r)}
    assert any(r["flags"]["search_only"] for r in manifest["reports"] if recoverable(r))
    stored = stored_cells(PORTAL)
    wrong = {k: len(v) for k, v in expected.items() if stored.get(k) != v}
    assert wrong == {}, f"reports missing or with wrong cells: {wrong}"
    rows = stored_rows(PORTAL)
    image_only = [(r["agency"], r["year"]) for r in manifest["reports"] if r["flags"]["image_only"]]
    assert image_only and all(rows[k].parse_status == "needs_ocr" for k in image_only)
    assert first["downloads"] > len(expected)

    documents = {r["article"] for r in manifest["reports"] if r["article"]}
    documents |= {a["path"] for r in manifest["reports"] for a in r["attachments"]}
    mark = len(server.request_log)
    fetched = {e.path for e in server.request_log.snapshot()[:mark] if e.status == 200}
    assert any("downfile.jsp?" in p for p in documents & fetched)  # the log names handler URLs whole

    second = _backfill(server)
    assert (second["downloads"], second["writes"]) == (0, 0)
    assert second["outcomes"] == {"unchanged": second["discovered"][PORTAL]}
    bodies = [e.path for e in server.request_log.snapshot()[mark:] if e.status == 200 and e.path in documents]
    assert bodies == []
