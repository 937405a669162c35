"""Discovery within the request budget: it stops asking, says so once, and a resumed run reads the rest first."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from replica.server import ReplicaServer
from scrapers.discovery import Discovery, discover_reports
from scrapers.discovery.engine import BUDGET
from scrapers.http import PoliteClient
from tests.replica_fixtures import replica  # noqa: F401  (the factory fixture)
from tests.scrapers.test_discovery_replica import spec_for


def _discover(server: ReplicaServer, budget: int, first: list[str] | None = None) -> tuple[Discovery, int]:
    spec = spec_for(server, max_requests_per_run=budget)
    with PoliteClient(spec) as client:
        found = discover_reports(spec, client, first=first or ())
        return found, client.stats.requests


@pytest.mark.parametrize("family", ["trs", "hanweb"])
def test_discovery_out_of_budget_leaves_the_rest_and_a_resumed_run_reads_it_first(
    replica: Callable[..., ReplicaServer],  # noqa: F811
    family: str,
) -> None:
    server = replica(seed=6, family=family, departments=4)
    whole, _requests = _discover(server, 20000)
    columns = [c.url for c in whole.columns]
    assert len(columns) > 2 and not any(p.kind == BUDGET for p in whole.problems)

    budget = 16  # the catalog's pages and a column or two
    cut, requests = _discover(server, budget)
    assert requests <= budget
    told = [p for p in cut.problems if p.kind == BUDGET]
    assert len(told) == 1 and f"request budget of {budget} per host used up" in told[0].detail, cut.problems
    left = [u.url for u in cut.unreached if u.outcome == BUDGET]
    left_columns = [url for url in columns if url in left]
    assert left_columns, left  # whole columns were left over
    assert len(cut.reports) < len(whole.reports)

    mark = len(server.request_log)
    resumed, _requests = _discover(server, budget, first=left)
    asked = [server.base_url + e.path for e in server.request_log.snapshot()[mark:]]
    first_column = next(url for url in asked if url in columns)
    assert first_column == left_columns[0], (first_column, left_columns)  # not the column read last time
    assert {c.url for c in resumed.columns if c.pages} & set(left_columns)
