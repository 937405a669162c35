"""`nianbao serve`: browse the database in Datasette, with the codebook's labels and the compliance questions.

Datasette serves SQLite files only, so a PostgreSQL NIANBAO_DATABASE_URL is a usage error (exit 2). The stored
database is served read-only beside a browsing database generated at start-up (db/browse.py) in a temporary
directory that goes when the server stops.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from nianbao.errors import SetupError, UsageError

STOP_SECONDS = 10  # how long a stopped server may take to exit before it is killed


def serve_command(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8001,
    host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 for every interface.")] = "127.0.0.1",
    metadata_out: Annotated[
        Path | None, typer.Option("--metadata-out", help="Also write Datasette's metadata (JSON) here.")
    ] = None,
) -> None:
    """Browse every table in Datasette (facets, filters, CSV/JSON download), with readable tables of reports,
    cells and compliance, the codebook's labels and canned queries: published? late? outdated template?
    failed checks? SQLite databases only. Runs until stopped (Ctrl-C)."""
    from nianbao.config import Settings

    url = Settings.from_env().database_url
    database_file = _sqlite_file(url)
    _check_port(host, port)  # before the browsing tables, which take minutes on a large database
    with tempfile.TemporaryDirectory(prefix="nianbao-serve-") as tmp:
        metadata = _prepare(url, database_file, Path(tmp))
        if metadata_out is not None:
            _copy(metadata, metadata_out)
        command = [sys.executable, "-m", "datasette", "serve", str(database_file), str(Path(tmp) / "browse.db"),
                   "--metadata", str(metadata), "--host", host, "--port", str(port),
                   "--setting", "sql_time_limit_ms", "10000"]  # fmt: skip
        typer.echo(f"serving {database_file} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
        _run(command)


def _sqlite_file(url: str) -> Path:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise UsageError(f"nianbao serve browses SQLite databases only; NIANBAO_DATABASE_URL is "
                         f"{parsed.get_backend_name()} (export what you need with `nianbao export`)")  # fmt: skip
    if not parsed.database or parsed.database == ":memory:":
        raise UsageError("nianbao serve needs a SQLite file, not an in-memory database")
    return Path(parsed.database).resolve()


def _check_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise SetupError(f"cannot listen on {host}:{port}: {exc.strerror} (another server? choose --port)") from exc


def _prepare(url: str, database_file: Path, tmp: Path) -> Path:
    """The browsing database and the metadata file, in `tmp`; the metadata's path."""
    from db.browse import build, metadata
    from nianbao.facts import parser_facts
    from nianbao.preflight import stored_session

    typer.echo("preparing the browsing tables…", err=True)
    with stored_session(None) as session:
        counts = build(session, tmp / "browse.db", parser_facts())
    typer.echo(f"{counts.reports} reports, {counts.cells} cells, {counts.agency_years} agency-years, "
               f"{counts.failed_check_cells} failed-check cells", err=True)  # fmt: skip
    path = tmp / "metadata.json"
    path.write_text(json.dumps(metadata(database_file.stem), ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _copy(metadata: Path, out: Path) -> None:
    try:
        out.write_text(metadata.read_text(encoding="utf-8"), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write --metadata-out {out}: {exc.strerror}") from exc


def _run(command: list[str]) -> None:
    """Datasette in the foreground; Ctrl-C (or SIGTERM to us) stops it, within STOP_SECONDS."""
    process = subprocess.Popen(command)
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop must stop datasette too
    try:
        code = process.wait()
    except KeyboardInterrupt:
        code = 0
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    if code:
        raise SetupError(f"datasette exited with status {code} (port in use? see its message above)")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
