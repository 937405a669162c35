"""`nianbao db ...`: create, upgrade and inspect the database schema."""

from __future__ import annotations

import typer

db_app = typer.Typer(help="Create, upgrade and inspect the database (NIANBAO_DATABASE_URL).", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade_command() -> None:
    """Create the schema or bring it to the latest migration."""
    from db.migrate import current_revision, upgrade
    from nianbao.config import Settings

    # An unreachable database or refused login surfaces as one line (nianbao.errors), exit 3.
    url = Settings.from_env().database_url
    upgrade(url)
    typer.echo(f"{_redact(url)} at revision {current_revision(url)}")


@db_app.command("current")
def current_command() -> None:
    """Print the schema revision of the configured database (creates nothing)."""
    from db.migrate import current_revision, head_revision
    from nianbao.config import Settings

    url = Settings.from_env().database_url
    current, head = current_revision(url), head_revision()
    if current is None:
        state = "empty (run `nianbao db upgrade`)"
    elif current != head:
        state = f"{current}, not the latest {head} (run `nianbao db upgrade`)"
    else:
        state = f"{current} (latest)"
    typer.echo(f"{_redact(url)}: {state}")


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
