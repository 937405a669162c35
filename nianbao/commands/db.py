"""`nianbao db ...`: create, upgrade and inspect the database schema."""

from __future__ import annotations

import typer

db_app = typer.Typer(help="Create, upgrade and inspect the database (NIANBAO_DATABASE_URL).", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade_command() -> None:
    """Create the schema or bring it to the latest migration."""
    from db.migrate import current_revision, upgrade
    from nianbao.config import Settings

    settings = Settings.from_env()
    try:
        upgrade(settings.database_url)
    except Exception as exc:  # the message is what the user needs; the traceback is not
        typer.echo(f"error: cannot upgrade {_redact(settings.database_url)}: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{_redact(settings.database_url)} at revision {current_revision(settings.database_url)}")


@db_app.command("current")
def current_command() -> None:
    """Print the schema revision of the configured database."""
    from db.migrate import current_revision
    from nianbao.config import Settings

    url = Settings.from_env().database_url
    typer.echo(f"{_redact(url)}: {current_revision(url) or 'empty (run `nianbao db upgrade`)'}")


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
