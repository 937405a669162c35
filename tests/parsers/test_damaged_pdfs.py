"""Damaged PDFs that pdfium still opens: what can be read is read, and the warnings say what
was lost. Before, pdfminer's complaint about one damaged object was a parser crash
("unexpected PdfminerException", never cached), and one page pdfium could not load lost the
whole document."""

from __future__ import annotations

import pytest

from parsers.dispatch import parse_document
from reportgen.corpus import corpus
from reportgen.pdf import CID, EMBEDDED, render_pdf
from reportgen.truth import ReportTruth


@pytest.fixture(scope="module")
def truth() -> ReportTruth:
    return corpus(1, 2)[1]


def test_a_font_pdfminer_cannot_read_loses_only_the_runs_pdfium_left_out(truth: ReportTruth) -> None:
    # The CID font is not embedded: pdfium leaves out its lone glyphs, which are read back from
    # the content stream with pdfminer's fonts. A font descriptor with a key and no value is a
    # dictionary pdfminer refuses, while pdfium draws the font all the same.
    data = render_pdf(truth, font=CID)
    damaged = data.replace(b"/ItalicAngle 0", b"/ItalicAngle  ", 1)
    assert damaged != data and len(damaged) == len(data)
    whole = parse_document(data, filename="report.pdf")
    report = parse_document(damaged, filename="report.pdf")
    assert (whole.status, whole.cells) == ("ok", truth.cells)
    assert (report.status, report.crashed, report.error) == ("partial", False, None)
    # What pdfium read stands: most cells, each equal to the truth.
    assert len(report.cells) > len(truth.cells) / 2
    assert all(truth.cells[key] == value for key, value in report.cells.items())
    lost = [w for w in report.warnings if "lost: pdfminer cannot read the page either" in w]
    assert lost and all("PdfminerException: Invalid dictionary construct" in w for w in lost)
    assert all(len(w) < 300 for w in lost)  # pdfminer quotes the whole damaged object: cut short


def test_a_page_pdfium_cannot_load_is_left_out_and_the_others_read(truth: ReportTruth) -> None:
    data = render_pdf(truth, font=EMBEDDED)
    # reportlab writes the last page as object 7: an array where its dictionary was.
    damaged = data.replace(b"7 0 obj\n<<", b"7 0 obj\n[[", 1)
    assert damaged != data
    report = parse_document(damaged, filename="report.pdf")
    assert report.error is None and report.cells
    assert all(truth.cells[key] == value for key, value in report.cells.items())
    assert "page 5 cannot be loaded (Failed to load page.): a damaged page, left out" in report.warnings


def test_a_pdf_none_of_whose_pages_loads_is_an_error_not_a_crash(truth: ReportTruth) -> None:
    data = render_pdf(truth, font=EMBEDDED)
    damaged = data.replace(b"/Type /Page\n", b"/Type /Pagx\n")
    report = parse_document(damaged, filename="report.pdf")
    assert (report.status, report.crashed) == ("error", False)
    assert report.error is not None and report.error.startswith("corrupt PDF")
