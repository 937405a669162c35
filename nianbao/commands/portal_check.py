"""`nianbao portal check ID`: a live health check of one portal (scrapers/discovery/health.py)."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nianbao.commands.parse import printable
from nianbao.errors import EXIT_ATTENTION, EXIT_OK

if TYPE_CHECKING:
    from scrapers.discovery.health import Health


def register(app: typer.Typer) -> None:
    app.command(name="check")(check_command)


def check_command(
    portal: Annotated[str, typer.Argument(help="Portal id: the name of a YAML file in the portals directory.")],
    base_url: Annotated[str | None, typer.Option(help="Point the portal at another base URL (the replica).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object: columns, failures, healthy.")] = False,
) -> None:
    """Check PORTAL live: find its 年报 columns, fetch each column's first listing page and count its items.

    A column with no items, a changed layout or a page that cannot be fetched fails with its
    reason, as does a portal where no column is found. Fetches no article. Exit 0 healthy,
    1 not, 2 unknown portal or invalid spec.
    """
    from nianbao.config import Settings, contact_warning
    from scrapers.discovery.health import check_portal
    from scrapers.http import PoliteClient
    from scrapers.spec import load_portal

    settings = Settings.from_env()
    spec = load_portal(portal, settings.portals_dir, base_url=base_url, contact=settings.contact)
    if warning := contact_warning(spec):
        typer.echo(warning, err=True)
    with PoliteClient(spec) as client:
        health = check_portal(spec, client)
    typer.echo(json.dumps(to_json(health), ensure_ascii=False) if as_json else table(health))
    raise typer.Exit(EXIT_OK if health.healthy else EXIT_ATTENTION)


def to_json(health: Health) -> dict[str, Any]:
    return {"portal": health.portal_id, "healthy": health.healthy, **dataclasses.asdict(health)}


def table(health: Health) -> str:
    """One line per column (items, verdict, department, URL, reason), then the portal's failures and the verdict."""
    lines = [f"{'items':>5}  {'verdict':<14}  column"]
    for column in health.columns:
        reason = f"  ({printable(column.reason)})" if column.reason else ""
        where = printable(column.department or "-")
        lines.append(f"{column.items:>5}  {column.verdict:<14}  {where}  {printable(column.url)}{reason}")
    lines += [f"failure: {printable(failure)}" for failure in health.failures]
    lines += [f"note: {printable(note)}" for note in health.notes]
    failing = sum(not column.ok for column in health.columns) + len(health.failures)
    verdict = "healthy" if health.healthy else f"NOT healthy ({failing} failure{'s' * (failing != 1)})"
    lines.append(f"{health.portal_id}: {len(health.columns)} columns, {verdict}; {health.requests} requests")
    return "\n".join(lines)
