"""`nianbao collect | backfill | reparse`: run the Prefect flows from the terminal.

The same flows the deployments run, executed in this process. Without PREFECT_API_URL
Prefect starts a temporary local API (10-25 s), and the runs land in ~/.prefect, where
`prefect server start` shows them later.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Annotated

import typer

from nianbao.errors import EXIT_ATTENTION, EXIT_OK, EXIT_SETUP, UsageError
from nianbao.options import parse_years, portal_base_urls
from nianbao.preflight import check_blobs, check_database, check_stored_portals


def prefect_env(verbose: bool = False) -> None:
    """Quiet, offline-friendly Prefect defaults; explicit env vars win.

    Prefect's per-report log lines would bury the progress bar; --verbose brings them back.
    """
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")  # reparse --dask: read when Dask is imported
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    from nianbao.prefect_local import start_local_api, use_file_leases

    use_file_leases()
    start_local_api()


def _outcome(call: Callable[[], object]) -> dict[str, object]:
    """The flow's result; a run that could collect nothing says why and carries its result too."""
    from flows.outcome import NothingCollected, flow_result

    try:
        return flow_result(call())
    except NothingCollected as exc:
        return {**exc.result, "nothing_collected": str(exc)}


def _finish(result: dict[str, object]) -> None:
    typer.echo("\n" + str(result["summary"]))
    found = result.get("issues")
    issues = [str(i) for i in found] if isinstance(found, list) else []
    typer.echo(f"run: {', '.join(issues)} (failures are retried by the next run)" if issues else "run: clean")
    if result.get("nothing_collected"):
        typer.echo(f"error: {result['nothing_collected']}", err=True)
    if result.get("unreachable"):  # a portal down is the environment, as an unreachable database
        raise typer.Exit(EXIT_SETUP)
    raise typer.Exit(EXIT_ATTENTION if result["failed"] or result.get("nothing_collected") else EXIT_OK)


PortalsOpt = Annotated[list[str] | None, typer.Option("--portal", "-p", help="Portal id (repeatable); default all.")]
RefetchOpt = Annotated[bool, typer.Option(help="Ignore stored ETags and download everything again.")]
BaseUrlOpt = Annotated[str | None, typer.Option(help="Override the portal's base URL (replica on another port).")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's log lines.")]
DASK_HELP = "Run the batches on Dask: the scheduler at NIANBAO_DASK_ADDRESS, else a local cluster of --dask-workers."


def collect_command(
    portal: PortalsOpt = None,
    years: Annotated[str | None, typer.Option(help="Report years, e.g. 2023-2024; default the last two.")] = None,
    refetch: RefetchOpt = False,
    base_url: BaseUrlOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    """Collect recent reports from every portal (or --portal ...): discover, fetch, parse, store.

    Exit 0: every report processed. 1: some failed (the next run retries them).
    3: a portal could not be reached at all (connection refused, DNS failure, timed out).
    """
    base_urls = portal_base_urls(portal, base_url)
    wanted = parse_years(years) if years else None
    check_database()
    check_blobs()
    prefect_env(verbose)
    from flows.collect import collect
    from nianbao.progress import progress_bar

    with progress_bar():
        result = _outcome(lambda: collect(portals=portal or None, years=wanted, refetch=refetch, base_urls=base_urls))
    _finish(result)


def backfill_command(
    portal: Annotated[list[str], typer.Option("--portal", "-p", help="Portal id (repeatable).")],
    from_year: Annotated[int, typer.Option("--from", help="First report year.")] = 2019,
    to_year: Annotated[int, typer.Option("--to", help="Last report year.")] = 2024,
    refetch: RefetchOpt = False,
    base_url: BaseUrlOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    """Backfill reports of the given portals for a range of report years.

    Example: nianbao backfill --portal nxzw --from 2019 --to 2024

    Exit 0: every report processed. 1: some failed (the next run retries them).
    3: a portal could not be reached at all (connection refused, DNS failure, timed out).
    """
    if from_year > to_year:
        raise UsageError(f"--from {from_year} is after --to {to_year}")
    base_urls = portal_base_urls(portal, base_url)
    check_database()
    check_blobs()
    prefect_env(verbose)
    from flows.collect import backfill
    from nianbao.progress import progress_bar

    with progress_bar():
        result = _outcome(
            lambda: backfill(portals=portal, from_year=from_year, to_year=to_year, refetch=refetch, base_urls=base_urls)
        )
    _finish(result)


def reparse_command(
    portal: PortalsOpt = None,
    dask: Annotated[bool, typer.Option(help=DASK_HELP)] = False,
    dask_workers: Annotated[int, typer.Option(min=1, help="Workers of the local Dask cluster.")] = 2,
    verbose: VerboseOpt = False,
) -> None:
    """Re-run the current parser over stored documents (no network); list what was reparsed and the findings.

    Exit 0: every document reparsed. 1: some failed. 3: the Dask scheduler or the blob store cannot be reached.
    """
    check_database()
    check_blobs()
    if portal:
        check_stored_portals(portal)
    prefect_env(verbose)
    from flows.collect import reparse

    _finish(_outcome(lambda: reparse(portals=portal or None, dask=dask, dask_workers=dask_workers)))


def register(app: typer.Typer) -> None:
    app.command("collect")(collect_command)
    app.command("backfill")(backfill_command)
    app.command("reparse")(reparse_command)
