"""`nianbao parse`: read report files and show what the parser makes of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from parsers.model import ParsedReport


def register(app: typer.Typer) -> None:
    app.command(name="parse")(parse)


def parse(
    paths: Annotated[
        list[Path], typer.Argument(help="Report files (PDF, HTML, DOCX or text), format sniffed from the bytes.")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per input per line (cells, checks, warnings, sections).")
    ] = False,
    agency: Annotated[
        str | None, typer.Option("--agency", help="Agency to assume where the document prints none.")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Report year to assume where the document prints none.")
    ] = None,
) -> None:
    """Parse annual reports (政府信息公开工作年度报告) into the template's cells.

    Prints, per file, the status (ok, partial, needs_ocr, not_a_report, error), agency,
    year, template generation, number of cells read and failed consistency checks.
    Exits 0 when every file was read, whatever its status; 1 when any file had an error
    (including a missing path).
    """
    from parsers.dispatch import parse_path
    from parsers.isolated import parse_isolated
    from parsers.model import Hints, ParseStatus

    hints = Hints(agency=agency, year=year) if agency or year else None
    had_error = False
    for path in paths:
        report = parse_path(path, hints=hints, parse=parse_isolated)
        had_error = had_error or report.status == ParseStatus.ERROR
        typer.echo(json.dumps(to_json_line(path, report), ensure_ascii=False) if as_json else summary(path, report))
    raise typer.Exit(1 if had_error else 0)


def to_json_line(path: Path, report: ParsedReport) -> dict[str, Any]:
    """The report as JSON, with the input path first."""
    return {"path": str(path), **report.to_json_dict()}


def summary(path: Path, report: ParsedReport) -> str:
    """A few readable lines about one parsed file."""
    from parsers.model import ParseStatus

    name = printable(str(path))
    if report.status == ParseStatus.ERROR:
        return f"{name}: error: {printable(report.error or '')}"
    failed = [c for c in report.checks if not c.ok]
    lines = [
        f"{name}: {report.status}",
        f"  agency: {report.agency or '-'}  year: {report.year or '-'}  generation: {report.generation or '-'}",
        f"  cells: {len(report.cells)}  failed checks: {', '.join(c.rule for c in failed) or 'none'}",
        *(f"  check {c.rule}: {c.detail}" for c in failed),
        *(f"  warning: {w}" for w in report.warnings),
    ]
    return "\n".join(lines)


def printable(text: str) -> str:
    """`text` with line breaks and other control characters escaped (\\n, \\x1b), so a file
    name or a message holding them stays on its one line; CJK and other text is kept."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
