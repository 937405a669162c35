"""Where the per-batch orchestration time of flows.collect goes: a probe, not part of the benchmark.

Runs chains of trivial tasks shaped like `_submit_batches` (each submitted with wait_for on the
previous one, ThreadPoolTaskRunner(4)) on a temporary local API server and prints the wall time
per task with each ingredient of `process_batch` added in turn: nothing, the portal
concurrency slot (`prefect.concurrency.sync.concurrency`), 25 run-logger lines, and a Progress
artifact update after each result. Set PREFECT_HOME to a directory under bench/out/ first.

    PREFECT_HOME=bench/out/probe-home .venv/bin/python bench/pipeline_probe.py --tasks 10
"""

from __future__ import annotations

import argparse
import time

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.concurrency.sync import concurrency
from prefect.futures import PrefectFuture
from prefect.tasks import Task

from flows.artifacts import Progress
from flows.collect import batch_threads
from flows.limits import ensure_portal_limits, portal_limit_name

PORTAL = "probe-portal"


@task(cache_policy=NO_CACHE)
def plain(i: int) -> int:
    return i


@task(cache_policy=NO_CACHE)
def with_slot(i: int) -> int:
    with concurrency(portal_limit_name(PORTAL), occupy=1, strict=False):
        return i


@task(cache_policy=NO_CACHE)
def with_logs(i: int) -> int:
    logger = get_run_logger()
    for n in range(25):
        logger.info("report %d of batch %d: new", n, i)
    return i


def chain(fn: Task[[int], int], count: int, progress: Progress | None = None) -> float:
    """Seconds per task for `count` tasks, each waiting for the one before (as the batches do)."""
    start = time.perf_counter()
    previous: list[PrefectFuture[int]] = []
    futures: list[PrefectFuture[int]] = []
    for i in range(count):
        future = fn.submit(i, wait_for=previous, return_state=False)  # Prefect types wait_for only with return_state
        futures.append(future)
        previous = [future]
    for future in futures:
        future.result()
        if progress:
            progress.advance(1)
    return (time.perf_counter() - start) / count


@flow(task_runner=batch_threads())
def probe(count: int) -> dict[str, float]:
    ensure_portal_limits([PORTAL])
    slot_start = time.perf_counter()
    for _ in range(count):
        with concurrency(portal_limit_name(PORTAL), occupy=1, strict=False):
            pass
    return {
        "slot acquire+release in the flow, no task": (time.perf_counter() - slot_start) / count,
        "plain task": chain(plain, count),
        "task + concurrency slot": chain(with_slot, count),
        "task + 25 log lines": chain(with_logs, count),
        "plain task + Progress.advance per result": chain(plain, count, Progress("probe-progress", count)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=10)
    args = parser.parse_args()
    probe(args.tasks)  # warm-up: starts the temporary server, creates the limit
    for label, seconds in probe(args.tasks).items():
        print(f"{label:<45} {1000 * seconds:8.1f} ms per task")


if __name__ == "__main__":
    main()
