"""Child processes of the pipeline benchmark: one run of the pipeline, direct or under Prefect.

Each phase runs in its own process so its peak RSS (getrusage) is its own; settings come
from the environment the parent sets (NIANBAO_DATA_DIR, NIANBAO_PORTALS_DIR, PREFECT_HOME).
The result is one JSON object written to --out. Not meant to be run by hand:

    .venv/bin/python bench/pipeline_phases.py direct --out x.json --base-url http://127.0.0.1:PORT
"""

from __future__ import annotations

import argparse
import json
import resource
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

PORTAL = "nxzw-replica"


def peak_rss_mib() -> float:
    """This process's RSS high-water mark (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """`fn()` and its wall time in seconds."""
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


# --- direct: the same functions the flow wraps, called in a loop ---------------------------------


def direct_pass(ctx: Any, years: list[int], batch_size: int) -> dict[str, Any]:
    """Migrate, discover, process every batch in order, then the summary queries, like `backfill`."""
    from db.migrate import upgrade
    from flows import pipeline
    from flows.summary import RunSummary

    stages: dict[str, float] = {}
    _, stages["migrate"] = timed(lambda: upgrade(ctx.settings.database_url))
    found, stages["discover"] = timed(lambda: pipeline.discover(ctx, PORTAL, years))
    summary = RunSummary([PORTAL], years)
    summary.add_discovery(found)
    start = time.perf_counter()
    for first in range(0, len(found.reports), batch_size):
        summary.add_batch(pipeline.process_batch(ctx, PORTAL, found.reports[first : first + batch_size]))
    stages["batches"] = time.perf_counter() - start
    _, stages["findings"] = timed(lambda: add_findings(ctx, summary))
    return {"stages": stages, "wall": sum(stages.values()), **tally(summary)}


def add_findings(ctx: Any, summary: Any) -> None:
    """What flows.collect._add_findings does, without Prefect."""
    from db.queries import findings, report_rows, status_counts

    with ctx.database.transaction() as session:
        rows = report_rows(session, summary.portals)
    summary.status_counts = status_counts(rows)
    recent = [r for r in rows if r.year in summary.years or r.year + 1 in summary.years]
    summary.findings = findings(recent, summary.years)
    summary.text()


def tally(summary: Any) -> dict[str, Any]:
    return {
        "discovered": sum(summary.discovered.values()),
        "requests": summary.requests,
        "downloads": summary.downloads,
        "writes": summary.writes,
        "outcomes": summary.outcome_counts,
        "failed": len(summary.failed),
    }


def traced_batch(base_url: str, years: list[int], batch_size: int) -> dict[str, Any]:
    """tracemalloc peak of discovery, then of one batch, into a fresh data dir (untimed: tracing is slow)."""
    from db.migrate import upgrade
    from flows import pipeline
    from flows.context import RunContext, RunOptions

    with RunContext.open(RunOptions(base_urls={PORTAL: base_url})) as ctx:
        upgrade(ctx.settings.database_url)
        tracemalloc.start()
        found = pipeline.discover(ctx, PORTAL, years)
        discover_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        pipeline.process_batch(ctx, PORTAL, found.reports[:batch_size])
        batch_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {"discover_mib": discover_peak / 2**20, "batch_mib": batch_peak / 2**20, "batch_reports": batch_size}


def run_direct(args: argparse.Namespace) -> dict[str, Any]:
    from flows.context import RunContext, RunOptions

    years = list(range(args.from_year, args.to_year + 1))
    with RunContext.open(RunOptions(base_urls={PORTAL: args.base_url})) as ctx:
        first = direct_pass(ctx, years, args.batch_size)
        rerun = direct_pass(ctx, years, args.batch_size)
    return {"first": first, "rerun": rerun, "peak_rss_mib": peak_rss_mib(), "cpu_s": cpu_seconds()}


def run_trace(args: argparse.Namespace) -> dict[str, Any]:
    years = list(range(args.from_year, args.to_year + 1))
    return traced_batch(args.base_url, years, args.batch_size)


# --- prefect: the backfill flow on a temporary local API server ----------------------------------


def start_api_server() -> Any:
    """Start the ephemeral API server the flow would start on first use, so its cost is separate."""
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    server.start(timeout=300)
    return server


def server_peak_rss_mib(server: Any) -> float | None:
    """VmHWM of the API server subprocess (its RSS high-water mark), read from /proc."""
    try:
        status = Path(f"/proc/{server.server_process.pid}/status").read_text()
    except (AttributeError, OSError):
        return None
    line = next((s for s in status.splitlines() if s.startswith("VmHWM:")), None)
    return int(line.split()[1]) / 1024 if line else None


def flow_pass(args: argparse.Namespace) -> dict[str, Any]:
    """One `backfill` call; its returned figures, wall time and the task runs' own time."""
    from flows.collect import backfill

    kwargs = {"base_urls": {PORTAL: args.base_url}, "batch_size": args.batch_size}
    state, wall = timed(lambda: backfill([PORTAL], args.from_year, args.to_year, return_state=True, **kwargs))
    result = state.result()
    keep = ("discovered", "requests", "downloads", "writes", "outcomes", "failed")
    figures = {k: result[k] for k in keep}
    figures["discovered"] = sum(figures["discovered"].values())
    return {"wall": wall, **figures, **task_times(state.state_details.flow_run_id)}


def task_times(flow_run_id: Any) -> dict[str, Any]:
    """Task runs of the flow run and the sum of their run times, as the API recorded them."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        flow_run = client.read_flow_run(flow_run_id)
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return {
        "task_runs": len(runs),
        "task_run_time": sum(r.total_run_time.total_seconds() for r in runs),
        "flow_run_time": flow_run.total_run_time.total_seconds(),
    }


def run_prefect(args: argparse.Namespace) -> dict[str, Any]:
    _, import_s = timed(lambda: __import__("flows.collect"))
    server, server_s = timed(start_api_server)
    first = flow_pass(args)
    rerun = flow_pass(args)
    return {
        "import_s": import_s,
        "server_start_s": server_s,
        "first": first,
        "rerun": rerun,
        "peak_rss_mib": peak_rss_mib(),
        "cpu_s": cpu_seconds(),
        "server_peak_rss_mib": server_peak_rss_mib(server),
    }


PHASES: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "direct": run_direct,
    "prefect": run_prefect,
    "trace": run_trace,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("phase", choices=sorted(PHASES))
    parser.add_argument("--out", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--from-year", type=int, default=2019)
    parser.add_argument("--to-year", type=int, default=2025)
    parser.add_argument("--batch-size", type=int, default=25)
    args = parser.parse_args()
    result = PHASES[args.phase](args)
    Path(args.out).write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
