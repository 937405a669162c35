"""Storage benchmark: N synthetic reports through the real upsert API, against plain SQL, on SQLite and PostgreSQL.

For each database: a fresh schema gets N documents (bulk INSERTs, untimed), then one
report per document through `upsert_report`, a transaction per report as the pipeline
commits them. A second fresh schema gets the same documents and the same rows written by
plain SQL on the bare driver (sqlite3 / psycopg), a transaction per report too: look up
or insert the agency, INSERT the report, its version (cells included) and its source.
Printed: reports/s (wall) and client CPU per report of both, and bytes per report of the
report tables (agency, report, reportversion, reportsource with their indexes) and of
the documents. At each query size (10k and 100k by default, never above N) the loading
pauses and `nianbao reports` and `nianbao findings` run in their own processes, timed
with their peak RSS (VmHWM), next to a plain-SQL read of the same columns.

    .venv/bin/python bench/storage_bench.py --quick               # 2,000 reports, a smoke run
    .venv/bin/python bench/storage_bench.py                       # 100k reports
    .venv/bin/python bench/storage_bench.py --reports 20000 --no-postgres

PostgreSQL comes from NIANBAO_BENCH_POSTGRES_URL or NIANBAO_TEST_POSTGRES_URL; each run
makes its own schemas there and drops them. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from child_process import NIANBAO, PEAK, peak_mib
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from db.cell_codes import encode
from db.database import Database
from db.documents import ensure_portal
from db.engine import compact_json
from db.models import Document
from db.reports import ReportInput, normalize_agency, storable, upsert_report
from db.types import text_key
from parsers.keys import is_decimal_key, template_keys
from parsers.model import CheckResult, ParsedReport, ParseStatus

AGENCIES_PER_PORTAL = 200
YEARS = (2019, 2020, 2021, 2022, 2023)
RULES = ("balance", "row_totals", "results_total", "review_totals")
REPORT_TABLES = ("agency", "report", "reportversion", "reportsource")
# The reports command's columns straight from the driver: the floor the commands are measured against.
PLAIN_READ = """
import sys
url, schema = sys.argv[1], sys.argv[2]
query = ("SELECT a.portal_id, a.display_name, r.year, r.generation, r.parse_status, r.version, r.findings"
         " FROM report r JOIN agency a ON a.id = r.agency_id ORDER BY a.portal_id, a.name, r.year")
if url.startswith("sqlite"):
    import sqlite3
    conn = sqlite3.connect(url.split(":///", 1)[1])
    cur = conn.execute(query)
else:
    import psycopg
    conn = psycopg.connect(url, options=f"-csearch_path={schema}")
    cur = conn.cursor(name="plain")
    cur.execute(query)
n = 0
for row in cur:
    sys.stdout.write("\\t".join(map(str, row)) + "\\n")
    n += 1
print(n, file=sys.stderr)
"""


@dataclass(frozen=True)
class Synthetic:
    """One report to store: where it is from and what the parser said."""

    portal_id: str
    agency: str
    year: int
    document_id: int
    url: str
    parsed: ParsedReport


def synthetic(n: int, cells: int, sections: int, seed: int) -> Iterator[Synthetic]:
    """N reports: portals of AGENCIES_PER_PORTAL agencies x 5 years, `cells` cells each, a failed check in 1 of 20."""
    rng = random.Random(seed)
    keys = {g: template_keys(g) for g in ("2021", "2019")}
    for i in range(n):
        agency_no, year = divmod(i, len(YEARS))
        year = YEARS[year]
        generation = "2021" if year >= 2021 else "2019"
        values: dict[str, Any] = {}
        for key in rng.sample(keys[generation], min(cells, len(keys[generation]))):
            values[key] = Decimal(rng.randrange(10**6)) / 100 if is_decimal_key(key) else rng.randrange(200)
        failed = rng.random() < 0.05
        checks = [CheckResult(rule, ok=not (failed and rule == "balance"), detail="diff 1" if failed else "")
                  for rule in RULES]  # fmt: skip
        agency = f"第{agency_no}局"
        parsed = ParsedReport(
            status=ParseStatus.OK,
            agency=agency,
            year=year,
            generation=generation,
            title=f"{agency}{year}年政府信息公开工作年度报告",
            published_on=dt.date(year + 1, 1, 10) + dt.timedelta(days=rng.randrange(40))
            if rng.random() < 0.9
            else None,
            sections={"overview": "概" * sections} if sections else {},
            cells=values,
            checks=checks,
            parser_version="bench",
        )
        url = f"https://p{_portal(agency_no)}.gov.cn/xxgk/{agency_no}/{year}.html"
        yield Synthetic(f"p{_portal(agency_no)}", agency, year, i + 1, url, parsed)


def _portal(agency_no: int) -> str:
    return f"{agency_no // AGENCIES_PER_PORTAL:04d}"


# --- databases ----------------------------------------------------------------------------------


@dataclass
class Target:
    """One fresh database (a SQLite file or a PostgreSQL schema) for one load."""

    kind: str
    url: str
    schema: str | None = None


@contextmanager
def fresh(kind: str, work: Path, name: str, pg_base: str | None) -> Iterator[Target]:
    if kind == "sqlite":
        yield Target(kind, f"sqlite:///{work / f'{name}.db'}")
        return
    assert pg_base is not None
    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in pg_base else "?"
    try:
        yield Target(kind, f"{pg_base}{sep}options=-csearch_path%3D{schema}", schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def prepare(target: Target, n: int, seed: int) -> Database:
    """Schema, portals and N documents (one per report), written in bulk: not part of what is measured."""
    database = Database(target.url)
    database.upgrade()
    portals = sorted({f"p{_portal(i // len(YEARS))}" for i in range(n)})
    with database.transaction() as s:
        for portal in portals:
            ensure_portal(s, portal, f"portal {portal}", f"https://{portal}.gov.cn", "640500")
    now = dt.datetime.now(dt.UTC)
    with database.engine.begin() as conn:
        for first in range(0, n, 10_000):
            rows = []
            for i in range(first + 1, min(n, first + 10_000) + 1):
                digest = hashlib.sha256(str(i).encode()).hexdigest()
                rows.append({"id": i, "sha256": digest, "size": 1000, "media_type": "text/html",
                             "blob_path": f"{digest[:2]}/{digest}", "created_at": now})  # fmt: skip
            conn.execute(insert(Document), rows)
        if target.kind == "postgresql":
            conn.execute(text("SELECT setval(pg_get_serial_sequence('document', 'id'), max(id)) FROM document"))
    return database


def sizes(database: Database, target: Target) -> dict[str, int]:
    """Bytes per table, its indexes included."""
    with database.engine.begin() as conn:
        if target.kind == "postgresql":
            rows = conn.execute(text(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n"
                " ON n.oid = c.relnamespace WHERE n.nspname = :schema AND c.relkind = 'r'"
            ), {"schema": target.schema})  # fmt: skip
            return {name: int(size) for name, size in rows}
        rows = conn.exec_driver_sql(
            "SELECT m.tbl_name, SUM(s.pgsize) FROM dbstat s JOIN sqlite_master m ON m.name = s.name GROUP BY m.tbl_name"
        )
        return {name: int(size) for name, size in rows}


# --- loads --------------------------------------------------------------------------------------


@dataclass
class Load:
    seconds: float = 0.0
    cpu: float = 0.0
    reports: int = 0

    def add(self, seconds: float, cpu: float, reports: int) -> None:
        self.seconds, self.cpu, self.reports = self.seconds + seconds, self.cpu + cpu, self.reports + reports


def timed_load(write: Callable[[list[Synthetic]], None], items: Iterator[Synthetic], count: int, per: int,
               load: Load) -> None:  # fmt: skip
    """Write the next `count` items, `per` to a transaction, timed (wall and this process's CPU)."""
    start, cpu = time.perf_counter(), time.process_time()
    done = 0
    while done < count:
        batch = list(itertools.islice(items, min(per, count - done)))
        if not batch:
            break
        write(batch)
        done += len(batch)
    load.add(time.perf_counter() - start, time.process_time() - cpu, done)


def upsert_writer(database: Database) -> Callable[[list[Synthetic]], None]:
    def write(items: list[Synthetic]) -> None:
        with database.transaction() as session:
            for item in items:
                upsert_report(session, ReportInput(item.portal_id, item.agency, item.year, None, item.parsed,
                                                   item.document_id, item.url))  # fmt: skip

    return write


class PlainWriter:
    """The same rows on the bare driver: what a hand-written loader of this layout would do."""

    def __init__(self, target: Target) -> None:
        self.kind = target.kind
        if target.kind == "sqlite":
            import sqlite3

            path = make_url(target.url).database
            if path is None:
                raise ValueError(f"{target.url} names no database file")
            self.conn: Any = sqlite3.connect(path, isolation_level=None)
            for pragma in ("journal_mode=WAL", "busy_timeout=30000", "foreign_keys=ON"):
                self.conn.execute(f"PRAGMA {pragma}")
        else:
            import psycopg

            url = make_url(target.url).set(drivername="postgresql", query={})
            dsn = url.render_as_string(hide_password=False)
            self.conn = psycopg.connect(dsn, options=f"-csearch_path={target.schema}")

    def _sql(self, statement: str) -> str:
        return statement if self.kind == "sqlite" else statement.replace("?", "%s")

    def __call__(self, items: list[Synthetic]) -> None:
        cur = self.conn.cursor()
        if self.kind == "sqlite":
            cur.execute("BEGIN IMMEDIATE")
        for item in items:
            self._write(cur, item)
        if self.kind == "sqlite":
            cur.execute("COMMIT")
        else:
            self.conn.commit()

    def _write(self, cur: Any, item: Synthetic) -> None:
        parsed, now = item.parsed, dt.datetime.now(dt.UTC)
        name = normalize_agency(item.agency)
        cur.execute(self._sql("SELECT id FROM agency WHERE portal_id = ? AND name_key = ?"),
                    (item.portal_id, text_key(name)))  # fmt: skip
        found = cur.fetchone()
        if found is None:
            cur.execute(self._sql("INSERT INTO agency (portal_id, name_key, name, display_name, created_at)"
                                  " VALUES (?, ?, ?, ?, ?) RETURNING id"),
                        (item.portal_id, text_key(name), name, item.agency, now))  # fmt: skip
            found = cur.fetchone()
        failed = [{"kind": "check_failed", "rule": c.rule, "detail": c.detail} for c in parsed.checks if not c.ok]
        cur.execute(self._sql(
            "INSERT INTO report (agency_id, year, generation, title, published_on, source_url, canonical_document_id,"
            " parse_status, parser_version, version, findings, warnings, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, '[]', ?, ?) RETURNING id"),
            (found[0], item.year, parsed.generation, parsed.title, parsed.published_on, item.url, item.document_id,
             parsed.status, parsed.parser_version, compact_json(failed), now, now))  # fmt: skip
        report_id = cur.fetchone()[0]
        cells = compact_json(encode(storable(parsed.cells)))
        checks = compact_json([{"rule": c.rule, "ok": c.ok, "detail": c.detail} for c in parsed.checks])
        cur.execute(self._sql("INSERT INTO reportversion (report_id, version, document_id, parser_version, cells,"
                              " checks, sections, created_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?)"),
                    (report_id, item.document_id, parsed.parser_version, cells, checks,
                     compact_json(parsed.sections), now))  # fmt: skip
        cur.execute(self._sql("INSERT INTO reportsource (report_id, document_id, url, role, parse_status,"
                              " parser_version, cell_count, cells, continuation_ids, created_at)"
                              " VALUES (?, ?, ?, 'canonical', ?, ?, ?, '{}', '[]', ?)"),
                    (report_id, item.document_id, item.url, parsed.status, parsed.parser_version,
                     len(parsed.cells), now))  # fmt: skip

    def close(self) -> None:
        self.conn.close()


# --- queries ------------------------------------------------------------------------------------


def measure(code: str, args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(seconds, peak RSS MiB, lines printed) of `code` run in a fresh Python process.

    The output is counted as it comes, never kept: the lines say the command printed every
    row rather than stopping early.
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-c", PEAK + code, *args], env=env, stdout=subprocess.PIPE,
                                stderr=err)  # fmt: skip
        stdout = proc.stdout
        assert stdout is not None
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: stdout.read(1 << 16), b""))
        returncode = proc.wait(timeout=3600)
        seconds = time.perf_counter() - start
        err.seek(0)
        said = err.read().decode(errors="replace")
    if returncode not in (0, 1):  # findings exits 1 when it finds something (EXIT_ATTENTION)
        raise SystemExit(f"{args[:2]} failed ({returncode}): {said[-800:]}")
    return seconds, peak_mib(said.splitlines()), lines


def queries(target: Target, work: Path, reports: int) -> None:
    env = {**os.environ, "NIANBAO_DATABASE_URL": target.url, "NIANBAO_DATA_DIR": str(work / "data")}
    plain_url = target.url if target.kind == "sqlite" else _driver_url(target.url)
    base_s, base_rss, base_lines = measure(PLAIN_READ, [plain_url, target.schema or ""], env)
    startup_s, startup_rss, _ = measure(NIANBAO, ["--help"], env)
    print(f"  {target.kind} {reports:>7} reports  plain SQL read       {base_s:7.1f} s {base_rss:6.0f} MiB"
          f"  {base_lines} lines   (nianbao --help: {startup_s:.1f} s, {startup_rss:.0f} MiB)")  # fmt: skip
    for command in ("reports", "findings"):
        seconds, rss, lines = measure(NIANBAO, [command], env)
        print(f"  {target.kind} {reports:>7} reports  nianbao {command:<12} {seconds:7.1f} s {rss:6.0f} MiB"
              f"  {lines} lines  time x{seconds / base_s:.1f}")  # fmt: skip


def _driver_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql", query={}).render_as_string(hide_password=False)


# --- the run ------------------------------------------------------------------------------------


def run(kind: str, args: argparse.Namespace, work: Path, pg_base: str | None) -> None:
    checkpoints = sorted({size for size in args.query_sizes if size <= args.reports} | {args.reports})
    with fresh(kind, work, "upsert", pg_base) as up_target, fresh(kind, work, "plain", pg_base) as plain_target:
        up_db = prepare(up_target, args.reports, args.seed)
        plain_db = prepare(plain_target, args.reports, args.seed)
        plain = PlainWriter(plain_target)
        up_items = synthetic(args.reports, args.cells, args.sections, args.seed)
        plain_items = synthetic(args.reports, args.cells, args.sections, args.seed)
        upserted, written, last = Load(), Load(), 0
        try:
            for size in checkpoints:
                timed_load(upsert_writer(up_db), up_items, size - last, args.per_transaction, upserted)
                timed_load(plain, plain_items, size - last, args.per_transaction, written)
                last = size
                if size in args.query_sizes or args.quick:
                    queries(up_target, work, size)
        finally:
            plain.close()
        report_sizes(
            kind,
            args.reports,
            args.per_transaction,
            upserted,
            written,
            sizes(up_db, up_target),
            sizes(plain_db, plain_target),
        )
        up_db.dispose()
        plain_db.dispose()


def report_sizes(kind: str, n: int, per: int, upserted: Load, written: Load, up: dict[str, int],
                 plain: dict[str, int]) -> None:  # fmt: skip
    def per_report(table_sizes: dict[str, int], tables: tuple[str, ...]) -> float:
        return sum(table_sizes.get(t, 0) for t in tables) / n

    rate_up, rate_plain = upserted.reports / upserted.seconds, written.reports / written.seconds
    cpu_up, cpu_plain = 1000 * upserted.cpu / upserted.reports, 1000 * written.cpu / written.reports
    print(f"{kind}: {n} reports, {per} a transaction")
    print(f"  upsert API   {rate_up:8.0f} reports/s  {cpu_up:6.2f} ms CPU/report"
          f"  report tables {per_report(up, REPORT_TABLES):7.0f} B/report"
          f"  documents {per_report(up, ('document',)):5.0f} B/report")  # fmt: skip
    print(f"  plain SQL    {rate_plain:8.0f} reports/s  {cpu_plain:6.2f} ms CPU/report"
          f"  report tables {per_report(plain, REPORT_TABLES):7.0f} B/report")  # fmt: skip
    print(f"  upsert / plain: time x{rate_plain / rate_up:.2f}, CPU x{cpu_up / cpu_plain:.2f}")
    print("  by table (upsert): " + ", ".join(f"{t} {up.get(t, 0) / n:.0f} B" for t in REPORT_TABLES))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="2,000 reports, queries at 1,000 and 2,000")
    parser.add_argument("--cells", type=int, default=150, help="cells per report (of the template's ~200)")
    parser.add_argument("--sections", type=int, default=0, help="characters of narrative text per report")
    parser.add_argument("--query-sizes", default="10000,100000", help="report counts at which the queries run")
    parser.add_argument(
        "--per-transaction",
        type=int,
        default=1,
        help="reports per transaction, for both loads (1: as the pipeline commits them)",
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.quick:
        args.reports, args.query_sizes = 2000, "1000,2000"
    args.query_sizes = {int(s) for s in args.query_sizes.split(",") if s}
    pg_base = None if args.no_postgres else (os.environ.get("NIANBAO_BENCH_POSTGRES_URL")
                                             or os.environ.get("NIANBAO_TEST_POSTGRES_URL"))  # fmt: skip
    kinds = ["sqlite"] + (["postgresql"] if pg_base else [])
    if not pg_base and not args.no_postgres:
        print("no NIANBAO_BENCH_POSTGRES_URL / NIANBAO_TEST_POSTGRES_URL: SQLite only", file=sys.stderr)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="storage-bench-") as tmp:
        for kind in kinds:
            run(kind, args, Path(tmp), pg_base)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
