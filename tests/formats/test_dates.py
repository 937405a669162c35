"""formats.dates: the date forms pages and reports print, read the same way by both stages."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from formats.dates import DATE_TEXT, date_in, date_line

JUNE_15 = dt.date(2026, 6, 15)


@pytest.mark.parametrize(
    "text",
    [
        "2026-06-15",
        "[2026年06月15日]",
        "时间：2026-06-15 16:02",
        "发布日期：2026/6/15",
        "2026.06.15",
        "２０２６年６月１５日",  # full-width digits
        "落款 二〇二六年六月十五日",  # the crawler's old copy read no Chinese numerals
        "二○二六年六月十五日",
    ],
)
def test_date_in_reads_every_printed_form(text: str) -> None:
    assert date_in(text) == JUNE_15


def test_date_in_takes_the_first_valid_date() -> None:
    assert date_in("2026-13-01 更新于 2026-06-15") == JUNE_15
    assert date_in("2023年1月1日至2023年12月31日") == dt.date(2023, 1, 1)
    assert date_in("第20261期") is None
    assert date_in("") is None


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2020年1月26日", dt.date(2020, 1, 26)),
        ("二○二一年十二月三十一日", dt.date(2021, 12, 31)),
        ("二〇二二年十月十日", dt.date(2022, 10, 10)),
        ("2022-10-10", dt.date(2022, 10, 10)),  # a signature line the parser's old copy did not read
        (" 2022.10.10 ", dt.date(2022, 10, 10)),
        ("2020年2月30日", None),
        ("截至2020年1月26日", None),
        ("2020年1月26日起施行", None),
    ],
)
def test_date_line_is_a_text_that_is_only_a_date(text: str, date: dt.date | None) -> None:
    assert date_line(text) == date


def test_date_text_has_no_groups_of_its_own() -> None:
    pattern = re.compile(r"发布日期：(" + DATE_TEXT + ")")
    assert pattern.groups == 1
    match = pattern.search("发布日期：2026年6月15日 来源：本站")
    assert match is not None and date_in(match.group(1)) == JUNE_15
