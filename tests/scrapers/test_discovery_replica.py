"""Discovery and document fetching against the replica portal, checked against its manifest.

The tests that matter run on both replica families (TRS WCM and Hanweb jcms): the same
world printed by two CMSs, read through the family seam.
"""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, TypedDict

import pytest

from replica.faults import Faults
from replica.server import Family, ReplicaServer
from scrapers.discovery import Discovery, FoundReport, discover_reports, fetch_report_documents
from scrapers.discovery.catalog import page_key
from scrapers.http import PoliteClient
from scrapers.results import Validators
from scrapers.spec import PortalSpec, load_portal
from tests.replica_fixtures import replica  # noqa: F401  (the factory fixture)


class SiteSize(TypedDict):
    """The size of a replica site, as ReplicaServer's site keywords."""

    departments: int
    years: range


SITE: SiteSize = {"departments": 8, "years": range(2020, 2025)}
SMALL_SITE: SiteSize = {"departments": 5, "years": range(2022, 2025)}


# The replica family -> the portal spec that reads it.
SPECS = {"trs": "nxzw-replica", "hanweb": "hanweb-replica"}


def spec_for(server: ReplicaServer, **politeness: Any) -> PortalSpec:
    spec = load_portal(SPECS[server.family], base_url=server.base_url)
    return spec.model_copy(update={"politeness": spec.politeness.model_copy(update=politeness)})


def run_discovery(server: ReplicaServer, **politeness: Any) -> Discovery:
    spec = spec_for(server, **politeness)
    with PoliteClient(spec) as client:
        return discover_reports(spec, client)


def expected_reports(server: ReplicaServer) -> dict[str, dict[str, Any]]:
    """Manifest reports by the URL a listing links to, minus robots.txt exclusions."""
    manifest = server.manifest()
    return {
        server.base_url + (r["article"] or r["attachments"][0]["path"]): r
        for r in manifest["reports"]
        if not r["flags"]["robots_disallowed"] and not r.get("unrecoverable")
    }


@pytest.fixture(scope="module")
def sites() -> Iterator[dict[str, tuple[ReplicaServer, Discovery]]]:
    """One clean site per family, started and discovered once, on first use."""
    started: dict[str, tuple[ReplicaServer, Discovery]] = {}
    yield started
    for server, _found in started.values():
        server.stop()


def _site(sites: dict[str, tuple[ReplicaServer, Discovery]], family: Family) -> tuple[ReplicaServer, Discovery]:
    if family not in sites:
        server = ReplicaServer(1, family=family, **SITE).start()
        sites[family] = (server, run_discovery(server))
    return sites[family]


@pytest.fixture(params=list(SPECS))
def clean(request: pytest.FixtureRequest, sites: dict[str, tuple[ReplicaServer, Discovery]]) -> Any:
    """The clean site of each family and its discovery."""
    return _site(sites, request.param)


@pytest.fixture
def clean_trs(sites: dict[str, tuple[ReplicaServer, Discovery]]) -> tuple[ReplicaServer, Discovery]:
    return _site(sites, "trs")


@pytest.fixture
def clean_hanweb(sites: dict[str, tuple[ReplicaServer, Discovery]]) -> tuple[ReplicaServer, Discovery]:
    return _site(sites, "hanweb")


def test_precision_and_recall_are_one(clean: tuple[ReplicaServer, Discovery]) -> None:
    server, found = clean
    expected = expected_reports(server)
    got = {report.url for report in found.reports}
    assert got == set(expected)
    assert len(found.reports) == len(got)  # no duplicates
    assert found.problems == [] and found.blocked_hosts == {}


def test_agency_year_and_attachments_match(clean: tuple[ReplicaServer, Discovery]) -> None:
    server, found = clean
    expected = expected_reports(server)
    for report in found.reports:
        truth = expected[report.url]
        assert (report.agency, report.year) == (truth["agency"], truth["year"]), report.url
        assert report.published_on is not None and report.published_on.isoformat() == truth["published_on"]
        files = {server.base_url + a["path"] for a in truth["attachments"] if not a["embedded"]}
        assert {a.url for a in report.files} == files, report.url
        # A 图片版 article's page picture is read with the article (scrapers.discovery.article.body_pictures).
        pictures = {server.base_url + a["path"] for a in truth["attachments"] if a["embedded"]}
        assert {a.url for a in report.attachments if a.picture} == pictures, report.url


def test_false_positives_are_not_reports(clean: tuple[ReplicaServer, Discovery]) -> None:
    server, found = clean
    false_positives = {server.base_url + fp["path"] for fp in server.manifest()["false_positives"]}
    assert false_positives, "the replica should plant false positives"
    assert not false_positives & {report.url for report in found.reports}


def test_every_pagination_variant_is_walked(clean_trs: tuple[ReplicaServer, Discovery]) -> None:
    server, found = clean_trs
    manifest = server.manifest()
    columns = [manifest["city_column"], *(d["report_column"] for d in manifest["departments"])]
    assert {c["pagination"] for c in columns} == {"trs0", "trs6", "countpage", "listhtml"}
    walked = {page_key(page) for column in found.columns for page in column.pages}
    for column in columns:
        assert {page_key(server.base_url + p) for p in column["pages"]} <= walked, column["path"]
    assert len(found.columns) == len(columns)


def test_every_jpage_column_is_read_whole(clean_hanweb: tuple[ReplicaServer, Discovery]) -> None:
    server, found = clean_hanweb
    manifest = server.manifest()
    columns = [manifest["city_column"], *(d["report_column"] for d in manifest["departments"])]
    # Form fields from a param_<id> script, an ajaxParam literal or only the nextgroup link; three record dialects.
    assert {c["param_style"] for c in columns} == {"param_script", "ajax_param", "nextgroup_url"}
    assert {c["record_dialect"] for c in columns} == {"li_span", "li_titled", "table_row"}
    assert any(c["initial_records"] < c["total_record"] for c in columns)  # the data proxy had to be asked
    read = {summary.url: summary for summary in found.columns}
    for column in columns:
        summary = read[server.base_url + column["path"]]
        assert summary.items == column["total_record"], column["path"]
    assert len(found.columns) == len(columns)


def _found_for(server: ReplicaServer, found: Discovery, flag: str) -> tuple[dict[str, Any], FoundReport]:
    reports = {report.url: report for report in found.reports}
    truth = next(r for r in server.manifest()["reports"] if r["flags"][flag])
    return truth, reports[server.base_url + (truth["article"] or truth["attachments"][0]["path"])]


def test_special_cases(clean: tuple[ReplicaServer, Discovery]) -> None:
    server, found = clean
    truth, report = _found_for(server, found, "title_without_agency")
    assert truth["agency"] not in report.title and report.agency == truth["agency"]
    truth, report = _found_for(server, found, "gbk")
    assert report.title == truth["title"]
    truth, report = _found_for(server, found, "pdf_only")
    assert report.is_file_only and report.attachments[0].kind == "pdf"


def test_trs_special_cases(clean_trs: tuple[ReplicaServer, Discovery]) -> None:
    server, found = clean_trs
    truth, report = _found_for(server, found, "year_folder_mismatch")
    assert re.search(rf"/{truth['year'] - 1}n/", report.url) and report.year == truth["year"]
    truth, report = _found_for(server, found, "split")
    assert report.pages == [server.base_url + truth["article"], server.base_url + truth["continuation"]]


def test_search_only_report_is_found_through_the_site_search(clean: tuple[ReplicaServer, Discovery]) -> None:
    server, found = clean
    flagged = [r for r in server.manifest()["reports"] if r["flags"].get("search_only")]
    if server.family == "trs":
        assert not flagged  # the TRS replica lists every report; its search only cross-checks
        return
    truth, report = _found_for(server, found, "search_only")
    assert report.via == "search" and (report.agency, report.year) == (truth["agency"], truth["year"])
    assert [note.url for note in found.notes if note.kind == "search_only"] == [report.url]


def test_robots_disallowed_article_is_never_fetched(clean: tuple[ReplicaServer, Discovery]) -> None:
    server, found = clean
    disallowed = server.manifest()["robots_disallow"]
    assert disallowed
    assert not [entry for entry in server.request_log if entry.path in disallowed]
    assert [entry.path for entry in server.request_log].count("/robots.txt") <= 2  # once per client
    assert {note.url for note in found.notes if note.kind == "disallowed"} == {server.base_url + p for p in disallowed}


def test_requests_respect_min_delay(replica: Callable[..., ReplicaServer]) -> None:  # noqa: F811
    server = replica(seed=2, departments=4, years=range(2023, 2025))
    run_discovery(server, min_delay_s=0.05)
    times = [entry.time for entry in server.request_log]
    assert len(times) > 20
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.05


@pytest.mark.parametrize("family", list(SPECS))
def test_faults_are_recovered(replica: Callable[..., ReplicaServer], family: str) -> None:  # noqa: F811
    # A path's fault is a hash of (seed, path): seed 12 puts every status on paths both families' discoveries ask.
    faults = Faults(error_rate=0.1, rate_limit_rate=0.05, reset_rate=0.05, truncate_rate=0.05, seed=12)
    server = replica(seed=1, faults=faults, family=family, **SMALL_SITE)
    found = run_discovery(server, max_retry_after_s=1)
    assert {r.url for r in found.reports} == set(expected_reports(server))
    assert found.problems == [] and found.stats.retries > 0
    assert {entry.status for entry in server.request_log} >= {0, 429, 500, 503}
    with PoliteClient(spec_for(server, max_retry_after_s=1)) as client:
        documents = [doc for report in found.reports for doc in fetch_report_documents(client, report)]
    assert documents and all(doc.usable for doc in documents), [d.url for d in documents if not d.usable]


@pytest.mark.timeout(300)
def test_slow_pages_are_cut_at_the_deadline_and_recovered(replica: Callable[..., ReplicaServer]) -> None:  # noqa: F811
    server = replica(seed=1, faults=Faults(slow_rate=0.1, seed=3), **SMALL_SITE)
    spec = spec_for(server)
    spec = spec.model_copy(update={"http": spec.http.model_copy(update={"total_timeout_s": 1.0})})
    with PoliteClient(spec) as client:
        found = discover_reports(spec, client)
    # Every page that dribbled was cut at 1 s and fetched again, instead of taking minutes.
    assert {r.url for r in found.reports} == set(expected_reports(server))
    assert found.problems == [] and found.stats.retries > 0


def test_off_host_redirects_are_refused(replica: Callable[..., ReplicaServer]) -> None:  # noqa: F811
    server = replica(seed=1, faults=Faults(offhost_redirect_rate=0.3, seed=5), **SMALL_SITE)
    lost = {server.base_url + path for path in server.unrecoverable_paths()}
    found = run_discovery(server)
    assert lost
    touched = [r for r in found.reports if lost & {*r.pages, *(a.url for a in r.attachments)}]
    with PoliteClient(spec_for(server)) as client:
        documents = [doc for report in touched for doc in fetch_report_documents(client, report)]
    refused = {doc.url for doc in documents if doc.result.outcome == "refused"}
    assert refused and refused == lost & {doc.url for doc in documents}
    assert all(doc.usable for doc in documents if doc.url not in lost)


@pytest.mark.parametrize("family", list(SPECS))
@pytest.mark.parametrize(
    ("block", "kind"), [("412", "ruishu"), ("405", "wangfang"), ("521", "jiasule"), ("soft200", "soft")]
)
def test_block_stops_the_host(
    replica: Callable[..., ReplicaServer],  # noqa: F811
    block: str,
    kind: str,
    family: str,
) -> None:
    server = replica(seed=1, faults=Faults(block=block, block_after=12), family=family, **SMALL_SITE)
    found = run_discovery(server)
    host = server.base_url.split("://")[1]
    assert found.blocked_hosts == {host: kind}
    answered = [entry for entry in server.request_log if entry.path != "/robots.txt"]
    assert len(answered) == 13  # twelve pages, the block, then nothing more
    assert any(problem.kind == "blocked" for problem in found.problems)


class DictValidators:
    """The simplest real ValidatorStore: validators kept from a previous pass."""

    def __init__(self) -> None:
        self.by_url: dict[str, Validators] = {}

    def validators_for(self, url: str) -> Validators | None:
        return self.by_url.get(url)


def test_second_pass_with_validators_downloads_nothing(clean: tuple[ReplicaServer, Discovery]) -> None:
    server, found = clean
    variants = {server.base_url + (r["article"] or r["attachments"][0]["path"]): r["variant"]
                for r in server.manifest()["reports"]}  # fmt: skip
    # One report of each variant (html, html_pdf, pdf_only, docx, xlsx, image) keeps this quick.
    sample = list({variants[r.url]: r for r in found.reports}.values())
    assert len(sample) == 6
    store = DictValidators()
    with PoliteClient(spec_for(server)) as client:
        first = [doc for report in sample for doc in fetch_report_documents(client, report, store)]
    for doc in first:
        store.by_url[doc.url] = Validators(doc.result.etag, doc.result.last_modified)
    assert all(doc.result.outcome == "ok" and doc.usable for doc in first)
    started = time.monotonic()  # log entries carry their arrival time; older ones may land late
    with PoliteClient(spec_for(server)) as client:
        second = [doc for report in sample for doc in fetch_report_documents(client, report, store)]
        # The only body read is robots.txt, fetched once per client.
        assert client.stats.outcomes == Counter({"not_modified": len(second), "ok": 1})
    assert [doc.url for doc in second] == [doc.url for doc in first]
    assert all(doc.result.outcome == "not_modified" and doc.result.content is None for doc in second)
    log = [entry for entry in server.request_log if entry.time >= started]
    assert {(entry.path, entry.status) for entry in log if entry.status != 304} == {("/robots.txt", 200)}


def test_attachment_falls_back_from_dead_href_to_oldsrc_only_when_needed(
    clean_trs: tuple[ReplicaServer, Discovery],
) -> None:
    server, found = clean_trs
    with_oldsrc = [a for r in found.reports for a in r.attachments if a.fallbacks]
    assert with_oldsrc and all("/protect/" in a.fallbacks[0] for a in with_oldsrc)
    report = next(r for r in found.reports if any(a.fallbacks for a in r.attachments))
    with PoliteClient(spec_for(server)) as client:
        documents = fetch_report_documents(client, replace(report, pages=[]))
    assert all(doc.usable and "/protect/" not in doc.url for doc in documents)
    assert not [entry for entry in server.request_log if entry.path.startswith("/protect/")]


def test_columns_belong_to_their_departments_and_the_city_column_to_none(
    clean: tuple[ReplicaServer, Discovery],
) -> None:
    server, found = clean
    manifest = server.manifest()

    def key(url: str) -> str:  # a column's first page, whatever its file is called
        return re.sub(r"/(?:index|list)\.s?html?$", "/", url)

    expected = {key(server.base_url + manifest["city_column"]["path"]): None}
    expected |= {key(server.base_url + d["report_column"]["path"]): d["name"] for d in manifest["departments"]}
    # A 政务公开 link shaped like a department home (every Hanweb page is /col/col<ID>/) is navigation.
    assert {key(column.url): column.department for column in found.columns} == expected
