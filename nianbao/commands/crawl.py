"""`nianbao crawl PORTAL`: discover a portal's annual reports (dry run) and report on it."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Annotated

import typer

from nianbao.errors import EXIT_ATTENTION, EXIT_OK
from nianbao.options import parse_years

if TYPE_CHECKING:
    from flows import pipeline
    from scrapers.discovery import Discovery, FoundReport


def _print_report(report: FoundReport) -> None:
    flag = "  [search only]" if report.via == "search" else ""
    typer.echo(f"{report.agency or '?'}\t{report.year}\t{report.title}\t{report.url}{flag}")
    for attachment in report.attachments:
        typer.echo(f"\t{attachment.kind}\t{attachment.title}\t{attachment.url}")


def _print_summary(found: Discovery) -> None:
    per_year = Counter(report.year for report in found.reports)
    typer.echo(f"\n{len(found.reports)} reports in {len(found.columns)} columns, {found.stats.requests} requests")
    for year in sorted(per_year):
        typer.echo(f"  {year}: {per_year[year]}")
    for host, kind in found.blocked_hosts.items():
        typer.echo(f"blocked: {host} ({kind})")
    for problem in found.problems:
        typer.echo(f"problem: {problem}")
    for note in found.notes:
        typer.echo(f"note: {note}")


def _progress(message: str) -> None:
    typer.echo(message, err=True)


def crawl_command(
    portal: Annotated[str, typer.Argument(help="Portal id: the name of a YAML file in the portals directory.")],
    years: Annotated[str | None, typer.Option(help="Report years, e.g. 2023 or 2019-2024.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Discover and list reports; download nothing.")] = False,
    base_url: Annotated[str | None, typer.Option(help="Point the portal at another base URL (the replica).")] = None,
    search: Annotated[bool, typer.Option(help="Cross-check with the portal's search API.")] = True,
) -> None:
    """Discover a portal's annual reports and (unless --dry-run) download, parse and store them.

    Without Prefect: for scheduled or monitored runs use `nianbao collect` / `backfill`.
    Exit 0 ok, 1 problems, blocks or failed documents, 2 bad arguments or spec.
    """
    wanted = parse_years(years) if years else None
    from nianbao.config import Settings, contact_warning
    from scrapers.discovery import discover_reports
    from scrapers.http import PoliteClient
    from scrapers.spec import load_portal

    settings = Settings.from_env()
    spec = load_portal(portal, settings.portals_dir, base_url=base_url, contact=settings.contact)  # SpecError: exit 2
    if warning := contact_warning(spec):
        typer.echo(warning, err=True)
    if not dry_run:  # an unreachable database fails now, not after the whole discovery
        from nianbao.preflight import check_database

        check_database()
    span = range(min(wanted), max(wanted) + 1) if wanted else None
    with PoliteClient(spec) as client:
        found = discover_reports(spec, client, years=span, use_search=search, progress=_progress)
    found.reports = [r for r in found.reports if wanted is None or r.year in wanted]
    for report in sorted(found.reports, key=lambda r: (r.year, r.agency or "", r.url)):
        _print_report(report)
    _print_summary(found)
    failed = 0 if dry_run else _download(portal, base_url, found.reports)
    raise typer.Exit(EXIT_ATTENTION if found.problems or found.blocked_hosts or failed else EXIT_OK)


def _download(portal: str, base_url: str | None, reports: list[FoundReport]) -> int:
    """Fetch, store and parse the discovered reports; return how many failed."""
    from db.migrate import upgrade
    from flows import pipeline
    from flows.context import RunContext, RunOptions
    from flows.tally import Outcome

    options = RunOptions(base_urls={portal: base_url} if base_url else {})
    with RunContext.open(options) as ctx:
        upgrade(ctx.settings.database_url)
        pipeline.register_portal(ctx, ctx.portal(portal))
        done = pipeline.process_batch(ctx, portal, reports, on_report=_print_tally)
    outcomes = Counter(str(t.outcome) for t in done.tallies)  # plain words: printed below
    typer.echo(f"\nstored: {dict(outcomes)}; {done.downloads} bodies downloaded in {done.requests} requests")
    return outcomes.get(Outcome.FAILED, 0)


def _print_tally(tally: pipeline.ReportTally) -> None:
    typer.echo(
        f"{tally.outcome}\t{tally.agency}\t{tally.year}" + (f"\t{tally.errors[0]}" if tally.errors else ""), err=True
    )


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl_command)
