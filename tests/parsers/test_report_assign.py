"""Giving a row's values to its table's columns (parsers.report.assign) and the section-4
header's columns (parsers.report.review)."""

from __future__ import annotations

from parsers.numbers import read_number
from parsers.report import review
from parsers.report.assign import Column, assign
from parsers.report.spec import HeaderHit
from parsers.report.tokens import ValueTok


def _values(*printed: tuple[int, str]) -> list[ValueTok]:
    values = []
    for col, text in printed:
        cell = read_number(text)
        assert cell is not None
        values.append(ValueTok(cell, col))
    return values


def test_a_grid_value_under_an_unrecognised_column_is_a_stray_and_the_others_keep_their_columns() -> None:
    # The header's 自然人 lost a character (自然): its column is unknown. Counting the row's
    # three values onto the three known columns gave 商业企业 the 自然人 value.
    columns = [Column("commercial", -3), Column("research", -2), Column("total", -1)]
    result = assign(_values((-4, "16"), (-3, "1"), (-1, "17")), columns, total_last=True)
    assert {k: c.value for k, c in result.cells.items()} == {"commercial": 1, "total": 17}
    assert result.notes == {"stray"}


def test_a_grid_row_whose_values_all_sit_under_known_columns_has_no_note() -> None:
    columns = [Column("commercial", -3), Column("research", -2), Column("total", -1)]
    result = assign(_values((-3, "1"), (-1, "1")), columns, total_last=True)
    assert ({k: c.value for k, c in result.cells.items()}, result.notes) == ({"commercial": 1, "total": 1}, set())


def test_a_measure_merged_over_two_grid_columns_is_one_column_of_its_group() -> None:
    # LibreOffice's conversion of a Word 97 file splits the grid under 行政复议's 总计: the
    # measure repeats in a column its group's cell does not cover.
    hits = [HeaderHit("group:review", c) for c in range(-16, -11)]
    hits += [
        HeaderHit(f"measure:{m}", c)
        for m, c in zip(("upheld", "corrected", "other", "pending"), range(-16, -12), strict=True)
    ]
    hits += [HeaderHit("measure:total", -12), HeaderHit("measure:total", -11)]
    hits += [HeaderHit("group:suit_direct", -10), HeaderHit("measure:upheld", -10)]
    columns, issues = review.build_columns(hits)
    assert issues == []
    assert [(c.key, c.col) for c in columns][-3:] == [
        ("review.total", -12),
        ("review.total", -11),
        ("suit_direct.upheld", -10),
    ]
    # A lone measure with no group on either side stays out.
    alone, _ = review.build_columns(
        [HeaderHit("group:review", -3), HeaderHit("measure:total", -3), HeaderHit("measure:upheld", -2)]
    )
    assert [(c.key, c.col) for c in alone] == [("review.total", -3)]
