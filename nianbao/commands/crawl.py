"""`nianbao crawl PORTAL`: discover a portal's annual reports (dry run) and report on it."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Annotated

import typer

from nianbao.options import parse_years

if TYPE_CHECKING:
    from scrapers.discovery import Discovery, FoundReport

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
DOWNLOAD_NOT_HERE = "download mode is wired by the flows package: run `nianbao collect`"


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
    """Discover a portal's annual reports. Exit 0 ok, 1 problems or blocks, 2 bad arguments or spec."""
    wanted = parse_years(years) if years else None
    if not dry_run:
        typer.echo(DOWNLOAD_NOT_HERE, err=True)
        raise typer.Exit(EXIT_USAGE)
    from nianbao.config import Settings
    from scrapers.discovery import discover_reports
    from scrapers.errors import SpecError
    from scrapers.http import PoliteClient
    from scrapers.spec import load_portal

    try:
        spec = load_portal(portal, Settings.from_env().portals_dir, base_url=base_url)
    except SpecError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from exc
    span = range(min(wanted), max(wanted) + 1) if wanted else None
    with PoliteClient(spec) as client:
        found = discover_reports(spec, client, years=span, use_search=search, progress=_progress)
    found.reports = [r for r in found.reports if wanted is None or r.year in wanted]
    for report in sorted(found.reports, key=lambda r: (r.year, r.agency or "", r.url)):
        _print_report(report)
    _print_summary(found)
    raise typer.Exit(EXIT_PROBLEMS if found.problems or found.blocked_hosts else EXIT_OK)


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl_command)
