"""Export benchmark: `nianbao export` per format and layout against a plain-SQL export of the same rows.

Loads N synthetic reports (each with --cells cells of the 2021 template) into a fresh
SQLite database, then runs each export in its own process and reports wall time and the
process's peak RSS (wait4's ru_maxrss), next to a plain-SQL baseline run in the same way:
one sqlite3 query streaming the same (report, key, value) rows into csv.writer. Memory that
stays flat from 10k to 100k reports is the point; timings are printed, never asserted.

    .venv/bin/python bench/export_bench.py                    # 10k reports
    .venv/bin/python bench/export_bench.py --reports 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from child_process import NIANBAO, PEAK, peak_mib
from sqlalchemy import insert

from db.cell_codes import encode
from db.database import Database
from db.models import Agency, Portal, Report, ReportVersion
from parsers.keys import is_decimal_key, template_keys

AGENCIES_PER_PORTAL = 200
CHUNK = 50_000
RUNS = [("csv", "wide"), ("csv", "long"), ("jsonl", "wide"), ("jsonl", "long"), ("parquet", "wide"),
        ("parquet", "long"), ("xlsx", "wide")]  # fmt: skip
# The same rows as the long layout, straight from SQL: the floor any export is measured against.
PLAIN_SQL = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
out = open(sys.argv[2], "w", newline="", encoding="utf-8")
w = csv.writer(out)
cur = conn.execute(
    "SELECT p.id, a.display_name, p.region_code, r.year, r.generation, r.published_on, r.parse_status,"
    " r.version, r.source_url, c.key, c.value FROM report r JOIN agency a ON a.id = r.agency_id"
    " JOIN portal p ON p.id = a.portal_id JOIN reportversion v ON v.report_id = r.id AND v.version = r.version,"
    " json_each(v.cells) c ORDER BY p.id, a.name, r.year, r.id")
n = 0
for row in cur:
    w.writerow(row)
    n += 1
print(n)
"""


def load(url: str, reports: int, cells_per_report: int, seed: int) -> int:
    """N reports over portals of AGENCIES_PER_PORTAL agencies x 5 years; the number of cells stored."""
    rng = random.Random(seed)
    keys = template_keys("2021")
    database = Database(url)
    database.upgrade()
    now = dt.datetime.now(dt.UTC)
    agencies = -(-reports // 5)
    stored = 0
    with database.engine.begin() as conn:
        portals = -(-agencies // AGENCIES_PER_PORTAL)
        conn.execute(insert(Portal), [{"id": f"p{i:04d}", "name": f"portal {i}", "base_url": f"https://p{i}.gov.cn",
                                       "region_code": f"64{i % 90 + 10:02d}00", "created_at": now}
                                      for i in range(portals)])  # fmt: skip
        conn.execute(insert(Agency), [_agency(i, now) for i in range(agencies)])
        batch: list[dict[str, object]] = []
        for r in range(reports):
            batch.append(_report(r, now))
            if len(batch) == CHUNK:
                conn.execute(insert(Report), batch)
                batch = []
        if batch:
            conn.execute(insert(Report), batch)
        rows: list[dict[str, object]] = []
        for r in range(reports):
            cells = {}
            for key in rng.sample(keys, cells_per_report):
                cells[key] = (
                    Decimal(rng.randrange(0, 10**6)) / 100 if is_decimal_key(key) else Decimal(rng.randrange(50))
                )
            rows.append({"report_id": r + 1, "version": 1, "parser_version": "bench", "cells": encode(cells),
                         "checks": [], "sections": {}, "created_at": now})  # fmt: skip
            stored += len(cells)
            if len(rows) >= CHUNK // 50:
                conn.execute(insert(ReportVersion), rows)
                rows = []
        if rows:
            conn.execute(insert(ReportVersion), rows)
    database.dispose()
    return stored


def _agency(i: int, now: dt.datetime) -> dict[str, object]:
    name = f"第{i}局"
    return {"id": i + 1, "portal_id": f"p{i // AGENCIES_PER_PORTAL:04d}", "name": name, "display_name": name,
            "name_key": hashlib.sha256(name.encode()).hexdigest(), "created_at": now}  # fmt: skip


def _report(r: int, now: dt.datetime) -> dict[str, object]:
    year = 2019 + r % 5
    return {"id": r + 1, "agency_id": r // 5 + 1, "year": year, "generation": "2021" if year >= 2021 else "2019",
            "title": f"{year}年政府信息公开工作年度报告", "published_on": dt.date(year + 1, 1, 20),
            "source_url": f"https://x.gov.cn/{r}.html", "parse_status": "ok", "parser_version": "bench",
            "version": 1, "findings": [], "warnings": [], "created_at": now, "updated_at": now}  # fmt: skip


def measure(code: str, args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak RSS MiB, last line said) of `code` run in a fresh Python process."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PEAK + code, *args], env=env, capture_output=True, text=True,
                          check=False)  # fmt: skip
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{args} failed ({proc.returncode}): {(proc.stdout + proc.stderr)[-800:]}")
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    said = [line for line in lines if not line.startswith("VmHWM ")]
    return seconds, peak_mib(lines), said[-1] if said else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--cells", type=int, default=50, help="cells per report (of the 2021 template's 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip", default="", help="runs to skip, e.g. xlsx-wide,jsonl-long")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="export-bench-") as tmp:
        work = Path(tmp)
        db_file = work / "bench.db"
        url = f"sqlite:///{db_file}"
        start = time.perf_counter()
        cells = load(url, args.reports, args.cells, args.seed)
        print(f"loaded {args.reports} reports, {cells} cells in {time.perf_counter() - start:.1f} s "
              f"({db_file.stat().st_size / 2**20:.0f} MiB database)")  # fmt: skip
        env = {**os.environ, "NIANBAO_DATABASE_URL": url, "NIANBAO_DATA_DIR": str(work / "data")}
        base_s, base_rss, base_out = measure(PLAIN_SQL, [str(db_file), str(work / "plain.csv")], env)
        print(f"{'plain SQL (long rows)':24} {base_s:8.1f} s {base_rss:8.0f} MiB  rows {base_out}  ratio 1.0")
        skip = set(filter(None, args.skip.split(",")))
        for fmt, layout in RUNS:
            if f"{fmt}-{layout}" in skip:
                continue
            out = work / f"export-{layout}.{fmt}"
            argv = ["export", "--format", fmt, "--layout", layout, "--out", str(out)]
            seconds, rss, said = measure(NIANBAO, argv, env)
            size = out.stat().st_size / 2**20
            print(f"{fmt + ' ' + layout:24} {seconds:8.1f} s {rss:8.0f} MiB  {said}, {size:.0f} MiB file"
                  f"  time x{seconds / base_s:.1f} of plain SQL")  # fmt: skip
            out.unlink()


if __name__ == "__main__":
    main()
