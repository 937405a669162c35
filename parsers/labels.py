"""Recognising the template's printed labels despite how documents mangle them.

Labels reach us with full-width forms, spaces from line wraps, numbering written
1、/1./1．, quotes, footnote marks, typos and truncation at a page break. Everything
is first normalised (`normalize_label`), then matched against known aliases by a
`LabelMatcher` (exact, containment, prefix of a truncated label, fuzzy), or scanned
for several labels inside one run of text (`scan_labels`, for table headers).
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_NUMERALS = "一二三四五六七八九十"
_FOOTNOTES = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079\u2460-\u2473※*]|\[(?:注)?\d*\]|\(注\d*\)")
_QUOTES = re.compile(r"[“”‘’\"'「」『』]")
_SPACE = re.compile(r"\s+")
_DIGIT_NUMBERING = re.compile(r"(?<![\d.])(\d{1,2})[、.](?!\d)")
_HAN_NUMBERING = re.compile(rf"(?<![{_NUMERALS}])([{_NUMERALS}]{{1,2}})[.．](?!\d)")
# Where a new numbered label begins: (一), 一、, 1.
_MARKER = re.compile(rf"\([{_NUMERALS}]{{1,2}}\)|(?<![{_NUMERALS}])[{_NUMERALS}]{{1,2}}、|(?<![\d.])\d{{1,2}}\.(?!\d)")
_LEADING_MARKER = re.compile(rf"^(?:{_MARKER.pattern})")

# Memos of a matcher's answers: the same labels recur on every page, and a parser worker
# lives for many documents, so each memo is emptied when it reaches this size.
MEMO_SIZE = 1 << 14
MIN_CONTAINED = 4  # shorter aliases (规章, 总计, 其他) must match exactly
MIN_PARTIAL = 4  # a truncated or misspelt label needs at least this many characters
FUZZY_RATIO = 0.8


# The same labels recur on every page and every table candidate; a bounded memo, as a
# parser worker lives for many documents.
@functools.lru_cache(maxsize=1 << 16)
def normalize_label(text: str) -> str:
    """Canonical spelling of a label: ASCII digits and brackets, no spaces or quotes.

    Numbering is unified to `1.` and `一、` so that 1、/1．/1. compare equal.
    """
    text = _FOOTNOTES.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = unicodedata.normalize("NFKC", _SPACE.sub("", _QUOTES.sub("", text)))  # again: removal may recompose
    text = _DIGIT_NUMBERING.sub(r"\1.", text)
    return _HAN_NUMBERING.sub(r"\1、", text)


@functools.lru_cache(maxsize=1 << 16)
def split_numbered(normalized: str) -> tuple[str, ...]:
    """Split a normalised run of text where a numbered label ((一), 一、, 1.) begins."""
    starts = sorted({0, *(m.start() for m in _MARKER.finditer(normalized))})
    bounds = [*starts, len(normalized)]
    return tuple(normalized[a:b] for a, b in itertools.pairwise(bounds) if normalized[a:b])


def strip_numbering(normalized: str) -> tuple[str, str]:
    """`(marker, rest)` of a normalised label; marker is '' when unnumbered."""
    match = _LEADING_MARKER.match(normalized)
    if not match:
        return "", normalized
    return match.group(0), normalized[match.end() :]


def without_brackets(normalized: str) -> str:
    """The label without parenthesised remarks such as （单位：万元）."""
    return re.sub(r"\([^()]*\)", "", normalized)


@dataclass(frozen=True)
class LabelHit:
    """One label found inside a run of text."""

    key: str | None
    start: int
    end: int


class LabelMatcher:
    """Maps label text to a key through a list of normalised aliases.

    `match` tries, in order: exact alias; the text containing an alias of at least
    MIN_CONTAINED characters (longest wins, so remarks in brackets do not matter); the
    text being the start of an alias (a label cut at a page or line break); and a fuzzy
    ratio of at least FUZZY_RATIO (typos). Keys may be None for known decoys.
    """

    def __init__(self, aliases: Iterable[tuple[str, str | None]]) -> None:
        self._aliases: dict[str, str | None] = {normalize_label(a): k for a, k in aliases}
        self._by_length = sorted(self._aliases, key=len, reverse=True)
        # One pass over a text finds them all: at each position the regex tries the aliases
        # longest first (the engine skips those whose first character differs), takes the
        # first that matches and resumes after it, so no text is scanned once per alias.
        self._pattern = re.compile("|".join(map(re.escape, filter(None, self._by_length))) or r"(?!)")
        self._memo: dict[str, tuple[bool, str | None]] = {}
        self._scans: dict[str, tuple[tuple[LabelHit, ...], int]] = {}

    def known_keys(self) -> set[str]:
        """Every key some alias maps to."""
        return {k for k in self._aliases.values() if k is not None}

    def exact(self, label: str) -> tuple[bool, str | None]:
        """(found, key) for an exact alias of the normalised label."""
        return label in self._aliases, self._aliases.get(label)

    def match(self, label: str) -> tuple[bool, str | None]:
        """(found, key) for a normalised label, trying exact, contained, prefix, fuzzy."""
        if label not in self._memo:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[label] = self._match(label)
        return self._memo[label]

    def _match(self, label: str) -> tuple[bool, str | None]:
        for step in (self.exact, self._contained, self._prefix, self._fuzzy):
            found, key = step(label)
            if found:
                return found, key
        return False, None

    def _contained(self, label: str) -> tuple[bool, str | None]:
        for alias in self._by_length:
            if len(alias) >= MIN_CONTAINED and alias in label:
                return True, self._aliases[alias]
        return False, None

    def _prefix(self, label: str) -> tuple[bool, str | None]:
        if len(label) < MIN_PARTIAL:
            return False, None
        keys = {self._aliases[a] for a in self._by_length if a.startswith(label)}
        return (True, keys.pop()) if len(keys) == 1 else (False, None)

    def _fuzzy(self, label: str) -> tuple[bool, str | None]:
        if len(label) < MIN_PARTIAL:
            return False, None
        best, best_ratio = None, 0.0
        for alias in self._by_length:
            if len(alias) < MIN_PARTIAL:
                continue
            floor = max(best_ratio, FUZZY_RATIO)
            matcher = difflib.SequenceMatcher(None, label, alias, autojunk=False)
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue  # cheap upper bounds rule it out
            ratio = matcher.ratio()
            if ratio >= floor and ratio > best_ratio:
                best, best_ratio = alias, ratio
        if best is None:
            return False, None
        return True, self._aliases[best]

    def scan(self, text: str) -> tuple[tuple[LabelHit, ...], int]:
        """Every alias inside `text`, longest first, without overlaps; plus how many
        characters no alias covered (a header run is mostly labels, a row is not)."""
        if text not in self._scans:
            if len(self._scans) >= MEMO_SIZE:
                self._scans.clear()
            hits = tuple(LabelHit(self._aliases[m.group()], m.start(), m.end()) for m in self._pattern.finditer(text))
            self._scans[text] = hits, len(text) - sum(h.end - h.start for h in hits)
        return self._scans[text]
