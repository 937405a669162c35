"""formats.titles: the report-title and statistics-period rules both stages read."""

from __future__ import annotations

import re

import pytest

from formats.titles import NOT_A_REPORT, STATISTICS_PERIOD
from parsers.metadata import find_title
from scrapers.discovery.titles import ReportFilter
from scrapers.spec import ReportFilterSpec

RULES = ReportFilter.from_spec(ReportFilterSpec())


@pytest.mark.parametrize(
    "title",
    [
        "中卫市2023年政府信息公开指南修订情况报告",  # a guide: the parser's old copy took it for a report title
        "中卫市2023年国民经济和社会发展统计公报及政府信息公开工作报告",
        "关于报送2023年政府信息公开工作年度报告的通知",
        "中卫市2023年政府信息公开工作年度报告公布情况",
    ],
)
def test_not_a_report_in_either_stage(title: str) -> None:
    assert re.search(NOT_A_REPORT, title)
    assert not RULES.is_report(title)
    assert find_title([title]) == (None, None)


def test_a_report_title_is_one_in_both_stages() -> None:
    title = "中卫市商务局2023年政府信息公开工作年度报告"
    assert RULES.is_report(title) and RULES.year_of(title) == 2023
    assert find_title([title]) == (title, "中卫市商务局")


@pytest.mark.parametrize(
    "text",
    [
        "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。",
        "统计数据为2023年1月1日至12月31日。",
        "本报告统计时间为2023年1月1日至2023年12月31日。",  # the crawler's old copy knew 数据/期限/时限 only
    ],
)
def test_the_statistics_period_names_the_year_in_both_stages(text: str) -> None:
    match = re.search(STATISTICS_PERIOD, text)
    assert match is not None and match["year"] == "2023"
    assert RULES.year_from_body(text) == 2023
