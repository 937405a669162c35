"""Whose report and which year: print wins, the crawler's hints fill only what print leaves blank."""

from __future__ import annotations

import datetime as dt

from parsers.dispatch import parse_document
from parsers.identity import Identity, fill_from_hints, identity_of
from parsers.model import Hints, ParsedReport, ParseStatus

PRINTED = """石嘴山市商务局2023年政府信息公开工作年度报告

一、总体情况
2023年，市商务局严格落实《中华人民共和国政府信息公开条例》。

六、其他需要报告的事项
无。
"""
# A report body that names neither its agency nor its year anywhere.
SILENT = """一、总体情况
严格落实《中华人民共和国政府信息公开条例》，主动公开政府信息。

五、存在的主要问题及改进情况
公开内容还不够丰富。
"""
# What a crawler may know: the listing's department, and a year guessed as the publication year - 1.
CRAWLER = Hints(agency="市商务局", year=2024, title="年报", published_on=dt.date(2025, 1, 20))


def test_printed_agency_and_year_win_over_the_crawlers_guess() -> None:
    report = parse_document(PRINTED.encode(), filename="a.txt", hints=CRAWLER)
    assert identity_of(report) == Identity("石嘴山市商务局", 2023)
    assert "hinted year 2024 differs from the printed year 2023" in report.warnings
    assert "hinted agency 市商务局 differs from the printed agency 石嘴山市商务局" in report.warnings


def test_hints_name_a_report_whose_print_is_silent() -> None:
    report = parse_document(SILENT.encode(), filename="a.txt", hints=CRAWLER)
    assert identity_of(report) == Identity("市商务局", 2024)
    assert report.published_on == dt.date(2025, 1, 20)
    assert not any("hinted" in w for w in report.warnings)


def test_an_unreadable_document_is_named_by_its_hints() -> None:
    report = parse_document(b"", filename="a.pdf", hints=CRAWLER)
    assert report.status == ParseStatus.ERROR
    assert identity_of(report) == Identity("市商务局", 2024)


def test_without_print_or_hints_there_is_no_identity() -> None:
    assert identity_of(parse_document(SILENT.encode(), filename="a.txt")) is None
    half = ParsedReport(ParseStatus.PARTIAL, agency="某局")
    assert identity_of(half) is None
    fill_from_hints(half, Hints(year=2022))
    assert identity_of(half) == Identity("某局", 2022)


def test_agencies_spaced_alike_do_not_disagree() -> None:
    report = ParsedReport(ParseStatus.OK, agency="石嘴山市 商务局", year=2023)
    fill_from_hints(report, Hints(agency="石嘴山市商务局", year=2023))
    assert report.warnings == []
    assert identity_of(report) == Identity("石嘴山市 商务局", 2023)
