"""Prefect flows: the yearly collection, the manual backfill and the reparse.

Task granularity follows the measured costs on these machines (docs/prefect-notes §13):
one discovery task per portal and one task per batch of reports, never one per request
or document, so a 1,000-report backfill is tens of task runs. Failures are isolated per
document inside the batch (flows/pipeline.py) and recorded for the next run.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from prefect import State, allow_failure, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.states import Failed
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from db.failures import uncollected
from db.queries import ReparseItem, findings, report_rows, status_counts
from flows import pipeline
from flows.artifacts import Progress, publish_summary
from flows.context import RunContext, RunOptions
from flows.limits import SlotProblem, portal_slots
from flows.outcome import final_state
from flows.progress import advance, announce_total
from flows.runners import DaskUnavailable, dask_runner
from flows.summary import RunSummary
from flows.tally import Outcome
from nianbao.config import Settings, contact_warning
from parsers.isolated import GuardLimits
from scrapers.discovery import FoundReport

DEFAULT_BATCH_SIZE = 25
# A reparse batch may take each document's parse timeout plus this for the database and the blobs.
BATCH_MARGIN_SECONDS = 600


@task(
    name="discover-portal",
    retries=2,
    retry_delay_seconds=exponential_backoff(backoff_factor=10),
    retry_jitter_factor=0.5,
    cache_policy=NO_CACHE,
    task_run_name="discover-{portal_id}",
)
def discover_portal(portal_id: str, years: list[int], options: RunOptions) -> pipeline.DiscoveryOutcome:
    logger = get_run_logger()
    with RunContext.open(options) as ctx:
        if warning := contact_warning(ctx.portal(portal_id)):
            logger.warning("%s", warning)
        found = pipeline.discover(ctx, portal_id, years)
    logger.info("%s: %d reports for %s in %d requests", portal_id, len(found.reports), years, found.requests)
    for host, kind in found.blocked_hosts.items():
        logger.warning("%s: host %s blocked (%s); paused for this run", portal_id, host, kind)
    for problem in found.problems[:20]:
        logger.warning("%s: %s", portal_id, problem)
    return found


@task(
    name="process-batch",
    retries=2,
    retry_delay_seconds=exponential_backoff(backoff_factor=10),
    retry_jitter_factor=0.5,
    cache_policy=NO_CACHE,
    task_run_name="process-{portal_id}-{first}",
)
def process_batch(
    portal_id: str, first: int, reports: list[FoundReport], options: RunOptions, spent: dict[str, int] | None = None
) -> pipeline.BatchResult:
    """Fetch, parse and store one batch (the flow holds the portal's concurrency slot); `spent`: requests per
    host counted against the run's budget before the batch starts."""
    logger = get_run_logger()
    with RunContext.open(options) as ctx:
        result = pipeline.process_batch(ctx, portal_id, reports, spent=spent)
    for tally in result.tallies:
        if tally.outcome == Outcome.FAILED:
            logger.warning("%s %s %s: %s", tally.agency, tally.year, tally.url, "; ".join(tally.errors))
        elif tally.outcome.updated:
            logger.info("%s %s: %s", tally.agency, tally.year, tally.outcome)
        else:
            # A first backfill makes a thousand "new" lines; the reports artifact lists them.
            logger.debug("%s %s: %s", tally.agency, tally.year, tally.outcome)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(Counter(t.outcome for t in result.tallies).items()))
    logger.info("batch %s#%d: %s; %d downloads, %d requests", portal_id, first, counts,
                result.downloads, result.requests)  # fmt: skip
    return result


def run_collection(
    portals: Sequence[str], years: list[int], options: RunOptions, batch_size: int, key: str, progress: bool
) -> State[dict[str, object]]:
    """Discover every portal concurrently, then process each portal's batches in order; the run's final state.

    The run holds one slot of each portal's global concurrency limit throughout, so two
    flow runs never crawl the same portal at once. Taken once per run, not per batch:
    every acquisition is an API round trip that waits in whole seconds (measured 1.9 s
    per task, docs/performance.md "Pipeline"). A portal still held when the wait ends fails
    the run with the holder and the command that frees it (a state, not a traceback).
    """
    try:
        with portal_slots(list(portals)):
            return final_state(_collect(portals, years, options, batch_size, key, progress))
    except SlotProblem as exc:
        return Failed(message=str(exc), data=exc)


def _collect(
    portals: Sequence[str], years: list[int], options: RunOptions, batch_size: int, key: str, progress: bool
) -> RunSummary:
    summary = RunSummary(list(portals), years)
    futures = [discover_portal.submit(p, years, options) for p in portals]
    discoveries = [_discovery_or_problem(p, f) for p, f in zip(portals, futures, strict=True)]
    batches = _submit_batches(discoveries, summary, options, batch_size)
    total = sum(summary.discovered.values())
    tracker = Progress(f"{key}-progress", total) if progress else None
    announce_total(total)
    for future, (portal_id, chunk) in batches:
        batch = _batch_or_failures(future, portal_id, chunk, options)
        summary.add_batch(batch)
        advance(len(batch.tallies))
        if tracker:
            tracker.advance(len(batch.tallies), failed=sum(t.outcome == Outcome.FAILED for t in batch.tallies))
    _add_findings(summary, options)
    publish_summary(summary, key)
    get_run_logger().info("summary\n%s", summary.text())
    return summary


def _discovery_or_problem(
    portal_id: str, future: PrefectFuture[pipeline.DiscoveryOutcome]
) -> pipeline.DiscoveryOutcome:
    """A portal whose discovery crashed after its retries is a problem of the run, not its end."""
    try:
        return future.result()
    except Exception as exc:
        return pipeline.DiscoveryOutcome(portal_id, [], problems=[f"discovery failed: {type(exc).__name__}: {exc}"])


def _batch_or_failures(
    future: PrefectFuture[pipeline.BatchResult], portal_id: str, chunk: list[FoundReport], options: RunOptions
) -> pipeline.BatchResult:
    """A batch that failed after its retries fails its reports (recorded, retried next run), not the run."""
    try:
        return future.result()
    except Exception as exc:
        get_run_logger().error("batch %s of %d reports failed: %s: %s", portal_id, len(chunk), type(exc).__name__, exc)
        with RunContext.open(options) as ctx:
            return pipeline.batch_crashed(ctx, portal_id, chunk, f"{type(exc).__name__}: {exc}")


def _submit_batches(
    discoveries: list[pipeline.DiscoveryOutcome], summary: RunSummary, options: RunOptions, batch_size: int
) -> list[tuple[PrefectFuture[pipeline.BatchResult], tuple[str, list[FoundReport]]]]:
    futures: list[tuple[PrefectFuture[pipeline.BatchResult], tuple[str, list[FoundReport]]]] = []
    for found in discoveries:
        summary.add_discovery(found)
        previous: list[Any] = []
        spent = pipeline.batch_share(found, batch_size)
        for first in range(0, len(found.reports), batch_size):
            chunk = found.reports[first : first + batch_size]
            # Batches of one portal run one after another (politeness); portals run in parallel.
            # allow_failure: a batch that failed must not keep the portal's later batches from running.
            # return_state=False (the default) spelled out: Prefect types wait_for only on those overloads.
            future = process_batch.submit(
                found.portal_id, first, chunk, options, spent, wait_for=previous, return_state=False
            )
            futures.append((future, (found.portal_id, chunk)))
            previous = [allow_failure(future)]
    return futures


def _add_findings(summary: RunSummary, options: RunOptions, *, every_year: bool = False) -> None:
    """The store's findings about the run's portals: its years (and the year before), or every year."""
    with RunContext.open(options) as ctx, ctx.database.transaction() as session:
        rows = report_rows(session, summary.portals)
        gaps = uncollected(session, summary.portals)
    summary.status_counts = status_counts(rows)
    if every_year:
        summary.findings = findings(rows, None, gaps)
        return
    summary.findings = findings([r for r in rows if r.year in summary.years or r.year + 1 in summary.years],
                                summary.years, gaps)  # fmt: skip


def _all_portals() -> list[str]:
    from scrapers.spec import load_all

    return [spec.id for spec in load_all(Settings.from_env().portals_dir) if not spec.id.endswith("-replica")]


def recent_years(today: dt.date | None = None, count: int = 2) -> list[int]:
    """The last `count` report years: reports for year Y appear from January of Y+1."""
    last = (today or dt.date.today()).year - 1
    return list(range(last - count + 1, last + 1))


def span(years: Sequence[int]) -> str:
    """`2019-2024` for a run of years, else the years listed: `2019,2021`."""
    ordered = sorted(set(years))
    if len(ordered) > 1 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}-{ordered[-1]}"
    return ",".join(map(str, ordered))


# Run names say what ran, read from the run's parameters when Prefect names it.
def collect_run_name() -> str:
    params = flow_run.parameters
    portals = ",".join(params.get("portals") or [])
    return " ".join(filter(None, ("collect", portals, span(params.get("years") or recent_years()))))


def backfill_run_name() -> str:
    params = flow_run.parameters
    years = range(params.get("from_year", 2019), params.get("to_year", 2024) + 1)
    return f"backfill {','.join(params.get('portals') or [])} {span(years)}"


def reparse_run_name() -> str:
    return f"reparse {','.join(flow_run.parameters.get('portals') or []) or 'all'}"


def batch_threads() -> TaskRunner[PrefectFuture[Any]]:
    """The collection flows' runner: portals' batches on four threads (bench/pipeline_probe.py measures it)."""
    return ThreadPoolTaskRunner(max_workers=4)  # type: ignore[return-value]  # TaskRunner is typed invariant


def _prepare_database() -> None:
    from db.migrate import upgrade

    upgrade(Settings.from_env().database_url)


@flow(name="collect", flow_run_name=collect_run_name, task_runner=batch_threads(),
      log_prints=True)  # fmt: skip
def collect(
    portals: list[str] | None = None,
    years: list[int] | None = None,
    refetch: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    base_urls: dict[str, str] | None = None,
) -> State[dict[str, object]]:
    """Yearly collection: every portal (or the named ones) for recent report years.

    By default the last two report years, to catch late and revised reports.
    """
    _prepare_database()
    chosen = portals or _all_portals()
    options = RunOptions(refetch=refetch, base_urls=base_urls or {})
    return run_collection(chosen, years or recent_years(), options, batch_size, "collect", progress=False)


@flow(name="backfill", flow_run_name=backfill_run_name, task_runner=batch_threads(),
      log_prints=True)  # fmt: skip
def backfill(
    portals: list[str],
    from_year: int = 2019,
    to_year: int = 2024,
    refetch: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    base_urls: dict[str, str] | None = None,
) -> State[dict[str, object]]:
    """Manual backfill of `portals` for report years from_year..to_year (inclusive)."""
    if from_year > to_year:
        raise ValueError(f"from_year {from_year} is after to_year {to_year}")
    _prepare_database()
    options = RunOptions(refetch=refetch, base_urls=base_urls or {})
    years = list(range(from_year, to_year + 1))
    return run_collection(portals, years, options, batch_size, "backfill", progress=True)


@task(name="reparse-batch", cache_policy=NO_CACHE, task_run_name="reparse-{first}")
def reparse_batch(first: int, items: list[ReparseItem]) -> list[pipeline.ReportTally]:
    """Re-read one batch of stored documents, on whichever worker the task runner chose."""
    with RunContext.open(RunOptions()) as ctx:
        return pipeline.reparse_batch(ctx, items)


def _reparse_on_dask(
    ctx: RunContext, portals: list[str] | None, workers: int, batch_size: int
) -> list[pipeline.ReportTally]:
    items = pipeline.reparse_work(ctx, portals)
    chunks = [items[first : first + batch_size] for first in range(0, len(items), batch_size)]
    if not chunks:
        return []
    wait = batch_size * GuardLimits.from_env().timeout_s + BATCH_MARGIN_SECONDS
    with dask_runner(ctx.settings.dask_address, workers) as runner:
        futures = [runner.submit(reparse_batch, {"first": n * batch_size, "items": chunk})
                   for n, chunk in enumerate(chunks)]  # fmt: skip
        return [t for f, chunk in zip(futures, chunks, strict=True) for t in _reparsed_or_failed(f, chunk, wait)]


def _reparsed_or_failed(
    future: PrefectFuture[list[pipeline.ReportTally]], chunk: list[ReparseItem], wait: float
) -> list[pipeline.ReportTally]:
    """A batch lost with its worker (or past its bound) fails its documents; they stay due for the next reparse."""
    try:
        return future.result(timeout=wait)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        get_run_logger().error("reparse batch of %d documents failed: %s", len(chunk), error)
        return pipeline.reparse_failed(chunk, error)


@flow(name="reparse", flow_run_name=reparse_run_name, log_prints=True)
def reparse(
    portals: list[str] | None = None, dask: bool = False, dask_workers: int = 2, batch_size: int = DEFAULT_BATCH_SIZE
) -> State[dict[str, object]]:
    """Re-run the current parser over stored documents parsed by an older version.

    In this process by default. With `dask`, or NIANBAO_DASK_ADDRESS set, batches of `batch_size`
    documents run on a Dask cluster: that scheduler's, else a LocalCluster of `dask_workers` processes.
    """
    _prepare_database()
    with RunContext.open(RunOptions()) as ctx:
        if not (dask or ctx.settings.dask_address):
            tallies = pipeline.reparse_stored(ctx, portals)
        else:
            try:
                tallies = _reparse_on_dask(ctx, portals, dask_workers, batch_size)
            except DaskUnavailable as exc:  # the caller gets the exception, the CLI its one line
                return Failed(message=str(exc), data=exc)
    summary = RunSummary(portals or [], sorted({t.year for t in tallies}), tallies=tallies, reparse=True)
    _add_findings(summary, RunOptions(), every_year=True)
    publish_summary(summary, "reparse")
    get_run_logger().info("summary\n%s", summary.text())
    return final_state(summary)
