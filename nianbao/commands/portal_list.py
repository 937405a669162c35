"""`nianbao portal list`: the portals of the portals directory, their family and hosts, and their last run."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nianbao.commands.parse import printable
from nianbao.errors import EXIT_ATTENTION, EXIT_OK

if TYPE_CHECKING:
    from db.portal_runs import LastRun

NEVER = "never run"


@dataclass(frozen=True)
class PortalLine:
    """One spec file as `list` shows it; `error` says why the spec does not load."""

    id: str
    family: str | None = None
    level: str | None = None
    hosts: tuple[str, ...] = ()
    last_run: str = NEVER
    last_run_at: str | None = None
    reports: int = 0
    error: str | None = None


def register(app: typer.Typer) -> None:
    app.command(name="list")(list_command)


def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array, an object per portal.")] = False,
) -> None:
    """List the portals in the portals directory: family, level, hosts and the last run's outcome.

    The last run is read from the database (its newest URL seen or failure, the failures left
    open, the reports stored); a portal it has no trace of was never run. Exit 0, or 1 when a
    spec does not load (its error is shown).
    """
    from nianbao.config import Settings

    settings = Settings.from_env()
    runs, note = _runs(settings.database_url)
    lines = [_line(path, settings.portals_dir, runs) for path in _paths(settings.portals_dir)]
    if note:
        typer.echo(f"note: {note}", err=True)
    if as_json:
        typer.echo(json.dumps([_json(line) for line in lines], ensure_ascii=False))
    else:
        typer.echo(table(lines, settings.portals_dir))
    raise typer.Exit(EXIT_ATTENTION if any(line.error for line in lines) else EXIT_OK)


def _paths(portals_dir: Path) -> list[Path]:
    from scrapers.spec import spec_paths

    return spec_paths(portals_dir)


def _line(path: Path, portals_dir: Path, runs: dict[str, LastRun] | None) -> PortalLine:
    from scrapers.errors import SpecError
    from scrapers.spec import load_portal

    try:
        spec = load_portal(path.stem, portals_dir)
    except SpecError as exc:
        return PortalLine(path.stem, error=str(exc))
    run = (runs or {}).get(spec.id)
    outcome = run.outcome if run else (NEVER if runs is not None else "unknown")
    at = run.at.replace(microsecond=0).isoformat(sep=" ") if run else None
    return PortalLine(
        spec.id, spec.cms_family, spec.level, tuple(spec.allowed_hosts), outcome, at, run.reports if run else 0
    )


def _runs(database_url: str) -> tuple[dict[str, LastRun] | None, str | None]:
    """The last run of each portal; {} without a database, None (and why) when it cannot be read."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and (not url.database or not Path(url.database).exists()):
        return {}, None  # no database yet: never created, so never run (and not created by listing)
    from db.database import Database
    from db.portal_runs import last_runs

    database = Database(database_url)
    try:
        with database.transaction() as session:
            return last_runs(session), None
    except SQLAlchemyError as exc:
        return None, f"the last runs could not be read from the database: {str(exc).splitlines()[0]}"
    finally:
        database.dispose()


def _json(line: PortalLine) -> dict[str, Any]:
    return {**line.__dict__, "hosts": list(line.hosts)}


def table(lines: list[PortalLine], portals_dir: Path) -> str:
    if not lines:
        return f"no portal specs in {portals_dir}"
    width = max(len(line.id) for line in lines)
    out = [f"{'portal':<{width}}  {'family':<12}  {'level':<10}  last run"]
    for line in lines:
        if line.error:
            out.append(f"{line.id:<{width}}  invalid spec: {printable(line.error)}")
            continue
        when = f"{line.last_run_at}, {line.reports} reports stored, " if line.last_run_at else ""
        out.append(f"{line.id:<{width}}  {line.family:<12}  {line.level:<10}  {when}{line.last_run}")
        out.append(f"{'':<{width}}  hosts: {', '.join(line.hosts)}")
    return "\n".join(out)
