"""Which template generation a report follows, read from its table headers.

Not from the year: an agency may keep an outdated template, and the year may be what
failed to parse. Section 2's column headers decide; when they are silent, the shape of
section 3's (六)其他处理 (three rows in 2021, one in 2019) does.
"""

from __future__ import annotations

from collections import Counter

from parsers.keys import OTHER_HANDLING_2021
from parsers.report.locate import TableSource
from parsers.report.proactive import GENERATION_MARKERS
from parsers.report.reader import TableRead


def detect_generation(sources: dict[str, TableSource], reads: dict[str, TableRead]) -> str | None:
    """'2021', '2019', or None when no table says (the caller decides on legacy)."""
    votes = _header_votes(sources.get("proactive"))
    if votes and votes.most_common(1)[0][1] > sum(votes.values()) / 2:
        return votes.most_common(1)[0][0]
    return _other_handling_vote(reads.get("applications"))


def _header_votes(source: TableSource | None) -> Counter[str]:
    votes: Counter[str] = Counter()
    if source is None:
        return votes
    for text in source.labels:
        for marker, generation in GENERATION_MARKERS.items():
            if marker in text:
                votes[generation] += 1
    return votes


def _other_handling_vote(read: TableRead | None) -> str | None:
    if read is None:
        return None
    rows = set(read.rows_seen)
    if rows & set(OTHER_HANDLING_2021):
        return "2021"
    if "other_handling" in rows:
        return "2019"
    return None
