"""Errors a person can act on: one line on stderr and an exit code, never a traceback.

Commands raise `UsageError` for a mistake in what was asked and `SetupError` for an
environment that is not ready; `CliGroup` (the app's click group) turns those, and the
operational errors other stages raise (an unreachable database, a schema never upgraded,
an unknown portal), into that one line. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
import typer.core

EXIT_OK = 0
EXIT_ATTENTION = 1  # the command ran; something needs a look (failed documents, open failures, nothing found)
EXIT_USAGE = 2  # as click: a bad argument, an unknown portal, an invalid spec, an unwritable --out
EXIT_SETUP = 3  # the environment: database/Prefect API/portal unreachable, schema missing or out of date

EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 the run finished but needs attention (failed documents, open failures, nothing found); "
    "2 bad arguments (unknown portal, invalid spec, unwritable output); "
    "3 environment not ready (database, Prefect API or portal unreachable, schema missing: run `nianbao db upgrade`)."
)


class CliError(Exception):
    """A failure explained by its message alone; `exit_code` says which kind."""

    exit_code = EXIT_USAGE


class UsageError(CliError):
    """What was asked cannot be done as asked (bad argument, unknown portal, unwritable path)."""


class SetupError(CliError):
    """The environment is not ready (database unreachable, schema not upgraded)."""

    exit_code = EXIT_SETUP


class CliGroup(typer.core.TyperGroup):
    """The root command group: every subcommand runs inside its `invoke`, so errors end here."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            error = explain(exc)
            if error is None:
                raise
            typer.echo(f"error: {one_line(str(error))}", err=True)
            raise typer.Exit(error.exit_code) from exc


def one_line(message: str) -> str:
    """Some messages span lines (YAML's point at the column); the contract is one greppable line."""
    return " ".join(line.strip() for line in message.splitlines() if line.strip())


def explain(exc: BaseException) -> CliError | None:
    """The one-line form of an error a person can act on; None for anything else (a bug)."""
    if isinstance(exc, CliError):
        return exc
    from nianbao.config import ConfigError

    if isinstance(exc, ConfigError):
        return SetupError(str(exc))
    # Only exceptions of modules already imported can have been raised; checking
    # sys.modules keeps this from importing Prefect, SQLAlchemy or Alembic to look at a bug.
    limits = sys.modules.get("flows.limits")
    if limits is not None and isinstance(exc, limits.PortalBusyError):
        return SetupError(str(exc))  # another run holds the portal; the message names it and the fix
    blobs = sys.modules.get("db.blobs")
    if blobs is not None and isinstance(exc, blobs.BlobStoreError):
        return SetupError(str(exc))  # the object store's endpoint, credentials or bucket
    runners = sys.modules.get("flows.runners")
    if runners is not None and isinstance(exc, runners.DaskUnavailable):
        return SetupError(str(exc))
    spec_errors = sys.modules.get("scrapers.errors")
    if spec_errors is not None and isinstance(exc, spec_errors.SpecError):
        return UsageError(str(exc))
    migrate = sys.modules.get("db.migrate")
    if migrate is not None and isinstance(exc, migrate.SchemaNotReady):
        return SetupError(f"{exc}: run `nianbao db upgrade`" if exc.upgradable else str(exc))
    alembic_exc = sys.modules.get("alembic.util.exc")
    if alembic_exc is not None and isinstance(exc, alembic_exc.CommandError):
        # e.g. a revision this nianbao does not know: the database was upgraded by a newer one
        return SetupError(f"cannot migrate the database: {exc}")
    engine = sys.modules.get("db.engine")
    if engine is not None and isinstance(exc, engine.UnusableLocation):
        return SetupError(str(exc))
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is not None and isinstance(exc, sa_exc.OperationalError):
        from db.engine import location
        from nianbao.config import Settings

        where = location(Settings.from_env().database_url)
        return SetupError(f"cannot use the database at {where}: {database_reason(exc)}")
    return None


def database_reason(exc: Exception) -> str:
    """The driver's own reason, e.g. 'Connection refused' or 'password authentication failed ...'.

    libpq reports each attempted address as '... port 5432 failed: <reason>'; the reason is
    what follows the last 'failed: ' (it never contains the password). SQL is left out.
    """
    text = str(getattr(exc, "orig", None) or exc)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    attempts = [line.rsplit("failed: ", 1)[1] for line in lines if "failed: " in line]
    reason = attempts[-1] if attempts else (lines[0] if lines else type(exc).__name__)
    return reason.removeprefix("FATAL:").strip()
