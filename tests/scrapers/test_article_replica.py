"""Discovery against the replica's article dialects: precision, recall and what it reads, per dialect."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from replica.plan import ARTICLE_DIALECTS, ARTICLE_EXTS, LINK_STYLES
from replica.server import ReplicaServer
from scrapers.discovery import Discovery, discover_reports
from scrapers.http import PoliteClient
from scrapers.spec import load_portal


@pytest.fixture(scope="module")
def crawled() -> Iterator[tuple[ReplicaServer, Discovery]]:
    with ReplicaServer(6, departments=10, years=range(2022, 2025)) as server:
        spec = load_portal("nxzw-replica", base_url=server.base_url)
        with PoliteClient(spec) as client:
            yield server, discover_reports(spec, client)


def _articles(server: ReplicaServer) -> dict[str, dict[str, Any]]:
    reports = server.manifest()["reports"]
    return {server.base_url + r["article"]: r for r in reports if r["article"] and not r["flags"]["robots_disallowed"]}


def test_every_dialect_is_found_whole_with_its_fields(crawled: tuple[ReplicaServer, Discovery]) -> None:
    server, found = crawled
    expected = _articles(server)
    got = {r.url: r for r in found.reports if not r.is_file_only}
    measured = {}
    for dialect in ARTICLE_DIALECTS:
        want = {url for url, r in expected.items() if r["article_dialect"] == dialect}
        have = {url for url in got if url in want or url not in expected}
        hits = want & set(got)
        measured[dialect] = (len(want), len(hits) / len(want), len(hits) / max(len(have), 1))
    assert all(n > 0 for n, _, _ in measured.values()), measured
    assert {d: (recall, precision) for d, (_, recall, precision) in measured.items()} == {
        d: (1.0, 1.0) for d in ARTICLE_DIALECTS
    }, measured
    for url, report in got.items():
        truth = expected[url]
        published = report.published_on.isoformat() if report.published_on else None
        fields = (report.title, report.agency, report.year, published)
        assert fields == (truth["title"], truth["agency"], truth["year"], truth["published_on"]), truth[
            "article_dialect"
        ]
        files = {server.base_url + a["path"] for a in truth["attachments"] if not a["embedded"]}
        assert {a.url for a in report.files} == files, truth["article_dialect"]
        pictures = {server.base_url + a["path"] for a in truth["attachments"] if a["embedded"]}
        assert {a.url for a in report.attachments if a.picture} == pictures, truth["article_dialect"]
        oldsrc = {server.base_url + a["oldsrc"] for a in truth["attachments"] if a["oldsrc"] and not a["in_script"]}
        assert {f for a in report.attachments for f in a.fallbacks} == oldsrc, truth["article_dialect"]
    assert found.problems == []


@pytest.mark.parametrize("field", ["link_style", "article_ext"])
def test_every_link_style_and_extension_is_found_whole(crawled: tuple[ReplicaServer, Discovery], field: str) -> None:
    """Articles named .html, .shtml and .htm; files linked relative, root-relative and absolute."""
    server, found = crawled
    expected = _articles(server)
    value_of = {
        "link_style": lambda url: expected[url]["link_style"],
        "article_ext": lambda url: url.rsplit(".", 1)[-1],
    }[field]
    values = LINK_STYLES if field == "link_style" else ARTICLE_EXTS
    got = {r.url: r for r in found.reports if not r.is_file_only}
    measured = {}
    for value in values:
        want = {url for url in expected if value_of(url) == value}
        hits = want & set(got)
        files = sum(1 for url in want for a in expected[url]["attachments"] if not a["embedded"])
        measured[value] = (len(want), len(hits) / max(len(want), 1), files)
    print(f"\n{field}: {measured}")
    assert all(n > 0 for n, _, _ in measured.values()), measured
    assert {v: recall for v, (_, recall, _) in measured.items()} == dict.fromkeys(values, 1.0), measured
    if field == "link_style":
        assert all(files > 0 for _, _, files in measured.values()), measured  # each style links files
        for url, report in got.items():
            truth = expected[url]
            want_files = {server.base_url + a["path"] for a in truth["attachments"] if not a["embedded"]}
            assert {a.url for a in report.files} == want_files, (truth["link_style"], url)


def test_split_articles_are_read_in_every_part(crawled: tuple[ReplicaServer, Discovery]) -> None:
    server, found = crawled
    by_url = {r.url: r for r in found.reports}
    for flag in ("split", "split_script"):
        [truth] = [r for r in server.manifest()["reports"] if r["flags"][flag]]
        report = by_url[server.base_url + truth["article"]]
        assert report.pages == [server.base_url + truth["article"], server.base_url + truth["continuation"]], flag
        assert set(report.copies) == set(report.pages), flag
