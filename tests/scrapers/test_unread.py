"""What a discovery could not read, sorted for its caller; and which fetched documents the parser reads as one."""

from __future__ import annotations

import dataclasses
from typing import Literal

from scrapers.discovery.models import ColumnSummary, Discovery, FoundReport, Problem, Unreached
from scrapers.discovery.unread import excluded, pages_read, problems_to_tell, to_retry, unreachable
from scrapers.documents import FetchedDocument, parse_groups, unread_pictures
from scrapers.http import RequestStats
from scrapers.results import FetchResult

SITE = "https://www.example.gov.cn"


def _discovery() -> Discovery:
    return Discovery(
        "p",
        reports=[
            FoundReport("p", "某局", 2023, "年报", f"{SITE}/a.html", pages=[f"{SITE}/a.html", f"{SITE}/a_1.html"])
        ],
        problems=[
            Problem("blocked", f"{SITE}/b.html", "HTTP 412"),  # already an unreached report: kept once
            Problem("fetch_failed", f"{SITE}/list_2.html", "HTTP 500"),  # a page naming no report
            Problem("layout_changed", f"{SITE}/list.html", "no dated links"),  # drift, not an unread page
            Problem("refused", f"{SITE}/robots.html", "connection refused"),
        ],
        unreached=[
            Unreached(f"{SITE}/b.html", "某局2022年报", "某局", 2022, "blocked", "HTTP 412"),
            Unreached(f"{SITE}/robots.html", "某局2021年报", "某局", 2021, "disallowed", "robots.txt"),
        ],
        columns=[ColumnSummary(f"{SITE}/col/", "某局", pages=[f"{SITE}/col/index_1.html"]), ColumnSummary("x", None)],
    )


def test_pages_to_retry_and_pages_robots_txt_excludes() -> None:
    found = _discovery()
    retry = {u.url: (u.agency, u.year, u.outcome) for u in to_retry(found)}
    assert retry == {
        f"{SITE}/b.html": ("某局", 2022, "blocked"),
        f"{SITE}/list_2.html": (None, None, "fetch_failed"),
        # Excluded as a report, but a problem says it could not be read at all: retried.
        f"{SITE}/robots.html": (None, None, "refused"),
    }
    assert [(u.url, u.year) for u in excluded(found)] == [(f"{SITE}/robots.html", 2021)]


def test_pages_read_are_reports_and_listings_with_pages() -> None:
    assert pages_read(_discovery()) == {
        f"{SITE}/a.html",
        f"{SITE}/a_1.html",
        f"{SITE}/col/",
        f"{SITE}/col/index_1.html",
    }


def test_unreachable_only_when_requests_were_made_and_none_answered() -> None:
    assert unreachable(RequestStats(requests=3, answered=0, unanswered="connection refused")) == "connection refused"
    assert unreachable(RequestStats(requests=3, answered=1, unanswered="timed out")) is None
    assert unreachable(RequestStats()) is None


def test_a_portal_nothing_answered_has_that_one_problem() -> None:
    found = _discovery()
    assert problems_to_tell(found, "connection refused") == ["unreachable: connection refused"]
    assert problems_to_tell(found, None) == [str(p) for p in found.problems]


def _doc(
    role: Literal["article", "attachment", "picture"], name: str, part: int = 0, ok: bool = True
) -> FetchedDocument:
    url = f"{SITE}/{name}"
    return FetchedDocument(role, url, FetchResult(url, url, "ok" if ok else "http_error"), None, part=part)


def test_an_article_split_over_pages_is_one_document_and_each_file_another() -> None:
    fetched = [
        _doc("article", "a_1.html", 1),
        _doc("attachment", "r.pdf"),
        _doc("article", "a.html"),
        _doc("attachment", "r.xlsx"),
    ]
    groups = [[d.url.rsplit("/", 1)[1] for d in g] for g in parse_groups(fetched)]
    assert groups == [["a.html", "a_1.html"], ["r.pdf"], ["r.xlsx"]]
    assert parse_groups([_doc("attachment", "r.pdf")])[0][0].url.endswith("r.pdf")
    assert parse_groups([]) == []


def test_the_pictures_of_an_articles_body_are_read_with_it_and_a_failed_one_is_left_out() -> None:
    fetched = [
        _doc("picture", "W020240125_1.png"),
        _doc("article", "a.html"),
        _doc("picture", "W020240125_2.png", ok=False),
        _doc("picture", "W020240125_3.jpg"),
        _doc("attachment", "r.pdf"),
    ]
    groups = [[d.url.rsplit("/", 1)[1] for d in g] for g in parse_groups(fetched)]
    assert groups == [["a.html", "W020240125_1.png", "W020240125_3.jpg"], ["r.pdf"]]
    assert [d.url.rsplit("/", 1)[1] for d in unread_pictures(fetched)] == ["W020240125_2.png"]
    icon = dataclasses.replace(_doc("picture", "icon.gif"), rejected="only 90 bytes", negligible=True)
    assert unread_pictures([icon]) == [] and parse_groups([_doc("article", "a.html"), icon]) == [[fetched[1]]]
