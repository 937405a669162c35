"""The number reader: what a printed cell is worth."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers.numbers import coerce_for_key, read_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("12", 12),
        ("１２３", 123),  # full-width digits
        ("1,234", 1234),
        ("１，２３４", 1234),
        ("-4", -4),
        ("－4", -4),  # full-width minus
        ("−1", -1),  # U+2212 minus sign
        ("+3", 3),
        ("12.50", Decimal("12.50")),
        (" 7 ", 7),
        ("5件", 5),
        ("3.2万元", Decimal("3.2")),
    ],
)
def test_numbers(text: str, value: int | Decimal) -> None:
    cell = read_number(text)
    assert cell is not None
    assert cell.value == value
    assert type(cell.value) is type(value)


@pytest.mark.parametrize("text", ["—", "-", "/", "无", "——", "－", "―"])
def test_absent_markers_are_absent_not_zero(text: str) -> None:
    cell = read_number(text)
    assert cell is not None
    assert cell.value is None


@pytest.mark.parametrize("text", ["", "规章", "1.", "1.属于国家秘密", "2019年", "1,23", "12a", "第二十条", "0 1 0"])
def test_non_numbers(text: str) -> None:
    assert read_number(text) is None


def test_coerce_money_and_counts() -> None:
    assert coerce_for_key("proactive.fees.amount_10k_cny", 0) == Decimal(0)
    assert isinstance(coerce_for_key("proactive.fees.amount_10k_cny", 0), Decimal)
    assert coerce_for_key("applications.new.total", Decimal("3.0")) == 3
    assert coerce_for_key("applications.new.total", Decimal("1.5")) is None


@given(st.text(max_size=30))
def test_read_number_never_raises(text: str) -> None:
    cell = read_number(text)
    assert cell is None or cell.value is None or isinstance(cell.value, int | Decimal)
