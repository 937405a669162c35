"""A page whose dropped glyph runs the content stream cannot give back is read by pdfplumber;
pdfplumber then reads the objects the stream reader already parsed and interprets with the
fonts it already loaded (a browser's page has a hundred fonts, each parsed by pdfminer in
Python), not with its own second copy of either.

Chromium's print with its running header serves as such a PDF here: the header's spaces are
runs of their own with no width, which pdfium's text page drops, and its fonts' ToUnicode maps
spell glyphs otherwise than pdfium (radicals for ideographs), so `page_runs` does not trust the
stream. (A whole parse no longer asks it: those runs are blanks, `Recovery.dropped_nothing`.)"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdffont import PDFFont

from parsers.pdf.edges import scan_page
from parsers.pdf.fallback import Recovery

PRINT = Path(__file__).parents[1] / "fixtures" / "office" / "chromium-print-08.pdf"


def test_the_slow_path_reads_with_the_objects_and_fonts_already_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[object] = []
    parsed: list[object] = []
    original = PDFFont.__init__
    parse = PDFDocument._getobj_parse

    def counting(self: PDFFont, *args: object, **kwargs: object) -> None:
        loaded.append(self)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    def counting_parse(self: PDFDocument, *args: object, **kwargs: object) -> object:
        parsed.append(args)
        return parse(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PDFFont, "__init__", counting)
    monkeypatch.setattr(PDFDocument, "_getobj_parse", counting_parse)
    data = PRINT.read_bytes()
    pdf = pdfium.PdfDocument(data)
    recovery = Recovery(data)
    page = pdf[0]
    textpage = page.get_textpage()
    try:
        objects = scan_page(page)
        assert objects.unmeasured, "the header's spaces are runs pdfium leaves out"
        assert recovery.page_runs(0, textpage, objects.texts) is None  # the stream is not trusted here
        fonts_of_the_page, objects_of_the_page = len(loaded), len(parsed)
        assert fonts_of_the_page > 50 and objects_of_the_page > 100
        left, bottom, right, top = page.get_bbox()
        lines = recovery.lines_in((left, bottom, right, top), recovery.plumber_runs(0) or [])
        assert any("年度报告" in line for line in lines)  # pdfplumber read the page
        assert len(loaded) == fonts_of_the_page  # and loaded no font again
        # nor parsed the page's objects again (only the other pages' own, which pdfplumber lists)
        assert len(parsed) - objects_of_the_page < 20
    finally:
        textpage.close()
        page.close()
        recovery.close()
        pdf.close()
