"""pytest fixtures for the replica portal, enabled for the whole suite by tests/conftest.py (`pytest_plugins`).

`replica` is a factory: `replica(seed=1, faults=Faults(), family="trs", **site_kwargs)` returns
a started ReplicaServer, stopped at teardown. `replica_site` is one clean default server
shared by the whole session: tests must not change its revision. `hanweb_replica` and
`hanweb_site` are the same for the Hanweb site (replica.hanweb).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from replica.faults import Faults
from replica.server import Family, ReplicaServer

ReplicaFactory = Callable[..., ReplicaServer]


def _factory(default: Family) -> Iterator[ReplicaFactory]:
    servers: list[ReplicaServer] = []

    def start(
        seed: int = 1, faults: Faults | None = None, family: Family = default, **site_kwargs: Any
    ) -> ReplicaServer:
        server = ReplicaServer(seed, faults=faults or Faults(), family=family, **site_kwargs).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def replica() -> Iterator[ReplicaFactory]:
    """Factory of started replica servers, each stopped when the test ends."""
    yield from _factory("trs")


@pytest.fixture
def hanweb_replica() -> Iterator[ReplicaFactory]:
    """Factory of started Hanweb replica servers (`legacy_dataproxy=True` among the site kwargs)."""
    yield from _factory("hanweb")


@pytest.fixture(scope="session")
def replica_site() -> Iterator[ReplicaServer]:
    """The default clean site (seed 1, no faults), shared by the session; read-only."""
    with ReplicaServer(1) as server:
        yield server


@pytest.fixture(scope="session")
def hanweb_site() -> Iterator[ReplicaServer]:
    """The default clean Hanweb site (seed 1, no faults), shared by the session; read-only."""
    with ReplicaServer(1, family="hanweb") as server:
        yield server
