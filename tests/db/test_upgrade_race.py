"""Two workers' flows start at once and both upgrade the shared database: neither may fail."""

from __future__ import annotations

import multiprocessing

import pytest

from db.migrate import current_revision, head_revision, upgrade


@pytest.mark.parametrize("attempt", range(4))  # on PostgreSQL the race lost 2 of 3 attempts before the lock
def test_concurrent_upgrades_of_a_fresh_database_both_succeed(database_url: str, attempt: int) -> None:
    ctx = multiprocessing.get_context("spawn")
    upgraders = [ctx.Process(target=upgrade, args=(database_url,)) for _ in range(2)]
    for process in upgraders:
        process.start()
    for process in upgraders:
        process.join(120)
    assert [p.exitcode for p in upgraders] == [0, 0]
    assert current_revision(database_url) == head_revision()
