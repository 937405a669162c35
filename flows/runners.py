"""Where the reparse flow's batches run when it is asked to scale out: a Dask cluster.

A reparse reads stored documents only (database and blob store, no portal), so its batches can
run on any machine that reaches both; adding Dask workers adds throughput. The cluster is the
scheduler at NIANBAO_DASK_ADDRESS when set, else a LocalCluster of process workers started for
the run and stopped after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prefect_dask import DaskTaskRunner

# Each Dask worker parses in its own pool of guarded processes (parsers/isolated.py), and a
# daemonic process may not start children: LocalCluster's workers are made non-daemonic here;
# workers of a remote cluster need DASK_DISTRIBUTED__WORKER__DAEMON=False (docs/scale.md).
_WORKER_CONFIG = {"distributed.worker.daemon": False}


@contextmanager
def dask_runner(address: str | None, workers: int) -> Iterator[DaskTaskRunner]:
    """A started DaskTaskRunner on the cluster at `address`, or on a LocalCluster of `workers` processes."""
    import dask
    from prefect_dask import DaskTaskRunner

    if address:
        if not _settings_api_url():
            # The workers report their task runs; Prefect's temporary server listens on loopback only.
            raise DaskUnavailable(f"reparse on the Dask cluster at {address} (NIANBAO_DASK_ADDRESS) needs a Prefect "
                                  "server its workers reach: set PREFECT_API_URL here and on the workers")  # fmt: skip
        runner = DaskTaskRunner(address=address)
    else:
        if workers < 1:
            raise ValueError(f"a local Dask cluster needs at least one worker, not {workers}")
        # One thread per worker: a batch parses its documents one after another, so workers are the unit.
        cluster: dict[str, object] = {"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                      "dashboard_address": ":0"}  # fmt: skip
        api_url = _prefect_api_url()
        if api_url:  # else each worker would start a temporary Prefect server of its own
            cluster["env"] = {"PREFECT_API_URL": api_url}
        runner = DaskTaskRunner(cluster_kwargs=cluster)
    with dask.config.set(_WORKER_CONFIG), runner:
        try:
            _ = runner.client  # connect (or start the cluster) now, so an unreachable scheduler fails here
        except OSError as exc:  # distributed gives up connecting after its own timeout (30 s by default)
            where = f"the Dask scheduler at {address} (NIANBAO_DASK_ADDRESS)" if address else "a local Dask cluster"
            raise DaskUnavailable(f"reparse could not reach {where}: {exc}") from exc
        yield runner


class DaskUnavailable(RuntimeError):
    """No Dask cluster to run on: the message names the scheduler and why."""


def _settings_api_url() -> str | None:
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    return str(url) if url else None


def _prefect_api_url() -> str | None:
    """The API this flow run reports to: PREFECT_API_URL, or the temporary server the CLI started."""
    configured = _settings_api_url()
    if configured:
        return configured
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the process's one temporary server (Prefect keeps a singleton)
    return server.api_url if server.running else None
