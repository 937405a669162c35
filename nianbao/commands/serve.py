"""`nianbao serve`: browse the database in Datasette, with the codebook's labels and the compliance questions.

Datasette serves SQLite files only, so a PostgreSQL NIANBAO_DATABASE_URL is a usage error (exit 2). The stored
database is served read-only beside a browsing database generated from it (db/browse.py), kept under
NIANBAO_DATA_DIR/browse/ and rebuilt only when the stored database's files changed (or with --rebuild).
"""

from __future__ import annotations

import hashlib
import json
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nianbao.errors import SetupError, UsageError

if TYPE_CHECKING:
    from db.browse import BrowseCounts

STOP_SECONDS = 10  # how long a stopped server may take to exit before it is killed


def serve_command(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8001,
    host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 for every interface.")] = "127.0.0.1",
    metadata_out: Annotated[
        Path | None, typer.Option("--metadata-out", help="Also write Datasette's metadata (JSON) here.")
    ] = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Rebuild the browsing tables even if the database has not changed.")
    ] = False,
) -> None:
    """Browse every table in Datasette (facets, filters, CSV/JSON download), with readable tables of reports,
    cells and compliance, the codebook's labels and canned queries: published? late? outdated template?
    failed checks? SQLite databases only. Runs until stopped (Ctrl-C).

    The browsing tables are built on the first start (minutes on a large database) and kept under
    NIANBAO_DATA_DIR/browse/; later starts reuse them while the database is unchanged."""
    from nianbao.config import Settings

    settings = Settings.from_env()
    database_file = _sqlite_file(settings.database_url)
    _check_port(host, port)  # before the browsing tables, which take minutes on a large database
    browse = browse_path(settings.data_dir, database_file)
    prepare_browse(database_file, browse, rebuild=rebuild)
    with tempfile.TemporaryDirectory(prefix="nianbao-serve-") as tmp:
        metadata = _write_metadata(database_file, Path(tmp))
        if metadata_out is not None:
            _copy(metadata, metadata_out)
        command = [sys.executable, "-m", "datasette", "serve", str(database_file), str(browse),
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


def browse_path(data_dir: Path, database_file: Path) -> Path:
    """Where the browsing tables of `database_file` are kept (Datasette names a database by its file stem)."""
    from db.browse import NAME

    key = hashlib.sha256(str(database_file).encode()).hexdigest()[:16]
    return data_dir / "browse" / key / f"{NAME}.db"


def prepare_browse(database_file: Path, browse: Path, *, rebuild: bool = False) -> bool:
    """Make the browsing tables at `browse` answer for the database as it is now; True when (re)built."""
    from db.browse import build, current, seal
    from nianbao.facts import parser_facts
    from nianbao.preflight import stored_session

    kept = None if rebuild else current(browse, source_stamp(database_file))
    if kept is not None:
        typer.echo(f"browsing tables are current with the database ({_counted(kept)}; --rebuild rebuilds them)",
                   err=True)  # fmt: skip
        return False
    typer.echo("preparing the browsing tables…", err=True)
    try:
        browse.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SetupError(
            f"cannot keep the browsing tables in {browse.parent}: {exc.strerror} (NIANBAO_DATA_DIR)"
        ) from exc
    partial = browse.with_name(browse.name + ".partial")
    with stored_session(None) as session:
        counts = build(session, partial, parser_facts())
    # Stamped after our session is closed: closing the last connection checkpoints the WAL into the file.
    seal(partial, counts, source_stamp(database_file), browse)
    typer.echo(_counted(counts), err=True)
    return True


def source_stamp(database_file: Path) -> str:
    """The stored database's state as its files show it: every write changes the file or its write-ahead log.
    With the parser's version and its checks' code, which the compliance tables are read with."""
    import parsers.checks
    from parsers.version import PARSER_VERSION

    parts = []
    for path in (database_file, database_file.with_name(database_file.name + "-wal")):
        try:
            stat = path.stat()
        except FileNotFoundError:
            stat = None
        # An empty log holds nothing: Datasette's read-only connections leave one behind, freshly touched.
        if stat is None or (stat.st_size == 0 and path != database_file):
            parts.append(f"{path.name} empty")
        else:
            parts.append(f"{path.name} {stat.st_size} {stat.st_mtime_ns}")
    checks = hashlib.sha256(Path(parsers.checks.__file__).read_bytes()).hexdigest()[:16]
    return "; ".join([*parts, f"parser {PARSER_VERSION}", f"checks {checks}"])


def _counted(counts: BrowseCounts) -> str:
    return (f"{counts.reports} reports, {counts.cells} cells, {counts.agency_years} agency-years, "
            f"{counts.failed_check_cells} failed-check cells")  # fmt: skip


def _write_metadata(database_file: Path, tmp: Path) -> Path:
    """Datasette's metadata file, in `tmp`; its path."""
    from db.browse import metadata

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
