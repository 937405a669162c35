"""Where the reparse flow's batches run when it is asked to scale out: a Dask cluster.

A reparse reads stored documents only (database and blob store, no portal), so its batches can
run on any machine that reaches both; adding Dask workers adds throughput. The cluster is the
scheduler at NIANBAO_DASK_ADDRESS when set, else a LocalCluster of process workers started for
the run and stopped after it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prefect_dask.task_runners import DaskTaskRunner

# Each Dask worker parses in its own pool of guarded processes (parsers/isolated.py), and a
# daemonic process may not start children: LocalCluster's workers are made non-daemonic here.
# Dask's nanny also sets MALLOC_TRIM_THRESHOLD_=65536 for its workers, which their parser
# processes inherit: an OCR parse took 19.6 s under it against 4.4 s without (measured, one
# scanned PDF of the replica), so it is left at glibc's default. A remote cluster's workers need
# the same two settings in their Dask config (docs/scale.md).
_WORKER_CONFIG = {
    "distributed.worker.daemon": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}


@contextmanager
def dask_runner(address: str | None, workers: int) -> Iterator[DaskTaskRunner]:
    """A started DaskTaskRunner on the cluster at `address`, or on a LocalCluster of `workers` processes."""
    import dask
    from prefect_dask.task_runners import DaskTaskRunner

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
        # A worker parses one document at a time: one guarded parser process each, unless set otherwise.
        env = {"NIANBAO_PARSE_WORKERS": os.environ.get("NIANBAO_PARSE_WORKERS", "1")}
        api_url = _prefect_api_url()
        if api_url:  # else each worker would start a temporary Prefect server of its own
            env["PREFECT_API_URL"] = api_url
        cluster["env"] = env
        runner = DaskTaskRunner(cluster_kwargs=cluster)
    with dask.config.set(_WORKER_CONFIG), _environment_kept(), runner:
        try:
            _ = runner.client  # connect (or start the cluster) now, so an unreachable scheduler fails here
        except OSError as exc:  # distributed gives up connecting after its own timeout (30 s by default)
            where = f"the Dask scheduler at {address} (NIANBAO_DASK_ADDRESS)" if address else "a local Dask cluster"
            raise DaskUnavailable(f"reparse could not reach {where}: {exc}") from exc
        yield runner


@contextmanager
def _environment_kept() -> Iterator[None]:
    """The nanny writes its workers' variables (OMP_NUM_THREADS=1, PYTHONHASHSEED, ...) into this
    process's environment before it spawns them; they must not outlive the cluster here."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        for name in set(os.environ) - set(saved):
            del os.environ[name]
        os.environ.update(saved)


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
