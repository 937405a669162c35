"""Finding the report's six sections by their headings.

Headings vary: 一、/一．/第一部分 numbering, markdown or bold markup, 存在的主要问题 or
存在主要问题, the 2019 wording 政府信息依申请公开工作情况, an extra 七、 in some 2019
reports (where 四、 is then not about review and litigation). So a heading is
recognised by its words, not its number; an unknown numbered heading that the
document marks as a heading closes the current section without opening a new one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

MAX_TITLE = 40  # a numbered line longer than this is prose, not a heading

_NUMBERED = re.compile(r"^(?:第[一二三四五六七八九十]{1,2}部分|[一二三四五六七八九十]{1,2}\s*[、.．])\s*(?P<title>.+)$")

# Checked in this order: a review heading may mention 申请, a problems heading 公开.
SECTION_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("review_litigation", re.compile(r"行政复议|行政诉讼")),
    ("other", re.compile(r"其他需要报告|其他事项")),
    ("problems", re.compile(r"问题")),
    ("applications", re.compile(r"依申请公开|收到和处理政府信息公开申请|公开申请的?(?:办理|处理|受理)情况")),
    ("proactive", re.compile(r"主动公开")),
    ("overview", re.compile(r"总体情况|概述|概况|基本情况")),
)


@dataclass(frozen=True)
class Line:
    """One line of the document's text, with the heading level its format marked (if any)."""

    text: str
    heading_level: int | None = None


@dataclass(frozen=True)
class Span:
    """A section: its key (None for an unknown heading) and the lines after its heading."""

    key: str | None
    heading: str
    heading_index: int
    start: int
    end: int


def heading_key(line: Line) -> tuple[bool, str | None]:
    """(is a top-level heading, section key or None) for one line."""
    if "\t" in line.text:
        return False, None  # a table row such as 三、本年度办理结果
    text = unicodedata.normalize("NFKC", line.text).replace("*", "").strip()
    match = _NUMBERED.match(text)
    if not match or len(match["title"]) > MAX_TITLE:
        return False, None
    title = re.sub(r"\s+", "", match["title"])
    for key, words in SECTION_WORDS:
        if words.search(title):
            return True, key
    return line.heading_level is not None, None


def split_sections(lines: Sequence[Line]) -> list[Span]:
    """Sections in document order; the first heading of each key wins."""
    heads: list[tuple[int, str | None]] = []
    seen: set[str] = set()
    for index, line in enumerate(lines):
        is_heading, key = heading_key(line)
        if not is_heading or (key is not None and key in seen):
            continue
        heads.append((index, key))
        if key:
            seen.add(key)
    ends = [i for i, _ in heads[1:]] + [len(lines)] if heads else []
    return [Span(key, lines[i].text.strip(), i, i + 1, end) for (i, key), end in zip(heads, ends, strict=True)]


def section_of(spans: Sequence[Span], index: int) -> Span | None:
    """The section a line belongs to (None before the first heading)."""
    return next((s for s in spans if s.start <= index < s.end), None)
