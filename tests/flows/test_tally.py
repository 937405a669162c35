"""Outcomes: one word each, the upsert's and the parser's words reused, ranked most significant first."""

from __future__ import annotations

import json

from db.changes import Change
from flows.tally import Outcome, most_significant, of_change, of_unstored_parse
from parsers.model import ParseStatus


def test_outcomes_keep_the_words_the_database_and_json_hold() -> None:
    assert {str(c) for c in Change} <= {str(o) for o in Outcome}
    assert [of_change(c) for c in Change] == [Outcome(c.value) for c in Change]
    assert json.dumps({Outcome.NOT_A_REPORT: 1, "x": Outcome.FAILED}) == '{"not_a_report": 1, "x": "failed"}'
    assert f"{Outcome.NEW}" == "new" and Outcome.NOT_A_REPORT == ParseStatus.NOT_A_REPORT


def test_a_report_is_its_most_significant_documents_outcome() -> None:
    assert most_significant([Outcome.UNCHANGED, Outcome.ALTERNATE, Outcome.NEW]) == Outcome.NEW
    assert most_significant([Outcome.NEW, Outcome.FAILED]) == Outcome.FAILED
    assert most_significant([Outcome.NOT_A_REPORT, Outcome.NOT_COLLECTED]) == Outcome.NOT_COLLECTED
    assert most_significant([]) == Outcome.UNCHANGED


def test_what_counts_as_changed_and_updated() -> None:
    assert {o for o in Outcome if o.changed} == {Outcome.NEW, Outcome.REVISED, Outcome.PROMOTED, Outcome.REPARSED}
    assert {o for o in Outcome if o.updated} == {Outcome.REVISED, Outcome.PROMOTED, Outcome.REPARSED}


def test_a_parse_that_stores_no_report() -> None:
    assert of_unstored_parse(ParseStatus.ERROR) == Outcome.FAILED
    assert of_unstored_parse(ParseStatus.NOT_A_REPORT) == Outcome.NOT_A_REPORT
    assert [of_unstored_parse(s) for s in (ParseStatus.OK, ParseStatus.PARTIAL, ParseStatus.NEEDS_OCR)] == [None] * 3
