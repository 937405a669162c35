"""A person's mistake or an unready environment gives one clear line and an exit code, never a traceback.

Exit codes (see `nianbao --help`): 1 nothing found / needs attention, 2 bad arguments,
3 environment not ready. Each test runs the real CLI against a real SQLite file, the
local PostgreSQL server, or a loopback socket written here.
"""

from __future__ import annotations

import os
import socket
import socketserver
import struct
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner, Result

from db.blobs import BlobStore
from db.database import Database
from db.documents import Fetched, ensure_portal, store_document
from db.migrate import upgrade
from db.reports import ReportInput, upsert_report
from nianbao.cli import app
from parsers.model import ParsedReport

READ_COMMANDS = [["reports"], ["findings"], ["failures"], ["export"]]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def one_error_line(result: Result, exit_code: int) -> str:
    """Assert the shape every error shares: the exit code, no traceback, one `error:` line on stderr."""
    assert result.exit_code == exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings as users set them: a data dir of this test, no database URL from the caller."""
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NIANBAO_DATABASE_URL", raising=False)
    monkeypatch.delenv("NIANBAO_BLOB_DIR", raising=False)
    monkeypatch.delenv("NIANBAO_PORTALS_DIR", raising=False)
    return tmp_path


@pytest.fixture
def upgraded(env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """An upgraded SQLite database holding portal nxzw and one of its reports (2023)."""
    url = f"sqlite:///{env / 'nianbao.db'}"
    monkeypatch.setenv("NIANBAO_DATABASE_URL", url)
    upgrade(url)
    database = Database(url)
    url_2023 = "https://www.nxzw.gov.cn/a.html"
    parsed = ParsedReport(status="ok", agency="中卫市商务局", year=2023, title="2023年报", parser_version="1",
                          cells={"received.total": 3})  # fmt: skip
    with database.transaction() as session:
        ensure_portal(session, "nxzw", "中卫市人民政府", "https://www.nxzw.gov.cn", "640500")
        stored = store_document(session, BlobStore(env / "blobs"), "nxzw", Fetched(url_2023, "ok", 200),
                                b"<html>2023</html>", "text/html")  # fmt: skip
        item = ReportInput("nxzw", "中卫市商务局", 2023, "中卫市", parsed, stored.document_id, url_2023)
        upsert_report(session, item)
    yield database
    database.dispose()


def _postgres_url() -> str | None:
    url = os.environ.get("NIANBAO_TEST_POSTGRES_URL")
    if not url and os.environ.get("NIANBAO_REQUIRE_POSTGRES") == "1":
        pytest.fail("NIANBAO_REQUIRE_POSTGRES=1 but NIANBAO_TEST_POSTGRES_URL is not set")
    return url


@pytest.fixture
def empty_postgres() -> Iterator[str]:
    """A URL whose search_path is a fresh, empty schema on the local server (as tests/db does)."""
    base = _postgres_url()
    if base is None:
        pytest.skip("NIANBAO_TEST_POSTGRES_URL not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


# --- unknown portal, --base-url: refused before any Prefect server starts -------------------------------


def test_backfill_unknown_portal(env: Path) -> None:
    line = one_error_line(run("backfill", "--portal", "nxzw", "--portal", "nosuch"), 2)
    assert line.endswith("nosuch.yaml: no such portal spec")


def test_crawl_unknown_portal_says_the_same(env: Path) -> None:
    line = one_error_line(run("crawl", "nosuch", "--dry-run"), 2)
    assert line.endswith("nosuch.yaml: no such portal spec")


@pytest.mark.parametrize("portals", [[], ["nxzw", "nxzw-replica"]])
def test_base_url_needs_exactly_one_portal(env: Path, monkeypatch: pytest.MonkeyPatch, portals: list[str]) -> None:
    # An empty portals directory: were the option still ignored, no real portal could be crawled.
    monkeypatch.setenv("NIANBAO_PORTALS_DIR", str(env / "no-portals"))
    args = [a for p in portals for a in ("--portal", p)]
    line = one_error_line(run("collect", "--base-url", "http://127.0.0.1:9", *args), 2)
    assert line == f"error: --base-url needs exactly one --portal (it re-points that portal); got {len(portals)}"


def test_collect_with_no_portal_specs(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "no-portals").mkdir()
    monkeypatch.setenv("NIANBAO_PORTALS_DIR", str(env / "no-portals"))
    line = one_error_line(run("collect"), 3)
    assert line == f"error: no portal specs (*.yaml) in {env / 'no-portals'}: set NIANBAO_PORTALS_DIR"


def test_collect_checks_every_spec_first(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "portals").mkdir()
    (env / "portals" / "broken.yaml").write_text("id: broken\nname: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("NIANBAO_PORTALS_DIR", str(env / "portals"))
    line = one_error_line(run("collect"), 2)
    assert line.startswith(f"error: {env / 'portals' / 'broken.yaml'}: cannot read spec: ")
    assert "line 2, column 7" in line  # where the YAML breaks, kept on the one line


def test_backfill_reversed_years(env: Path) -> None:
    assert one_error_line(run("backfill", "--portal", "nxzw", "--from", "2024", "--to", "2019"), 2) == (
        "error: --from 2024 is after --to 2019"
    )


# --- a database that was never upgraded: say so, create nothing ------------------------------------------


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_read_commands_on_missing_sqlite_create_nothing(
    env: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    missing = env / "nonexistent" / "x.db"
    monkeypatch.setenv("NIANBAO_DATABASE_URL", f"sqlite:///{missing}")
    line = one_error_line(run(*command), 3)
    assert line == f"error: no database at {missing}: run `nianbao db upgrade`"
    assert not missing.parent.exists()


def test_db_current_on_missing_sqlite_creates_nothing(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = env / "nonexistent" / "x.db"
    monkeypatch.setenv("NIANBAO_DATABASE_URL", f"sqlite:///{missing}")
    result = run("db", "current")
    assert result.exit_code == 0 and "empty (run `nianbao db upgrade`)" in result.stdout
    assert not missing.parent.exists()


def test_reports_on_sqlite_file_without_schema(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = env / "other.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE unrelated (id INTEGER)"))
    engine.dispose()
    monkeypatch.setenv("NIANBAO_DATABASE_URL", f"sqlite:///{path}")
    assert one_error_line(run("reports"), 3) == (
        f"error: the database at {path} has no nianbao schema: run `nianbao db upgrade`"
    )


def test_reports_on_schema_behind_the_code(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{env / 'old.db'}"
    upgrade(url, "0001")
    monkeypatch.setenv("NIANBAO_DATABASE_URL", url)
    line = one_error_line(run("reports"), 3)
    assert "is at schema revision 0001, this nianbao needs" in line and line.endswith("run `nianbao db upgrade`")


def test_schema_written_by_a_newer_nianbao(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{env / 'newer.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    monkeypatch.setenv("NIANBAO_DATABASE_URL", url)
    line = one_error_line(run("reports"), 3)
    assert "is at schema revision 0099, newer than this nianbao" in line and line.endswith(": upgrade nianbao")
    line = one_error_line(run("db", "upgrade"), 3)
    assert line == "error: cannot migrate the database: Can't locate revision identified by '0099'"


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_read_commands_on_postgres_without_schema(
    env: Path, monkeypatch: pytest.MonkeyPatch, empty_postgres: str, command: list[str]
) -> None:
    monkeypatch.setenv("NIANBAO_DATABASE_URL", empty_postgres)
    line = one_error_line(run(*command), 3)
    assert line.endswith("has no nianbao schema: run `nianbao db upgrade`")
    engine = create_engine(empty_postgres)
    with engine.connect() as conn:  # nothing was created: not even alembic_version
        assert conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")).scalar() == 0
    engine.dispose()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgres://nianbao:s3cret-pw@127.0.0.1/nianbao", "Can't load plugin: sqlalchemy.dialects:postgres"),
        ("nianbao.db", "Could not parse SQLAlchemy URL from given URL string"),
        ("mysql://nianbao:s3cret-pw@127.0.0.1/nianbao", "the database driver is not installed (No module named"),
    ],
    ids=["no-driver-name", "not-a-url", "driver-missing"],
)
def test_unusable_database_url(env: Path, monkeypatch: pytest.MonkeyPatch, url: str, reason: str) -> None:
    monkeypatch.setenv("NIANBAO_DATABASE_URL", url)
    line = one_error_line(run("reports"), 3)
    assert line.startswith(f"error: NIANBAO_DATABASE_URL: {reason}") and "s3cret-pw" not in line


# --- PostgreSQL down or refusing us: host:port and the reason, never the password ------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("command", [["reports"], ["db", "upgrade"]], ids=lambda c: "-".join(c))
def test_postgres_down(env: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    port = _closed_port()
    monkeypatch.setenv("NIANBAO_DATABASE_URL", f"postgresql+psycopg://nianbao:s3cret-pw@127.0.0.1:{port}/nianbao")
    line = one_error_line(run(*command), 3)
    assert line == f"error: cannot use the database at 127.0.0.1:{port}/nianbao: Connection refused"


@pytest.mark.parametrize(
    "command", [["collect", "--portal", "nxzw"], ["backfill", "--portal", "nxzw"], ["reparse"]], ids=lambda c: c[0]
)
def test_collecting_commands_check_the_database_before_prefect_starts(env: Path, command: list[str]) -> None:
    # A subprocess: what counts is everything the user sees, Prefect's own log lines included.
    port = _closed_port()
    environ = {**os.environ, "NIANBAO_DATA_DIR": str(env / "data"), "PREFECT_HOME": str(env / "prefect"),
               "NIANBAO_DATABASE_URL": f"postgresql+psycopg://nianbao:s3cret-pw@127.0.0.1:{port}/nianbao"}  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "nianbao.cli", *command], env=environ, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert done.returncode == 3, done.stderr
    expected = f"error: cannot use the database at 127.0.0.1:{port}/nianbao: Connection refused"
    assert done.stderr.splitlines() == [expected]
    assert not (env / "prefect").exists()  # no Prefect API was started


def test_unreachable_prefect_api(env: Path) -> None:
    # A subprocess: Prefect reads PREFECT_API_URL once per process.
    api = f"http://127.0.0.1:{_closed_port()}/api"
    environ = {**os.environ, "NIANBAO_DATA_DIR": str(env / "data"), "PREFECT_HOME": str(env / "prefect"),
               "PREFECT_API_URL": api}  # fmt: skip
    args = ["backfill", "--portal", "nxzw-replica", "--base-url", f"http://127.0.0.1:{_closed_port()}"]
    done = subprocess.run([sys.executable, "-m", "nianbao.cli", *args], env=environ, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert done.returncode == 3, done.stderr
    expected = f"error: cannot reach the Prefect API at {api} (PREFECT_API_URL): [Errno 111] Connection refused"
    assert done.stderr.splitlines() == [expected]


def test_crawl_checks_the_database_before_discovery(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = _closed_port()
    monkeypatch.setenv("NIANBAO_DATABASE_URL", f"postgresql+psycopg://nianbao:s3cret-pw@127.0.0.1:{port}/nianbao")
    result = run("crawl", "nxzw-replica", "--base-url", f"http://127.0.0.1:{_closed_port()}")
    assert one_error_line(result, 3).endswith(f"127.0.0.1:{port}/nianbao: Connection refused")
    assert result.stdout == ""  # no discovery ran


def test_sqlite_directory_that_cannot_be_made(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "a-file").write_text("in the way")
    monkeypatch.setenv("NIANBAO_DATABASE_URL", f"sqlite:///{env / 'a-file' / 'x.db'}")
    line = one_error_line(run("db", "upgrade"), 3)
    assert line.startswith(f"error: cannot create the directory of {env / 'a-file' / 'x.db'}: ")


def test_postgres_unknown_role(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = _postgres_url()
    if base is None:
        pytest.skip("NIANBAO_TEST_POSTGRES_URL not set")
    from sqlalchemy.engine import make_url

    url = make_url(base).set(username="nosuch_role", password="s3cret-pw")
    monkeypatch.setenv("NIANBAO_DATABASE_URL", url.render_as_string(hide_password=False))
    line = one_error_line(run("reports"), 3)
    where = f"{url.host}:{url.port}/{url.database}"
    assert line == f'error: cannot use the database at {where}: role "nosuch_role" does not exist'


class _PasswordRefusingServer(socketserver.ThreadingTCPServer):
    """Speaks just enough of the PostgreSQL protocol to ask for a password and refuse it.

    The local test server trusts loopback logins, so a wrong password cannot be produced there.
    """

    daemon_threads = True
    allow_reuse_address = True
    passwords: list[bytes]


class _RefusePassword(socketserver.BaseRequestHandler):
    server: _PasswordRefusingServer  # the server this handler is made for: it keeps the passwords sent

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(10)
        while True:
            length, code = struct.unpack("!ii", _recv(sock, 8))
            if code in (80877103, 80877104):  # SSLRequest / GSSENCRequest: "not here"
                sock.sendall(b"N")
                continue
            _recv(sock, length - 8)  # the rest of the StartupMessage (user, database)
            break
        sock.sendall(b"R" + struct.pack("!ii", 8, 3))  # AuthenticationCleartextPassword
        _kind, length = struct.unpack("!ci", _recv(sock, 5))
        self.server.passwords.append(_recv(sock, length - 4).rstrip(b"\0"))
        fields = b"SFATAL\0VFATAL\0C28P01\0" + b'Mpassword authentication failed for user "nianbao"\0' + b"\0"
        sock.sendall(b"E" + struct.pack("!i", len(fields) + 4) + fields)


def _recv(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("client went away")
        data += chunk
    return data


def test_postgres_wrong_password(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = _PasswordRefusingServer(("127.0.0.1", 0), _RefusePassword)
    server.passwords = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        monkeypatch.setenv("NIANBAO_DATABASE_URL", f"postgresql+psycopg://nianbao:wrong-pw@127.0.0.1:{port}/nianbao")
        line = one_error_line(run("reports"), 3)
    finally:
        server.shutdown()
        server.server_close()
    assert server.passwords and server.passwords[0] == b"wrong-pw"  # the driver did send it ...
    assert line == (  # ... and it is not echoed
        f'error: cannot use the database at 127.0.0.1:{port}/nianbao: password authentication failed for user "nianbao"'
    )


# --- output path, unknown portal, nothing found -----------------------------------------------------------


def test_export_to_missing_directory(upgraded: Database, env: Path) -> None:
    target = env / "missing" / "dir" / "x.csv"
    line = one_error_line(run("export", "--out", str(target)), 2)
    assert line == f"error: cannot write --out {target}: No such file or directory"
    assert not target.parent.exists()


def test_export_writes_when_the_path_is_fine(upgraded: Database, env: Path) -> None:
    result = run("export", "--out", str(env / "x.csv"))
    assert result.exit_code == 0 and "exported 1 reports" in result.stderr
    assert "中卫市商务局" in (env / "x.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_unknown_portal_in_the_database(upgraded: Database, command: list[str]) -> None:
    line = one_error_line(run(*command, "--portal", "nosuch"), 2)
    assert line == "error: no portal 'nosuch' in the database (stored portals: nxzw)"


@pytest.mark.parametrize("command", [["reports"], ["export"]], ids=lambda c: c[0])
def test_years_with_nothing_stored_say_so(upgraded: Database, command: list[str]) -> None:
    result = run(*command, "--portal", "nxzw", "--years", "1990-1991")
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == "no reports stored for portal nxzw in 1990-1991\n"
    assert run(*command, "--years", "2023").exit_code == 0  # the same command finds what is there


def test_findings_with_nothing_stored_say_so(upgraded: Database, env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = run("findings", "--years", "2023")
    assert found.exit_code == 0 and found.stderr.endswith("findings in 1 stored reports\n")
    url = f"sqlite:///{env / 'empty.db'}"
    upgrade(url)
    monkeypatch.setenv("NIANBAO_DATABASE_URL", url)
    result = run("findings")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "no reports stored\n")


def test_help_explains_exit_codes() -> None:
    result = run("--help")
    assert result.exit_code == 0
    flat = " ".join(result.output.split())
    assert "Exit codes: 0 ok; 1" in flat and "2 bad arguments" in flat and "3 environment not ready" in flat


def test_reparse_of_an_unknown_portal_says_so_before_prefect_starts(upgraded: Database, env: Path) -> None:
    # reparse reads only stored documents: a portal the database never held is a typo, not "0 reparsed".
    line = one_error_line(run("reparse", "--portal", "nosuch"), 2)
    assert line == "error: no portal 'nosuch' in the database (stored portals: nxzw)"
