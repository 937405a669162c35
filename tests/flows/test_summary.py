"""RunSummary: what this run found or changed is told apart from the standing findings."""

from __future__ import annotations

from db.queries import Finding
from flows.pipeline import BatchResult, DiscoveryOutcome, DocumentOutcome, ReportTally
from flows.summary import RunSummary
from flows.tally import Outcome


def _tally(agency: str, year: int, word: str) -> ReportTally:
    url = f"https://example.gov.cn/{agency}/{year}.html"
    outcome = Outcome(word)
    error = "HTTP 404" if outcome == Outcome.FAILED else None
    return ReportTally("p", agency, year, "", url, outcome, (DocumentOutcome(url, outcome, True, error),))


def test_findings_split_into_this_run_and_standing_and_issues_count_what_went_wrong() -> None:
    summary = RunSummary(["p", "q"], [2024])
    summary.add_discovery(DiscoveryOutcome("p", [], requests=3))
    summary.add_discovery(DiscoveryOutcome("q", [], problems=["unreachable: timed out"], unreachable="timed out"))
    batch = BatchResult("p", [_tally("A", 2024, "new"), _tally("B", 2024, "unchanged"), _tally("C", 2024, "failed")])
    summary.add_batch(batch)
    summary.findings = [Finding("late", "p", "A", 2024, "x"), Finding("check_failed", "p", "B", 2024, "y")]

    assert [f.agency for f in summary.run_findings] == ["A"]
    assert [f.agency for f in summary.standing_findings] == ["B"]
    assert summary.issues() == ["1 failed", "1 portal unreachable"]  # its problem line is not counted twice
    assert summary.counts_line() == "new 1, revised 0, failed 1; findings 1 from this run, 1 standing"
    text = summary.text()
    assert "unreachable: q (timed out)" in text
    assert (
        "findings from this run: late 1" in text
        and "standing findings (reports this run did not change): check_failed 1" in text
    )
    assert not summary.nothing_possible()


def test_a_clean_run_has_no_issues() -> None:
    summary = RunSummary(["p"], [2024])
    summary.add_discovery(DiscoveryOutcome("p", [], requests=3))
    summary.add_batch(BatchResult("p", [_tally("A", 2024, "unchanged")]))
    assert summary.issues() == []
