"""How Chinese government pages and reports print a calendar date.

Arabic digits with any of the separators 2026-06-15, 2026/6/15, 2026.06.15, 2026年6月15日
(full-width digits too), and the signature form in Chinese numerals 二〇二六年六月十五日.
`date_in` finds the first date anywhere in a text (a listing row, an info line, a meta
value with a time after it); `date_line` takes a text that is nothing but a date (a
report's signature line, so a sentence quoting the statistics period is no date).
"""

from __future__ import annotations

import datetime as dt
import re

# Arabic: year, month and day with one separator form each; 年 may pair with 月 and 日.
_ARABIC = r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*日?"
_CN_NUMBER = "[一二三四五六七八九十]{1,3}"
_CN = rf"(?P<cy>[〇○零O0一二三四五六七八九]{{4}})\s*年\s*(?P<cm>{_CN_NUMBER})\s*月\s*(?P<cd>{_CN_NUMBER})\s*日"
DATE = re.compile(f"{_ARABIC}|{_CN}")
# The same forms as a regex without groups, for patterns that wrap a date in a group of their own.
DATE_TEXT = re.sub(r"\(\?P<\w+>", "(?:", f"(?:{_ARABIC}|{_CN})")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "O": 0, "0": 0}


def date_in(text: str) -> dt.date | None:
    """The first valid date printed anywhere in `text`, or None."""
    for match in DATE.finditer(_ascii_digits(text)):
        if date := _date(match):
            return date
    return None


def date_line(text: str) -> dt.date | None:
    """The date `text` consists of (surrounding whitespace aside), or None."""
    match = DATE.fullmatch(_ascii_digits(text).strip())
    return _date(match) if match else None


def cn_number(text: str) -> int:
    """一..三十一 as an int (十五 = 15, 二十六 = 26)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _date(match: re.Match[str]) -> dt.date | None:
    if match["y"]:
        parts = int(match["y"]), int(match["m"]), int(match["d"])
    else:
        year = int("".join(str(_CN_DIGITS[c]) for c in match["cy"]))
        parts = year, cn_number(match["cm"]), cn_number(match["cd"])
    try:
        return dt.date(*parts)
    except ValueError:
        return None


def _ascii_digits(text: str) -> str:
    # Full-width digits (２０２６年) print the same date; only the digits are mapped, not the punctuation.
    return text.translate(_FULL_WIDTH)


_FULL_WIDTH = {ord("０") + i: ord("0") + i for i in range(10)}
