"""Reparse benchmark: documents/s of the reparse flow in-process (the default) and on Dask at 1 and 2 workers.

In one run: the replica portal (this process, a background thread, politeness 0) is collected once
through flows.pipeline into a corpus data dir. Then, for each runner, the corpus is copied to a fresh
data dir, every parse is marked as made by an older parser version, and `flows.collect.reparse` runs,
in a fresh child process under the CLI's temporary Prefect API: the default (in the flow's process),
then a Dask LocalCluster of 1 and of 2 process workers (cluster start included in the time). Prints
documents re-read, wall seconds and documents/s, and whether each run stored the same cells as the
corpus. Timings are printed, never asserted. Output files go under bench/out/reparse/.

    .venv/bin/python bench/reparse_bench.py --departments 20
    .venv/bin/python bench/reparse_bench.py --quick
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import queue
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from pipeline_bench import fresh_dir, portals_without_delay

PORTAL = "nxzw-replica"
BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out" / "reparse"
YEARS = list(range(2019, 2026))
CHILD_TIMEOUT_S = 1800


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--departments", type=int, default=20, help="replica departments (7 report years each)")
    parser.add_argument("--quick", action="store_true", help="a small corpus (4 departments) for a smoke run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=10, help="documents per reparse batch (default 10)")
    return parser.parse_args()


def use_data_dir(path: Path) -> None:
    """Settings come from the environment, read when a run opens its context (and by Dask workers at spawn)."""
    os.environ["NIANBAO_DATA_DIR"] = str(path)
    for name in ("NIANBAO_DATABASE_URL", "NIANBAO_BLOB_DIR", "NIANBAO_BLOB_URL", "NIANBAO_DASK_ADDRESS"):
        os.environ.pop(name, None)


def build_corpus(departments: int, seed: int, batch_size: int) -> tuple[Path, int]:
    """Collect the replica once, directly (no Prefect): the stored documents every runner re-reads."""
    from db.migrate import upgrade
    from flows import pipeline
    from flows.context import RunContext
    from replica.server import ReplicaServer

    corpus = fresh_dir(OUT / "corpus")
    use_data_dir(corpus)
    with ReplicaServer(seed, departments=departments) as server, RunContext.open(_at(server.base_url)) as ctx:
        upgrade(ctx.settings.database_url)
        found = pipeline.discover(ctx, PORTAL, YEARS)
        for first in range(0, len(found.reports), batch_size):
            pipeline.process_batch(ctx, PORTAL, found.reports[first : first + batch_size])
    return corpus, len(found.reports)


def _at(base_url: str) -> Any:
    from flows.context import RunOptions

    return RunOptions(base_urls={PORTAL: base_url})


def stored_cells() -> dict[Any, Any]:
    from db.database import Database
    from db.queries import report_cells
    from nianbao.config import Settings

    database = Database(Settings.from_env().database_url)
    try:
        with database.transaction() as session:
            return dict(report_cells(session, [PORTAL]))
    finally:
        database.dispose()


def mark_old() -> int:
    """Every parse made by an older parser version: the whole corpus is due. Returns the documents due."""
    from sqlalchemy import update

    from db.database import Database
    from db.models import Document, Report, ReportSource
    from db.queries import reparse_items
    from nianbao.config import Settings
    from parsers.version import PARSER_VERSION

    database = Database(Settings.from_env().database_url)
    try:
        with database.transaction() as session:
            for model in (ReportSource, Document, Report):
                session.execute(update(model).values(parser_version="0.bench"))
            return len(reparse_items(session, PARSER_VERSION, [PORTAL]))
    finally:
        database.dispose()


def in_child(label: str, corpus: Path, expected: dict[Any, Any], batch_size: int, **options: Any) -> dict[str, Any]:
    """One timed reparse in a fresh process: no runner inherits the imports or parser pool of another."""
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    child = ctx.Process(target=_child, args=(results, label, corpus, expected, batch_size, options))
    child.start()
    try:
        result: dict[str, Any] = results.get(timeout=CHILD_TIMEOUT_S)
    except queue.Empty:
        child.kill()
        raise RuntimeError(f"the {label} reparse gave no result in {CHILD_TIMEOUT_S} s") from None
    child.join(60)
    return result


def _child(results: Any, label: str, corpus: Path, expected: dict[Any, Any], batch_size: int,
           options: dict[str, Any]) -> None:  # fmt: skip
    from nianbao.commands.flows import prefect_env

    prefect_env()  # the CLI's temporary API, started before the timed run
    results.put(run_reparse(label, corpus, expected, batch_size, **options))


def run_reparse(label: str, corpus: Path, expected: dict[Any, Any], batch_size: int, **options: Any) -> dict[str, Any]:
    from flows.collect import reparse
    from flows.outcome import flow_result

    data_dir = OUT / label
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.copytree(corpus, data_dir)
    use_data_dir(data_dir)
    due = mark_old()
    start = time.perf_counter()
    result = flow_result(reparse(portals=[PORTAL], batch_size=batch_size, **options))
    wall = time.perf_counter() - start
    outcomes = result["outcomes"]
    assert isinstance(outcomes, dict), outcomes
    return {"label": label, "due": due, "reread": sum(outcomes.values()), "wall": wall,
            "failed": outcomes.get("failed", 0), "same_cells": stored_cells() == expected}  # fmt: skip


def cluster_start(workers: int) -> float:
    """Seconds to start (and stop) a LocalCluster of `workers` with nothing to run: the fixed cost in a Dask run."""
    from flows.runners import dask_runner

    start = time.perf_counter()
    with dask_runner(None, workers) as runner:
        runner.client.wait_for_workers(workers, timeout=120)
    return time.perf_counter() - start


def rate_of(documents: int, seconds: float) -> float:
    return documents / seconds if seconds > 0 else float("nan")


def main() -> None:
    args = parse_args()
    departments = 4 if args.quick else args.departments
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["NIANBAO_PORTALS_DIR"] = str(portals_without_delay(OUT))
    os.environ["PREFECT_HOME"] = str(fresh_dir(OUT / "prefect-home"))
    start = time.perf_counter()
    corpus, discovered = build_corpus(departments, args.seed, 25)
    built = time.perf_counter() - start
    expected = stored_cells()
    runs = [
        in_child("default", corpus, expected, args.batch_size),
        in_child("dask-1", corpus, expected, args.batch_size, dask=True, dask_workers=1),
        in_child("dask-2", corpus, expected, args.batch_size, dask=True, dask_workers=2),
    ]
    starts = {f"dask-{n}": cluster_start(n) for n in (1, 2)}
    print(f"\ncorpus: {discovered} reports ({departments} departments x {len(YEARS)} years, seed {args.seed}), "
          f"collected in {built:.0f} s; batch {args.batch_size} documents")  # fmt: skip
    print(f"host: {platform.machine()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, "
          f"NIANBAO_PARSE_WORKERS={os.environ.get('NIANBAO_PARSE_WORKERS', '2 (default)')}")  # fmt: skip
    print(f"\n{'runner':<10}{'due':>6}{'re-read':>9}{'failed':>8}{'wall s':>9}{'docs/s':>9}"
          f"{'cluster s':>10}{'docs/s without it':>19}  same cells")  # fmt: skip
    for run in runs:
        start = starts.get(run["label"], 0.0)
        rate, after = rate_of(run["reread"], run["wall"]), rate_of(run["reread"], run["wall"] - start)
        print(f"{run['label']:<10}{run['due']:>6}{run['reread']:>9}{run['failed']:>8}{run['wall']:>9.1f}"
              f"{rate:>9.2f}{start:>10.1f}{after:>19.2f}  {'yes' if run['same_cells'] else 'NO'}")  # fmt: skip
    if not all(r["same_cells"] and r["reread"] == r["due"] and not r["failed"] for r in runs):
        sys.exit("a reparse did not re-read every document once or stored other cells")


if __name__ == "__main__":
    main()
