"""Text of page regions from pdfplumber, for glyphs pdfium could not measure.

pdfminer decodes every glyph whatever the font, but parses the whole page in Python,
so it is asked only for pages where pdfium dropped text, and only for the regions
(table cells) that contain a dropped run.
"""

from __future__ import annotations

import io
from functools import cached_property
from itertools import groupby

import pdfplumber

from parsers.cjk import join_pieces

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF space
# Glyphs whose baselines are this close (points) sit on one line.
_LINE_TOLERANCE = 2.0


class PlumberText:
    """Lazily opened pdfplumber view of the same bytes; chars per page on demand."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._chars: dict[int, list[dict]] = {}

    @cached_property
    def _pdf(self) -> pdfplumber.PDF:
        return pdfplumber.open(io.BytesIO(self._data))

    def close(self) -> None:
        """Release the pdfplumber document if it was ever opened."""
        if "_pdf" in self.__dict__:
            self._pdf.close()

    def text_in(self, page_index: int, box: Box) -> str:
        """Text of the glyphs whose centres fall in `box`, lines joined CJK-aware."""
        left, bottom, right, top = box
        inside = [
            c
            for c in self._page_chars(page_index)
            if left <= (c["x0"] + c["x1"]) / 2 <= right and bottom <= (c["y0"] + c["y1"]) / 2 <= top
        ]
        return join_pieces(_lines(inside))

    def _page_chars(self, page_index: int) -> list[dict]:
        if page_index not in self._chars:
            self._chars[page_index] = self._pdf.pages[page_index].chars
        return self._chars[page_index]


def _lines(chars: list[dict]) -> list[str]:
    ordered = sorted(chars, key=lambda c: (-round(c["y0"] / _LINE_TOLERANCE), c["x0"]))
    lines = groupby(ordered, key=lambda c: round(c["y0"] / _LINE_TOLERANCE))
    return ["".join(c["text"] for c in line) for _, line in lines]
