"""Cells a page break cut are mended with the table's vocabulary (parsers.report.breaks)."""

from __future__ import annotations

from parsers.document import TableBlock
from parsers.report import applications
from parsers.report.breaks import mend_breaks

SPEC = applications.SPEC


def mended(above: list[str], below: list[str]) -> list[list[str]]:
    return mend_breaks(TableBlock([above, below], breaks=(1,)), SPEC).rows


def test_a_header_label_cut_by_the_break_is_whole_again() -> None:
    rows = mended(["说明", "自然", "商业", "总计"], ["说明", "人", "企业", ""])
    assert rows == [["说明", "自然人", "商业企业", "总计"], ["说明", "", "", ""]]


def test_a_row_label_cut_by_the_break_keeps_its_values_above() -> None:
    rows = mended(["（五）不予处理", "4.无正", "0", "1"], ["（五）不予处理", "当理由大量反复申请", "", ""])
    assert rows[0] == ["（五）不予处理", "4.无正当理由大量反复申请", "0", "1"]
    assert rows[1] == ["（五）不予处理", "", "", ""]


def test_rows_that_only_meet_at_the_break_are_left_as_printed() -> None:
    above = ["（三）不予公开", "8.属于行政查询事项", "1", "1"]
    below = ["（四）无法提供", "1.本机关不掌握相关政府信息", "", ""]
    assert mended(above, below) == [above, below]  # a numbered label starts its own row
    header = ["自然人", "商业企业"]
    assert mended(header, ["科研机构", "其他"]) == [header, ["科研机构", "其他"]]  # both whole labels
    values = ["2.重复申请", "0"]
    assert mended(values, ["3", "0"]) == [values, ["3", "0"]]  # numbers are never a label's tail


def test_a_table_without_breaks_is_untouched() -> None:
    table = TableBlock([["自然", "商业"], ["人", "企业"]])
    assert mend_breaks(table, SPEC) is table


def test_a_break_that_cut_nothing_gives_the_table_back() -> None:
    table = TableBlock([["2.重复申请", "0"], ["3.要求提供公开出版物", "0"]], breaks=(1,))
    assert mend_breaks(table, SPEC) is table
