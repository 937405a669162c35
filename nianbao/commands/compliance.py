"""`nianbao compliance`: per agency and year, published or not, on time or late, current template, checks, OCR.

Read-only, like `reports`: the database must exist at the current schema revision.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nianbao.commands.data import PortalOpt
from nianbao.errors import EXIT_ATTENTION, UsageError
from nianbao.options import parse_years
from nianbao.preflight import stored_session

if TYPE_CHECKING:
    from sqlmodel import Session

    from db.compliance import ComplianceRow

FORMATS = ("table", "csv", "json")
FIELDS = ("portal", "agency", "year", "status", "deadline", "published_on", "days_late", "generation", "template",
          "checks", "failed_checks", "reading", "parse_status", "source_url", "notes")  # fmt: skip


HtmlOpt = Annotated[Path | None, typer.Option(help="Also write the page (chart, sortable table, failed checks).")]
FormatOpt = Annotated[
    str | None,
    typer.Option("--format", help="table, csv or json (an object a line); default table, none with --html."),
]


def compliance_command(
    portal: PortalOpt = None,
    year: Annotated[str | None, typer.Option("--year", help="Report year(s): 2023, 2019-2024; default all.")] = None,
    html: HtmlOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """For each agency of a portal and year: published on time, late (days) or not, template current or
    outdated, consistency checks passed or which failed (with the cells), read from text or OCR, the source.

    Exit 1 when nothing is stored for what was asked. Text or OCR is what the parser recorded for the
    report (text, ocr, or mixed for a text PDF with scanned pages)."""
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown --format {fmt!r}: use {', '.join(FORMATS)}")
    years = parse_years(year) if year else None
    if html is not None and not (html.parent.is_dir() and os.access(html.parent, os.W_OK)):
        raise UsageError(f"cannot write --html {html}: {html.parent} is not a writable directory")
    shown: str | None = fmt or (None if html else "table")
    from db.compliance import Tally

    tally = Tally()
    kept: list[ComplianceRow] = []  # only for --html: the page shows every row at once
    with stored_session(portal) as session:
        for portal_id in portal or _stored_portals(session):
            seen: set[int] = set()
            for row in _rows(session, portal_id, years):
                _print(row, shown, header=tally.total == 0)
                tally.add(row)
                seen.add(row.year)
                if html is not None:
                    kept.append(row)
            _say_empty_years(portal_id, years, seen)
    if not tally.total:
        scope = "".join([f" for portal {', '.join(portal)}" if portal else "", f" in {year}" if year else ""])
        typer.echo(f"no reports stored{scope}", err=True)
        raise typer.Exit(EXIT_ATTENTION)
    if html is not None:
        _write_page(html, kept, year)
    typer.echo(tally.line() + (f"; page written to {html}" if html else ""), err=True)


def _say_empty_years(portal_id: str, years: list[int] | None, seen: set[int]) -> None:
    empty = sorted(set(years or []) - seen)
    if empty and seen:
        typer.echo(f"{portal_id}: nothing stored for {', '.join(map(str, empty))} (not collected yet?)", err=True)


def _rows(session: Session, portal_id: str, years: list[int] | None) -> Iterator[ComplianceRow]:
    from db.compliance import iter_portal_compliance
    from nianbao.facts import parser_facts

    return iter_portal_compliance(session, portal_id, years, parser_facts())


def _stored_portals(session: Session) -> list[str]:
    from db.compliance import stored_portals

    return stored_portals(session)


def _print(r: ComplianceRow, fmt: str | None, header: bool) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(r.as_dict(), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        if header:
            writer.writerow(FIELDS)
        writer.writerow(_flat(r))
    elif fmt == "table":
        checks = r.checks if not r.failed_checks else "failed: " + ", ".join(sorted({c.rule for c in r.failed_checks}))
        late = f"{r.days_late} days late" if r.days_late is not None else ""
        typer.echo("\t".join([r.portal_id, str(r.year), r.agency, r.status_label, late,
                              r.published_on.isoformat() if r.published_on else "-", f"template {r.template}",
                              f"checks {checks}", r.reading, r.source_url or "-"]))  # fmt: skip


def _flat(r: ComplianceRow) -> Iterable[object]:
    d = r.flat()
    return [d[k] if d[k] is not None else "" for k in FIELDS]


def _write_page(path: Path, rows: list[ComplianceRow], year: str | None) -> None:
    from nianbao.compliance_page import render_page

    scope = ", ".join(sorted({r.portal_id for r in rows}))
    title = f"Annual report compliance: {scope}" + (f" ({year})" if year else "")
    try:
        path.write_text(render_page(rows, title), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write --html {path}: {exc.strerror}") from exc


def register(app: typer.Typer) -> None:
    app.command("compliance")(compliance_command)
