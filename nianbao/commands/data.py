"""`nianbao reports | findings | failures | export`: look at and export what is stored.

Read-only: each first checks that the database exists at the current schema revision,
without creating it (only `nianbao db upgrade` and the collecting commands create it).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from nianbao.errors import EXIT_ATTENTION, EXIT_OK, UsageError
from nianbao.options import parse_years

if TYPE_CHECKING:
    from sqlmodel import Session

PortalOpt = Annotated[list[str] | None, typer.Option("--portal", "-p", help="Portal id (repeatable); default all.")]
YearsOpt = Annotated[str | None, typer.Option(help="Report years, e.g. 2023 or 2019-2024.")]


@contextmanager
def _session(portals: list[str] | None) -> Iterator[Session]:
    """A session on the configured database, once it is known to be upgraded and to hold `portals`."""
    from db.database import Database
    from db.migrate import require_current
    from nianbao.config import Settings

    url = Settings.from_env().database_url
    require_current(url)
    database = Database(url)
    try:
        with database.transaction() as session:
            _require_stored_portals(session, portals or [])
            yield session
    finally:
        database.dispose()


def _require_stored_portals(session: Session, portals: list[str]) -> None:
    from sqlmodel import select

    from db.models import Portal

    stored = set(session.exec(select(Portal.id)))
    unknown = [p for p in portals if p not in stored]
    if unknown:
        known = ", ".join(sorted(stored)) or "none yet"
        raise UsageError(f"no portal {', '.join(map(repr, unknown))} in the database (stored portals: {known})")


def _nothing_found(portals: list[str] | None, years: str | None) -> None:
    """An empty answer is said, with what was asked, and exits 1: never an empty success."""
    scope = "".join([f" for portal {', '.join(portals)}" if portals else "", f" in {years}" if years else ""])
    typer.echo(f"no reports stored{scope}", err=True)
    raise typer.Exit(EXIT_ATTENTION)


def reports_command(portal: PortalOpt = None, years: YearsOpt = None) -> None:
    """List stored reports: agency, year, template, parse status, version, findings. Exit 1 when none match."""
    from db.queries import report_rows, status_counts

    wanted = parse_years(years) if years else None
    with _session(portal) as session:
        rows = report_rows(session, portal, wanted)
    if not rows:
        _nothing_found(portal, years)
    for r in rows:
        typer.echo(f"{r.portal_id}\t{r.year}\t{r.agency}\t{r.generation or '-'}\t{r.parse_status}\tv{r.version}"
                   f"\t{len(r.findings)} findings")  # fmt: skip
    typer.echo(f"{len(rows)} reports: {status_counts(rows)}", err=True)


def findings_command(portal: PortalOpt = None, years: YearsOpt = None) -> None:
    """What open-government offices check: failed checks, missing, late, outdated template, disagreements.

    Exit 1 when no report is stored (for --portal) to check.
    """
    from db.failures import uncollected
    from db.queries import findings, report_rows

    wanted = parse_years(years) if years else None
    with _session(portal) as session:
        rows = report_rows(session, portal)
        gaps = uncollected(session, portal)
    if not rows:  # nothing was checked, which is not the same as nothing found
        _nothing_found(portal, None)
    found = [f for f in findings(rows, wanted, gaps) if wanted is None or f.year in wanted]
    for f in found:
        typer.echo(f"{f.kind}\t{f.portal_id}\t{f.year}\t{f.agency}\t{f.detail}")
    typer.echo(f"{len(found)} findings in {len(rows)} stored reports", err=True)


def failures_command(portal: PortalOpt = None) -> None:
    """Open failures (fetch or parse) that the next run will retry. Exit 1 when there are any."""
    from db.failures import open_failures

    with _session(portal) as session:
        rows = open_failures(session, portal)
    for f in rows:
        typer.echo(f"{f.stage}\t{f.portal_id}\t{f.attempts} attempts\t{f.url}\t{f.error}")
    typer.echo(f"{len(rows)} open failures", err=True)
    raise typer.Exit(EXIT_ATTENTION if rows else EXIT_OK)


def export_command(
    portal: PortalOpt = None,
    years: YearsOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="csv (wide, one column per cell key) or jsonl.")] = "csv",
    out: Annotated[Path | None, typer.Option(help="Output file; default stdout.")] = None,
) -> None:
    """Export reports with their metadata and every canonical cell. Exit 1 when none match."""
    from db.export import report_records, write_csv, write_jsonl

    if fmt not in ("csv", "jsonl"):
        raise UsageError(f"unknown --format {fmt!r}: use csv or jsonl")
    writer = write_csv if fmt == "csv" else write_jsonl
    wanted = parse_years(years) if years else None
    with _session(portal) as session:
        records = list(report_records(session, portal, wanted))
    if not records:
        _nothing_found(portal, years)
    if out is None:
        count = writer(records, sys.stdout)
    else:
        with _open_out(out) as fh:
            count = writer(records, fh)
    typer.echo(f"exported {count} reports", err=True)


def _open_out(path: Path) -> TextIO:
    try:
        return path.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"cannot write --out {path}: {exc.strerror}") from exc


def register(app: typer.Typer) -> None:
    app.command("reports")(reports_command)
    app.command("findings")(findings_command)
    app.command("failures")(failures_command)
    app.command("export")(export_command)
