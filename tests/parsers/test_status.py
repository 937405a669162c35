"""Parse statuses: the stored words, and which of them are reports and which had their cells read."""

from __future__ import annotations

from parsers.model import ParseStatus


def test_statuses_are_the_stored_words() -> None:
    assert [str(s) for s in ParseStatus] == ["ok", "partial", "needs_ocr", "not_a_report", "error"]
    assert ParseStatus("needs_ocr") is ParseStatus.NEEDS_OCR


def test_which_statuses_carry_a_report_and_which_were_read() -> None:
    assert {s for s in ParseStatus if s.carries_report} == {ParseStatus.OK, ParseStatus.PARTIAL, ParseStatus.NEEDS_OCR}
    assert {s for s in ParseStatus if s.read} == {ParseStatus.OK, ParseStatus.PARTIAL}
