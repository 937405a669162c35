"""Reading the numbers printed in the template's tables.

A cell holds a count, a signed change (本年增/减), money (a decimal), or a marker that
the value is absent (—, -, /, 无). Absent is never 0: a blank cell is not a zero.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from parsers.keys import is_decimal_key
from parsers.model import Number

# Put by OCR in a cell whose value it could not read for certain: the value is missing
# (never guessed) and the report names the cell.
ILLEGIBLE = "\ufffd"
# Printed in place of a value; the cell is absent, not zero.
ABSENT_MARKS = frozenset({"-", "--", "—", "——", "―", "–", "/", "\\", "无", "空", "×"})

_MINUS = str.maketrans({"\u2212": "-", "\u2012": "-", "\ufe63": "-"})
_UNIT = re.compile(r"(?:件|个|项|条|次|万元|元)$")
_NUMBER = re.compile(r"(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?")


@dataclass(frozen=True)
class CellValue:
    """What a cell printed: a number, or `None` when it printed an absent marker or,
    `illegible`, when its print could not be read (ILLEGIBLE)."""

    value: Number | None
    raw: str
    illegible: bool = False


def _clean(text: str) -> str:
    # Only the ends: inside a cell, a space separates two numbers (PDF text "0 1 0").
    return unicodedata.normalize("NFKC", text).translate(_MINUS).strip()


# Cells print the same few texts (0, 1, 无, …) in every report: a bounded memo.
@functools.lru_cache(maxsize=1 << 16)
def read_number(text: str) -> CellValue | None:
    """The value of a cell's text, or None when the text is not a number at all.

    Accepts full-width digits, thousands separators (1,234), a sign (本年增/减),
    decimals (money) and a trailing unit (件, 万元). Absent markers give a CellValue
    whose value is None.
    """
    cleaned = _clean(text)
    if cleaned == ILLEGIBLE:
        return CellValue(None, text, illegible=True)
    if cleaned in ABSENT_MARKS:
        return CellValue(None, text)
    match = _NUMBER.fullmatch(_UNIT.sub("", cleaned))
    if not match or not cleaned:
        return None
    digits = match["int"].replace(",", "")
    if match["frac"] is not None:
        return CellValue(Decimal(f"{match['sign']}{digits}.{match['frac']}"), text)
    return CellValue(int(f"{match['sign']}{digits}"), text)


def coerce_for_key(key: str, value: Number) -> Number | None:
    """The value in the type the key holds: Decimal for money, int for counts.

    A count printed with a fraction (1.5 applications) is not a count: returns None so
    the caller can report it rather than round it.
    """
    if is_decimal_key(key):
        return Decimal(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else None
    return value
