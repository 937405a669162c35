"""`nianbao reports | findings | failures | export`: look at and export what is stored.

Read-only: each first checks that the database exists at the current schema revision,
without creating it (only `nianbao db upgrade` and the collecting commands create it).
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TextIO

import typer

from nianbao.errors import EXIT_ATTENTION, EXIT_OK, UsageError
from nianbao.options import parse_years
from nianbao.preflight import stored_session

if TYPE_CHECKING:
    from db.export_rows import ExportReport
    from db.queries import ReportRow

PortalOpt = Annotated[list[str] | None, typer.Option("--portal", "-p", help="Portal id (repeatable); default all.")]
YearsOpt = Annotated[str | None, typer.Option(help="Report years, e.g. 2023 or 2019-2024.")]


def _nothing_found(portals: list[str] | None, years: str | None) -> NoReturn:
    """An empty answer is said, with what was asked, and exits 1: never an empty success."""
    scope = "".join([f" for portal {', '.join(portals)}" if portals else "", f" in {years}" if years else ""])
    typer.echo(f"no reports stored{scope}", err=True)
    raise typer.Exit(EXIT_ATTENTION)


def reports_command(portal: PortalOpt = None, years: YearsOpt = None) -> None:
    """List stored reports: agency, year, template, parse status, version, findings. Exit 1 when none match."""
    from db.queries import iter_report_rows

    wanted = parse_years(years) if years else None
    statuses: Counter[str] = Counter()
    with stored_session(portal) as session:  # streamed: memory stays flat however many are stored
        for r in _tally(iter_report_rows(session, portal, wanted), statuses):
            typer.echo(f"{r.portal_id}\t{r.year}\t{r.agency}\t{r.generation or '-'}\t{r.parse_status}"
                       f"\tv{r.version}\t{len(r.findings)} findings")  # fmt: skip
    if not statuses:
        _nothing_found(portal, years)
    typer.echo(f"{statuses.total()} reports: {dict(statuses)}", err=True)


def findings_command(portal: PortalOpt = None, years: YearsOpt = None) -> None:
    """What open-government offices check: failed checks, missing, late, outdated template, disagreements.

    Exit 1 when no report is stored (for --portal) to check.
    """
    from db.failures import uncollected
    from db.queries import iter_findings, iter_report_rows

    wanted = parse_years(years) if years else None
    statuses: Counter[str] = Counter()
    found = 0
    with stored_session(portal) as session:  # streamed: memory stays flat however many are stored
        gaps = uncollected(session, portal)
        for f in iter_findings(_tally(iter_report_rows(session, portal), statuses), wanted, gaps):
            if not statuses:  # no report at all: only gaps, and nothing was checked
                break
            if wanted is None or f.year in wanted:
                found += 1
                typer.echo(f"{f.kind}\t{f.portal_id}\t{f.year}\t{f.agency}\t{f.detail}")
    if not statuses:  # nothing was checked, which is not the same as nothing found
        _nothing_found(portal, None)
    typer.echo(f"{found} findings in {statuses.total()} stored reports", err=True)


def _tally(rows: Iterable[ReportRow], statuses: Counter[str]) -> Iterator[ReportRow]:
    """The rows as they stream past, counted by parse status."""
    for row in rows:
        statuses[row.parse_status] += 1
        yield row


def failures_command(portal: PortalOpt = None) -> None:
    """Open failures (fetch or parse) that the next run will retry. Exit 1 when there are any."""
    from db.failures import open_failures

    with stored_session(portal) as session:
        rows = open_failures(session, portal)
    for f in rows:
        typer.echo(f"{f.stage}\t{f.portal_id}\t{f.attempts} attempts\t{f.url}\t{f.error}")
    typer.echo(f"{len(rows)} open failures", err=True)
    raise typer.Exit(EXIT_ATTENTION if rows else EXIT_OK)


StatusOpt = Annotated[list[str] | None, typer.Option("--status", help="Parse status (repeatable): ok, partial, …")]
GenerationOpt = Annotated[list[str] | None, typer.Option("--generation", help="Template (repeatable): 2021, 2019.")]
ROW_NAMES = {"wide": "reports", "long": "cells", "sections": "sections"}


def export_command(
    portal: PortalOpt = None,
    years: YearsOpt = None,
    fmt: Annotated[
        str, typer.Option("--format", help="csv, jsonl, parquet or xlsx (the last two need --out).")
    ] = "csv",
    out: Annotated[Path | None, typer.Option(help="Output file; default stdout (csv, jsonl).")] = None,
    layout: Annotated[
        str,
        typer.Option(help="wide (a row per report), long (per report and cell) or sections (per narrative section)."),
    ] = "wide",
    region: Annotated[str | None, typer.Option(help="Region code: 64, 6405, 640502 (or 640000, 640500).")] = None,
    status: StatusOpt = None,
    generation: GenerationOpt = None,
    findings_only: Annotated[bool, typer.Option("--findings-only", help="Only reports with findings.")] = False,
    bom: Annotated[bool, typer.Option("--bom", help="Start a csv with a BOM, for Excel.")] = False,
    all_versions: Annotated[
        bool, typer.Option("--all-versions", help="A row per stored version of each report, with its own cells.")
    ] = False,
) -> None:
    """Export reports with their metadata and every canonical cell, streamed. Exit 1 when none match.

    With --out, a csv or jsonl export gets its codebook beside it (NAME.codebook.csv); parquet carries it in
    its metadata (nianbao.codebook), xlsx in a sheet.
    """
    from db.export_rows import ExportFilter, stream_reports
    from parsers.model import ParseStatus

    filt = ExportFilter(
        portal_ids=portal,
        years=parse_years(years) if years else None,
        region=_region(region),
        statuses=_choices("--status", status, tuple(ParseStatus)),
        generations=_choices("--generation", generation, ("2021", "2019", "legacy")),
        findings_only=findings_only,
        all_versions=all_versions,
    )
    _check_format(fmt, layout, out, bom)
    with stored_session(portal) as session:
        reports = stream_reports(session, filt)
        first = next(reports, None)
        if first is None:
            _nothing_found(portal, years)
        count = _write(itertools.chain([first], reports), fmt, layout, out, bom, filt.generations)
    typer.echo(f"exported {count} {ROW_NAMES[layout]}", err=True)


def _check_format(fmt: str, layout: str, out: Path | None, bom: bool) -> None:
    from db.export import FORMATS, LAYOUTS

    if fmt not in FORMATS:
        raise UsageError(f"unknown --format {fmt!r}: use {', '.join(FORMATS)}")
    if layout not in LAYOUTS:
        raise UsageError(f"unknown --layout {layout!r}: use {', '.join(LAYOUTS)}")
    if fmt in ("parquet", "xlsx") and out is None:
        raise UsageError(f"--format {fmt} needs --out FILE (it is not text for a terminal)")
    if bom and fmt != "csv":
        raise UsageError("--bom is for --format csv")


def _choices(option: str, values: list[str] | None, allowed: tuple[str, ...]) -> list[str] | None:
    bad = [v for v in values or [] if v not in allowed]
    if bad:
        raise UsageError(f"{option}: unknown {', '.join(map(repr, bad))} (use {', '.join(allowed)})")
    return values or None


def _region(code: str | None) -> str | None:
    if code is not None and not (code.isdigit() and len(code) in (2, 4, 6)):
        raise UsageError(f"--region: {code!r} is not a region code (2, 4 or 6 digits: 64, 6405, 640502)")
    return code


def _write(reports: Iterable[ExportReport], fmt: str, layout: str, out: Path | None, bom: bool,
           generations: list[str] | None) -> int:  # fmt: skip
    from db.codebook import render
    from db.export import BINARY_FORMATS, ExportLimitError, codebook_path, export

    if out is None:
        return export(reports, sys.stdout, fmt=fmt, layout_name=layout, generations=generations)
    try:
        if fmt in BINARY_FORMATS:
            _writable(out)
            return export(reports, out, fmt=fmt, layout_name=layout, generations=generations)
        encoding = "utf-8-sig" if bom else "utf-8"
        with _open_out(out, encoding) as fh:
            count = export(reports, fh, fmt=fmt, layout_name=layout, generations=generations)
        with _open_out(codebook_path(out), encoding) as fh:
            fh.write(render("csv"))
        return count
    except ExportLimitError as exc:
        out.unlink(missing_ok=True)  # half an export must not pass for a whole one
        raise UsageError(str(exc)) from exc


def _writable(path: Path) -> None:
    with _open_out(path, "utf-8"):
        pass


def _open_out(path: Path, encoding: str = "utf-8") -> TextIO:
    try:
        return path.open("w", encoding=encoding, newline="")
    except OSError as exc:
        raise UsageError(f"cannot write --out {path}: {exc.strerror}") from exc


def register(app: typer.Typer) -> None:
    app.command("reports")(reports_command)
    app.command("findings")(findings_command)
    app.command("failures")(failures_command)
    app.command("export")(export_command)
