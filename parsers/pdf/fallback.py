"""Text of table cells holding glyph runs pdfium dropped (see `edges.TextObject`).

The dropped runs are still pdfium text objects, only missing from its text page. Their
text comes from the content stream (`content.PageTexts`): show operators line up one to
one with the page's text objects, and that line-up is trusted only when every object
pdfium did read has the same text both ways. Otherwise the page's glyphs are read with
pdfplumber, which parses the whole page in Python (about one naive page).
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.pdf import PDF

from parsers.pdf.content import PageTexts
from parsers.pdf.edges import TextObject
from parsers.radicals import unify

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF space
# Glyphs whose baselines are this close (points) sit on one line.
_LINE_TOLERANCE = 2.0
_MAX_FAILURE = 100  # characters of pdfminer's complaint kept (it quotes the damaged object)


@dataclass(frozen=True)
class Run:
    """A piece of text and where it starts (left, bottom in PDF space)."""

    x: float
    y: float
    text: str


class Recovery:
    """Per document: the text of dropped runs, from the content stream or else pdfplumber."""

    def __init__(self, data: bytes) -> None:
        self._streams = PageTexts(data)
        self._plumber = PlumberText(data, self._streams)
        self._texts: dict[int, list[str | None] | None] = {}
        self.slow_pages = 0
        self.failures: dict[int, str] = {}  # page index -> why pdfminer could not read it

    def close(self) -> None:
        """Release the pdfplumber document if it was ever opened."""
        self._plumber.close()

    def dropped_nothing(self, page_index: int, textpage: pdfium.PdfTextPage, objects: list[TextObject]) -> bool:
        """True when every run pdfium left out shows only blanks (a browser prints each space
        between words as a run of its own, with no width): the page loses nothing and is read
        as any other. The stream must line up with pdfium's objects for that, compared with
        radicals and compatibility forms folded (Chromium's fonts spell 首 as ⾸, fi as ﬁ)."""
        decoded = self._decoded(page_index)
        if decoded is None or len(decoded) != len(objects):
            return False
        if any(not obj.measured and (text is None or text.strip()) for obj, text in zip(objects, decoded, strict=True)):
            return False
        return _agrees_as_page(textpage, objects, decoded, _folded) or _agrees_by_object(
            textpage, objects, decoded, _folded
        )

    def page_runs(self, page_index: int, textpage: pdfium.PdfTextPage, objects: list[TextObject]) -> list[Run] | None:
        """Every text object of the page with its text, or None when the stream does not
        line up with pdfium's objects (then the page is read with pdfplumber, `plumber_runs`)."""
        decoded = self._decoded(page_index)
        if decoded is None or len(decoded) != len(objects) or any(text is None for text in decoded):
            self.slow_pages += 1
            return None
        if not _agrees_as_page(textpage, objects, decoded) and not _agrees_by_object(textpage, objects, decoded):
            self.slow_pages += 1
            return None
        return [Run(obj.origin[0], obj.origin[1], text or "") for obj, text in zip(objects, decoded, strict=True)]

    def _decoded(self, page_index: int) -> list[str | None] | None:
        # A page's show-operator texts, decoded once for both questions above.
        if page_index not in self._texts:
            self._texts = {page_index: self._streams.texts(page_index)}  # pages come in order: keep one
        return self._texts[page_index]

    def plumber_runs(self, page_index: int) -> list[Run] | None:
        """The page's glyphs as pdfplumber reads them (the slow path), or None when pdfminer
        cannot read the page: a damaged file pdfium opens all the same (`failures` says why)."""
        try:
            return self._plumber.page_chars(page_index)
        except MemoryError:
            raise
        except Exception as exc:  # pdfminer raises a dozen types on a damaged object
            self.failures[page_index] = f"{type(exc).__name__}: {exc}"[:_MAX_FAILURE]
            return None

    @staticmethod
    def lines_in(box: Box, runs: list[Run]) -> list[str]:
        """Lines of the runs starting in `box`, top to bottom."""
        left, bottom, right, top = box
        return _lines([r for r in runs if left <= r.x <= right and bottom <= r.y <= top])


class PlumberText:
    """Lazily opened pdfplumber view of the same bytes; glyphs per page on demand.

    A page comes here after the content-stream reader has parsed its objects and loaded its
    fonts (a browser's page has a hundred fonts, each with its widths and encoding, at about
    3 ms each in pdfminer): pdfplumber reads the same pdfminer document and fonts instead of
    parsing and loading each again."""

    def __init__(self, data: bytes, shared: PageTexts | None = None) -> None:
        self._data = data
        self._shared = shared
        self._chars: dict[int, list[Run]] = {}

    @cached_property
    def _pdf(self) -> PDF:
        pdf = pdfplumber.open(io.BytesIO(self._data))
        if self._shared is not None:
            # What pdfplumber's pages are made from and interpret with (its own parse of the
            # same bytes opened above, so the shared one opens too).
            pdf.doc = self._shared.document
            pdf.rsrcmgr = self._shared.fonts
        return pdf

    def close(self) -> None:
        """Release the pdfplumber document if it was ever opened."""
        if "_pdf" in self.__dict__:
            with contextlib.suppress(Exception):  # a damaged file's objects fail again as they are let go
                self._pdf.close()

    def page_chars(self, page_index: int) -> list[Run]:
        """The page's glyphs, each placed at its centre (glyphs of one line share a size)."""
        if page_index not in self._chars:
            chars = self._pdf.pages[page_index].chars
            self._chars[page_index] = [Run((c["x0"] + c["x1"]) / 2, (c["y0"] + c["y1"]) / 2, c["text"]) for c in chars]
        return self._chars[page_index]


def _agrees_as_page(
    textpage: pdfium.PdfTextPage,
    objects: list[TextObject],
    decoded: list[str | None],
    fold: Callable[[str], str] = str,
) -> bool:
    # The cheap check first: pdfium's text page holds the measured objects' characters and
    # no others. It orders a line's runs by position, not always in drawing order, so the
    # characters are compared as a multiset: a stream read out of step with the objects
    # would give the measured objects other texts, and so other characters.
    measured = "".join(text or "" for obj, text in zip(objects, decoded, strict=True) if obj.measured)
    return sorted(_squash(fold(textpage.get_text_range()))) == sorted(_squash(fold(measured)))


def _agrees_by_object(
    textpage: pdfium.PdfTextPage,
    objects: list[TextObject],
    decoded: list[str | None],
    fold: Callable[[str], str] = str,
) -> bool:
    # Where pdfium orders its page text otherwise, every measured object is compared.
    return all(
        not obj.measured or _squash(fold(_object_text(textpage, obj))) == _squash(fold(text or ""))
        for obj, text in zip(objects, decoded, strict=True)
    )


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", unify(text))


def _object_text(textpage: pdfium.PdfTextPage, obj: TextObject) -> str:
    size = pdfium_c.FPDFTextObj_GetText(obj.handle, textpage.raw, None, 0)
    if size <= 2:
        return ""
    buffer = (ctypes.c_ushort * (size // 2))()
    pdfium_c.FPDFTextObj_GetText(obj.handle, textpage.raw, buffer, size)
    return bytes(buffer).decode("utf-16-le", errors="replace").rstrip("\0")


def _squash(text: str) -> str:
    return "".join(text.split())


def _lines(runs: list[Run]) -> list[str]:
    # Top to bottom; a run joins the current line when its baseline is within tolerance.
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: -r.y):
        if lines and lines[-1][0].y - run.y <= _LINE_TOLERANCE:
            lines[-1].append(run)
        else:
            lines.append([run])
    return ["".join(r.text for r in sorted(line, key=lambda r: r.x)) for line in lines]
