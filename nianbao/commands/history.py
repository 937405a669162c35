"""`nianbao history AGENCY YEAR`: a report's versions, when each was first seen, and the cells that changed."""

from __future__ import annotations

from typing import Annotated

import typer

from nianbao.commands.data import PortalOpt
from nianbao.errors import EXIT_ATTENTION
from nianbao.preflight import stored_session


def history_command(
    agency: Annotated[str, typer.Argument(help="The agency as printed, e.g. 中卫市商务局.")],
    year: Annotated[int, typer.Argument(help="The report year.")],
    portal: PortalOpt = None,
) -> None:
    """Every stored version of a report: first seen, document, parser, and which cells changed. Exit 1 if none."""
    from db.export import decimal_text
    from db.history import changes, report_history

    with stored_session(portal) as session:
        reports = report_history(session, agency, year, portal)
    if not reports:
        typer.echo(f"no report of {agency} for {year} stored", err=True)
        raise typer.Exit(EXIT_ATTENTION)
    for versions in reports:
        first = versions[0]
        typer.echo(f"{first.portal_id}\t{first.agency}\t{first.year}\t{len(versions)} versions")
        for previous, version in zip([None, *versions], versions, strict=False):
            seen = version.seen_at.strftime("%Y-%m-%d %H:%M")
            typer.echo(f"v{version.version}\tfirst seen {seen}\t{(version.sha256 or '-')[:12]}\t{version.url or '-'}"
                       f"\tparser {version.parser_version}\t{len(version.cells)} cells")  # fmt: skip
            if previous is None:
                continue
            diff = changes(previous, version)
            for c in diff:
                before = "-" if c.before is None else decimal_text(c.before)
                after = "-" if c.after is None else decimal_text(c.after)
                typer.echo(f"\t{c.key}: {before} -> {after}")
            if not diff:
                typer.echo("\tno cell changed")


def register(app: typer.Typer) -> None:
    app.command("history")(history_command)
