"""`nianbao reports | findings | export`: look at and export what is stored."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from nianbao.options import parse_years

PortalOpt = Annotated[list[str] | None, typer.Option("--portal", "-p", help="Portal id (repeatable); default all.")]
YearsOpt = Annotated[str | None, typer.Option(help="Report years, e.g. 2023 or 2019-2024.")]


def _session():  # type: ignore[no-untyped-def]
    from db.database import Database
    from nianbao.config import Settings

    return Database(Settings.from_env().database_url).transaction()


def reports_command(portal: PortalOpt = None, years: YearsOpt = None) -> None:
    """List stored reports: agency, year, template, parse status, version, findings."""
    from db.queries import report_rows, status_counts

    with _session() as session:
        rows = report_rows(session, portal, parse_years(years) if years else None)
    for r in rows:
        typer.echo(f"{r.portal_id}\t{r.year}\t{r.agency}\t{r.generation or '-'}\t{r.parse_status}\tv{r.version}"
                   f"\t{len(r.findings)} findings")  # fmt: skip
    typer.echo(f"{len(rows)} reports: {status_counts(rows)}", err=True)


def findings_command(portal: PortalOpt = None, years: YearsOpt = None) -> None:
    """What open-government offices check: failed checks, missing, late, outdated template, disagreements."""
    from db.queries import findings, report_rows

    wanted = parse_years(years) if years else None
    with _session() as session:
        rows = report_rows(session, portal)
    found = findings(rows, wanted)
    for f in found:
        if wanted is None or f.year in wanted:
            typer.echo(f"{f.kind}\t{f.portal_id}\t{f.year}\t{f.agency}\t{f.detail}")


def failures_command(portal: PortalOpt = None) -> None:
    """Open failures (fetch or parse) that the next run will retry. Exit 1 when there are any."""
    from db.failures import open_failures

    with _session() as session:
        rows = open_failures(session, portal)
    for f in rows:
        typer.echo(f"{f.stage}\t{f.portal_id}\t{f.attempts} attempts\t{f.url}\t{f.error}")
    typer.echo(f"{len(rows)} open failures", err=True)
    raise typer.Exit(1 if rows else 0)


def export_command(
    portal: PortalOpt = None,
    years: YearsOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="csv (wide, one column per cell key) or jsonl.")] = "csv",
    out: Annotated[Path | None, typer.Option(help="Output file; default stdout.")] = None,
) -> None:
    """Export reports with their metadata and every canonical cell."""
    from db.export import report_records, write_csv, write_jsonl

    if fmt not in ("csv", "jsonl"):
        raise typer.BadParameter(f"unknown format {fmt!r}: use csv or jsonl")
    writer = write_csv if fmt == "csv" else write_jsonl
    with _session() as session:
        records = list(report_records(session, portal, parse_years(years) if years else None))
    if out is None:
        count = writer(records, sys.stdout)
    else:
        with out.open("w", encoding="utf-8", newline="") as fh:
            count = writer(records, fh)
    typer.echo(f"exported {count} reports", err=True)


def register(app: typer.Typer) -> None:
    app.command("reports")(reports_command)
    app.command("findings")(findings_command)
    app.command("failures")(failures_command)
    app.command("export")(export_command)
