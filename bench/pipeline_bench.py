"""Pipeline benchmark: the backfill under Prefect against the same work called directly.

In one run, against one replica server (this process, a background thread) with injected
latency and politeness delay 0: a direct run (flows.pipeline discover + process_batch in
batches, sequentially, fresh data dir) and a Prefect run (flows.collect.backfill on a
temporary local API server, another fresh data dir), each followed by a no-change rerun,
each in its own child process (bench/pipeline_phases.py) so peak RSS is per run. Prints
reports/min, the share of wall time spent in orchestration, the API server's start, peak
memory, the rerun's cost, and whether both data dirs hold every recoverable report.
Timings are printed, never asserted. Output files go under bench/out/pipeline/.

    .venv/bin/python bench/pipeline_bench.py --departments 143 --latency-ms 10 --seed 1
    .venv/bin/python bench/pipeline_bench.py --quick
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml
from pipeline_check import Check, check_data_dir

from replica.departments import ALL_BODIES
from replica.faults import Faults
from replica.server import ReplicaServer
from scrapers.spec import DEFAULT_PORTALS_DIR, load_portal

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out" / "pipeline"
PORTAL = "nxzw-replica"
YEARS = range(2019, 2026)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--departments", type=int, help=f"replica departments (1-{len(ALL_BODIES)}; default all)")
    size.add_argument("--reports", type=int, help="at least this many department reports (7 per department)")
    size.add_argument("--quick", action="store_true", help="a small site (6 departments) for a smoke run")
    parser.add_argument("--latency-ms", type=int, default=10, help="injected latency per request (default 10)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=25)
    return parser.parse_args()


def department_count(args: argparse.Namespace) -> int:
    if args.quick:
        return 6
    # argparse's values are untyped: named as the ints their options parse to.
    reports: int | None = args.reports
    departments: int | None = args.departments
    if reports:
        return min(len(ALL_BODIES), math.ceil(reports / len(YEARS)))
    return departments or len(ALL_BODIES)


def fresh_dir(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def portals_without_delay(out: Path) -> Path:
    """A copy of portals/nxzw-replica.yaml with politeness min_delay_s 0 (the loader has no override)."""
    path = DEFAULT_PORTALS_DIR / f"{PORTAL}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["politeness"]["min_delay_s"] = 0
    directory = fresh_dir(out / "portals")
    (directory / path.name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if load_portal(PORTAL, directory).politeness.min_delay_s != 0:
        raise RuntimeError("the bench portal spec still has a politeness delay")
    return directory


def prerender(server: ReplicaServer) -> tuple[int, float]:
    """Render every body once, so neither run pays the replica's rendering (the first would)."""
    start = time.perf_counter()
    site = server.site
    for path, resource in site.resources.items():
        site.render(path, resource)
    return len(site.resources), time.perf_counter() - start


def run_phase(phase: str, server: ReplicaServer, env: dict[str, str], batch_size: int) -> dict[str, Any]:
    """Run one bench/pipeline_phases.py child; its JSON result plus the requests the server saw."""
    out, log = OUT / f"{phase}.json", OUT / f"{phase}.log"
    years = ["--from-year", str(YEARS[0]), "--to-year", str(YEARS[-1])]
    command = [sys.executable, str(BENCH / "pipeline_phases.py"), phase, "--out", str(out)]
    command += ["--base-url", server.base_url, "--batch-size", str(batch_size), *years]
    before = len(server.request_log)
    start = time.perf_counter()
    with log.open("w") as sink:
        subprocess.run(command, env=env, stdout=sink, stderr=subprocess.STDOUT, check=True, cwd=BENCH.parent)
    result: dict[str, Any] = json.loads(out.read_text())
    result["process_wall"] = time.perf_counter() - start
    result["server_requests"] = len(server.request_log) - before
    return result


def child_env(data_dir: Path, portals_dir: Path) -> dict[str, str]:
    """The environment of a child: its data dir, the delay-free portals, Prefect kept local and quiet."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "NIANBAO_DATABASE_URL")}
    env.pop("NIANBAO_BLOB_DIR", None)
    env |= {
        "NIANBAO_DATA_DIR": str(data_dir),
        "NIANBAO_PORTALS_DIR": str(portals_dir),
        "PREFECT_HOME": str(fresh_dir(OUT / "prefect-home")),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    return env


def per_minute(reports: int, seconds: float) -> float:
    return 60 * reports / seconds if seconds > 0 else float("nan")


def report(setup: dict[str, Any], direct: dict[str, Any], flow: dict[str, Any], checks: dict[str, Check]) -> None:
    """Print the figures of one benchmark run."""
    print(
        f"\nsite: {setup['reports']} reports in the manifest ({setup['departments']} departments, "
        f"seed {setup['seed']}), latency {setup['latency_ms']} ms/request, politeness delay 0, "
        f"batch {setup['batch']}"
    )
    print(f"replica pre-render: {setup['resources']} bodies in {setup['prerender_s']:.1f} s (before both runs)")
    print(f"load average before/after: {setup['load_before']} / {setup['load_after']}")
    print_first(direct, flow)
    print_rerun(direct, flow)
    print_memory(direct, flow, setup["trace"])
    print("\n== correctness ==")
    for label, check in checks.items():
        print(f"{label:<8}{check.line()}")


def print_first(direct: dict[str, Any], flow: dict[str, Any]) -> None:
    d1, p1 = direct["first"], flow["first"]
    n = d1["discovered"]
    print("\n== first run (fresh data dir) ==")
    print(f"direct  {d1['wall']:7.1f} s  {per_minute(n, d1['wall']):7.1f} reports/min  ({_stages(d1)})")
    print(
        f"prefect {p1['wall']:7.1f} s  {per_minute(n, p1['wall']):7.1f} reports/min  "
        f"({p1['task_runs']} task runs, {p1['task_run_time']:.1f} s inside tasks)"
    )
    with_server = p1["wall"] + flow["server_start_s"]
    print(f"prefect incl. API server start: {with_server:.1f} s, {per_minute(n, with_server):.1f} reports/min")
    print(f"orchestration share (prefect - direct) / prefect: {_share(p1['wall'], d1['wall'])}  (target < 15%)")
    print(f"ratio prefect/direct wall: {p1['wall'] / d1['wall']:.3f}")
    print(
        f"one-off: import flows.collect {flow['import_s']:.1f} s; "
        f"temporary API server start {flow['server_start_s']:.1f} s (fresh PREFECT_HOME)"
    )
    for label, run in (("direct ", d1), ("prefect", p1)):
        print(f"{label} {_counts(run)}, failed {run['failed']}, outcomes {run['outcomes']}")


def print_rerun(direct: dict[str, Any], flow: dict[str, Any]) -> None:
    d2, p2 = direct["rerun"], flow["rerun"]
    print("\n== no-change rerun (same data dir) ==")
    for label, run in (("direct ", d2), ("prefect", p2)):
        print(f"{label} {run['wall']:6.1f} s  {_counts(run)}, outcomes {run['outcomes']}")
    print(f"orchestration share of the rerun: {_share(p2['wall'], d2['wall'])}")
    print(
        f"requests the replica saw (first + rerun): direct {direct['server_requests']}, "
        f"prefect {flow['server_requests']}"
    )


def print_memory(direct: dict[str, Any], flow: dict[str, Any], trace: dict[str, Any]) -> None:
    print("\n== memory ==")
    print(
        f"peak RSS (process high-water mark): direct {direct['peak_rss_mib']:.0f} MiB, "
        f"prefect client {flow['peak_rss_mib']:.0f} MiB, API server subprocess {_mib(flow['server_peak_rss_mib'])}"
    )
    print(f"CPU time of the process: direct {direct['cpu_s']:.1f} s, prefect client {flow['cpu_s']:.1f} s")
    print(
        f"tracemalloc peak (separate untimed run, direct): discovery {trace['discover_mib']:.1f} MiB, "
        f"one batch of {trace['batch_reports']} reports {trace['batch_mib']:.1f} MiB"
    )


def _counts(run: dict[str, Any]) -> str:
    keys = ("discovered", "requests", "downloads", "writes")
    return ", ".join(f"{k} {run[k]}" for k in keys)


def _stages(run: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v:.1f} s" for k, v in run["stages"].items())


def _share(prefect_s: float, direct_s: float) -> str:
    return f"{100 * (prefect_s - direct_s) / prefect_s:.1f}%"


def _mib(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} MiB"


def main() -> None:
    args = parse_args()
    departments = department_count(args)
    fresh_dir(OUT)
    portals_dir = portals_without_delay(OUT)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}", flush=True)
    with ReplicaServer(args.seed, faults=Faults(latency_ms=args.latency_ms), departments=departments) as server:
        manifest = server.manifest()
        resources, prerender_s = prerender(server)
        setup = {
            "departments": departments,
            "reports": len(manifest["reports"]),
            "seed": args.seed,
            "latency_ms": args.latency_ms,
            "batch": args.batch_size,
            "resources": resources,
            "prerender_s": prerender_s,
            "load_before": _load(),
        }
        print(f"site ready: {setup['reports']} reports, pre-render {prerender_s:.1f} s; direct run...", flush=True)
        direct = run_phase("direct", server, child_env(fresh_dir(OUT / "direct"), portals_dir), args.batch_size)
        print(f"direct done in {direct['process_wall']:.1f} s; prefect run...", flush=True)
        flow = run_phase("prefect", server, child_env(fresh_dir(OUT / "prefect"), portals_dir), args.batch_size)
        print(f"prefect done in {flow['process_wall']:.1f} s; tracemalloc batch...", flush=True)
        setup["trace"] = run_phase("trace", server, child_env(fresh_dir(OUT / "trace"), portals_dir), args.batch_size)
        setup["load_after"] = _load()
    checks = {"direct": check_data_dir(OUT / "direct", manifest), "prefect": check_data_dir(OUT / "prefect", manifest)}
    report(setup, direct, flow, checks)
    results = {"setup": setup, "direct": direct, "prefect": flow, "checks": {k: vars(c) for k, c in checks.items()}}
    (OUT / "result.json").write_text(json.dumps(results, indent=2, default=str))


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
