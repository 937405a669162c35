"""Whitespace handling for Chinese text as the format readers meet it.

PDF cells wrap labels over lines, Word-pasted HTML splits words into `<span>` runs
separated by source newlines, and DOCX cells hold several paragraphs. Rendered, none of
these breaks is a space: Chinese has no spaces between words. So a break between two
CJK characters disappears, and only a break between two Latin words becomes one space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WHITESPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


def is_cjk(char: str) -> bool:
    """True for ideographs, CJK punctuation and full-width forms (no space around them)."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF  # radicals, CJK symbols & punctuation, kana, ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= code <= 0xFE4F  # CJK compatibility forms
        or 0xFF00 <= code <= 0xFFEF  # full-width forms: （），１２
        or 0x20000 <= code <= 0x2FFFF
        or char in "“”‘’…—"
    )


def _needs_space(left: str, right: str) -> bool:
    # A break between two Latin words or numbers reads as a space; anything touching
    # a CJK character or a digit group (1,2 / 34 wrapped) does not.
    if is_cjk(left) or is_cjk(right):
        return False
    return left.isalpha() and right.isalpha()


def join_pieces(pieces: Iterable[str]) -> str:
    """Join wrapped fragments of one logical text (cell lines, span runs) CJK-aware."""
    out = ""
    for piece in pieces:
        piece = normalize_space(piece)
        if not piece:
            continue
        if out and _needs_space(out[-1], piece[0]):
            out += " "
        out += piece
    return out


def normalize_space(text: str) -> str:
    """Collapse whitespace runs; drop them where a CJK character is on either side."""
    parts = _WHITESPACE.split(text)
    out = ""
    for part in parts:
        if not part:
            continue
        if out:
            out += " " if not (is_cjk(out[-1]) or is_cjk(part[0])) else ""
        out += part
    return out
