"""Findings and failure bookkeeping on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from db.blobs import BlobStore
from db.database import Database
from db.failures import Gap, open_failures, record_discovery, record_failure, resolve_failures, uncollected
from db.queries import findings, iter_findings, iter_report_rows, reparse_items, report_rows, status_counts
from tests.db.helpers import PORTAL, ingest, parsed


def _ingest_year(database: Database, blobs: BlobStore, agency: str, year: int, **changes: object) -> None:
    result = parsed({"applications.new.total": year})
    result.year, result.generation = year, "2021" if year >= 2021 else "2019"
    result.published_on = dt.date(year + 1, 1, 20)
    for key, value in changes.items():
        setattr(result, key, value)
    ingest(database, blobs, f"https://x.gov.cn/{agency}/{year}.html", f"{agency}{year}".encode(), result,
           agency=agency, year=year)  # fmt: skip


def test_findings_name_missing_late_outdated_and_failed(database: Database, blobs: BlobStore) -> None:
    _ingest_year(database, blobs, "中卫市教育局", 2022)
    _ingest_year(database, blobs, "中卫市教育局", 2023, published_on=dt.date(2024, 3, 5))
    _ingest_year(database, blobs, "中卫市民政局", 2022)
    _ingest_year(database, blobs, "中卫市审计局", 2023, generation="2019")
    _ingest_year(database, blobs, "中卫市财政局", 2023, checks=parsed({}, failed="diff 2").checks)
    _ingest_year(database, blobs, "中卫市人民政府", 2023, published_on=dt.date(2024, 3, 20))  # due 31 March
    with database.transaction() as s:
        rows = report_rows(s, [PORTAL])
    got = {(f.kind, f.agency, f.year) for f in findings(rows, years=[2023])}
    assert got == {
        ("late", "中卫市教育局", 2023),
        ("missing_this_year", "中卫市民政局", 2023),
        ("outdated_template", "中卫市审计局", 2023),
        ("check_failed", "中卫市财政局", 2023),
    }
    assert status_counts(rows) == {"ok": 6}


def test_failures_count_attempts_and_resolve(database: Database, blobs: BlobStore) -> None:
    ingest(database, blobs, "https://x.gov.cn/a.html", b"a")
    with database.transaction() as s:
        record_failure(s, PORTAL, "https://x.gov.cn/b.pdf", "fetch", "HTTP 503")
        record_failure(s, PORTAL, "https://x.gov.cn/b.pdf", "fetch", "timeout")
    with database.transaction() as s:
        [failure] = open_failures(s, [PORTAL])
        assert (failure.stage, failure.error, failure.attempts) == ("fetch", "timeout", 2)
        assert resolve_failures(s, "https://x.gov.cn/b.pdf") == 1
    with database.transaction() as s:
        assert open_failures(s) == []


def test_reparse_items_lists_sources_of_older_parser_versions(database: Database, blobs: BlobStore) -> None:
    _ingest_year(database, blobs, "中卫市教育局", 2023, parser_version="1")
    _ingest_year(database, blobs, "中卫市民政局", 2023, parser_version="2")
    with database.transaction() as s:
        items = reparse_items(s, "2")
    assert [(i.agency, i.year, i.url) for i in items] == [
        ("中卫市教育局", 2023, "https://x.gov.cn/中卫市教育局/2023.html")
    ]


def test_reports_discovery_could_not_read_are_not_collected_not_missing(database: Database, blobs: BlobStore) -> None:
    for agency in ("中卫市教育局", "中卫市民政局", "中卫市审计局"):
        _ingest_year(database, blobs, agency, 2022)
    refused = [
        Gap("https://x.gov.cn/jyj/2023.html", "中卫市教育局", 2023, "refused: redirect off-host to evil.example"),
        Gap("https://x.gov.cn/sjj/index_1.html", "中卫 市审计局", None, "blocked: HTTP 412"),  # a listing page
    ]
    excluded = [Gap("https://x.gov.cn/mzj/2023.html", "中卫市民政局", 2023, "robots.txt disallows")]
    with database.transaction() as s:
        record_discovery(s, PORTAL, refused, excluded, read=[])
    with database.transaction() as s:
        got = {(f.kind, f.agency, f.detail) for f in findings(report_rows(s, [PORTAL]), [2023], uncollected(s))}
        assert len(open_failures(s, [PORTAL])) == 2
    assert got == {
        ("not_collected", "中卫市教育局", "not collected: refused: redirect off-host to evil.example"
         " (https://x.gov.cn/jyj/2023.html)"),
        ("not_collected", "中卫市民政局", "not collected: robots.txt disallows (https://x.gov.cn/mzj/2023.html)"),
    }  # fmt: skip

    # The next discovery reads them all: nothing stays open, and a report still absent is missing.
    with database.transaction() as s:
        record_discovery(s, PORTAL, [], [], read=[g.url for g in refused + excluded])
    with database.transaction() as s:
        got = {(f.kind, f.agency) for f in findings(report_rows(s, [PORTAL]), [2023], uncollected(s))}
        assert open_failures(s, [PORTAL]) == []
    assert got == {("missing_this_year", a) for a in ("中卫市教育局", "中卫市民政局", "中卫市审计局")}


def test_only_reading_a_page_resolves_the_failure_of_its_report(database: Database, blobs: BlobStore) -> None:
    _ingest_year(database, blobs, "中卫市教育局", 2019)
    old = [Gap("https://x.gov.cn/jyj/2020.html", "中卫市教育局", 2020, "refused: host not allowed: evil.example:80")]
    robots = [Gap("https://x.gov.cn/jyj/2021.html", "中卫市教育局", 2021, "robots.txt disallows")]
    nav = [Gap("https://x.gov.cn/zwgk/index.html", None, None, "blocked: HTTP 412")]
    with database.transaction() as s:
        record_discovery(s, PORTAL, old + nav, robots, read=[])  # a backfill of every year
    # A discovery cut short by a block, or of recent years only, reads neither page.
    with database.transaction() as s:
        record_discovery(s, PORTAL, [], [], read=["https://x.gov.cn/jyj/2024.html"])
    with database.transaction() as s:
        assert [f.url for f in open_failures(s, [PORTAL])] == [old[0].url]  # the navigation page is not met again
        assert {(g.year, g.reason) for g in uncollected(s, [PORTAL])} == {
            (2020, old[0].reason),
            (2021, robots[0].reason),
        }
    with database.transaction() as s:
        record_discovery(s, PORTAL, [], [], read=[old[0].url, robots[0].url])
    with database.transaction() as s:
        assert open_failures(s, [PORTAL]) == [] and uncollected(s, [PORTAL]) == []


def test_findings_streamed_from_the_database_are_the_findings_of_the_list(database: Database, blobs: BlobStore) -> None:
    """One pass over the ordered stream, an agency at a time, finds what the whole list does."""
    for agency, years in {"中卫市教育局": (2021, 2023), "中卫市民政局": (2022,), "中卫市审计局": (2021, 2022)}.items():
        for year in years:
            _ingest_year(database, blobs, agency, year, published_on=dt.date(year + 1, 2, 10))
    with database.transaction() as s:
        gaps = [Gap("https://x.gov.cn/审计局/2023.html", "中卫市审计局", 2023, "blocked")]
        record_discovery(s, PORTAL, gaps, [], set())
    with database.transaction() as s:
        listed = findings(report_rows(s, [PORTAL]), None, uncollected(s))
        streamed = list(iter_findings(iter_report_rows(s, [PORTAL]), None, uncollected(s)))
    assert sorted(streamed, key=repr) == sorted(listed, key=repr)
    kinds = sorted((f.kind, f.agency, f.year) for f in streamed if f.kind != "late")
    assert kinds == [
        ("missing_this_year", "中卫市教育局", 2022),
        ("missing_this_year", "中卫市民政局", 2023),
        ("not_collected", "中卫市审计局", 2023),
    ]
    assert sum(f.kind == "late" for f in streamed) == 5


def test_report_rows_stream_in_batches(database: Database, blobs: BlobStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """One query fetched a batch at a time (a server-side cursor on PostgreSQL), never all rows at once."""
    from sqlalchemy import event

    import db.queries

    for year in (2020, 2021, 2022, 2023, 2024):
        _ingest_year(database, blobs, "中卫市教育局", year)
    monkeypatch.setattr(db.queries, "BATCH", 2)
    fetched: list[int] = []
    named: list[bool] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "report.findings" in statement:
            named.append(bool(getattr(cursor, "name", None)))

    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        with database.transaction() as s:
            result = iter_report_rows(s, [PORTAL])
            fetched.append(next(result).year)
            fetched += [r.year for r in result]
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)
    assert fetched == [2020, 2021, 2022, 2023, 2024] and len(named) == 1
    assert named == [database.dialect == "postgresql"]  # psycopg names its server-side cursors
