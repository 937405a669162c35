"""PDFs exported by LibreOffice and Chromium read to their truth, cell for cell.

These producers paginate on their own: the section-3 table breaks across pages between rows
and inside one (a label's first characters at the foot of one page, the rest at the head of
the next), its heading row repeats, and Chromium cuts text into a run per word. Rendered
once by tests/parsers/office_fixtures.py and checked in.
"""

from __future__ import annotations

import logging

import pytest

from parsers.dispatch import parse_document
from tests.parsers.office_fixtures import OfficePdf, office_pdfs

OFFICE_PDFS = office_pdfs()


def test_the_office_fixtures_hold_both_producers_and_both_templates() -> None:
    assert {(d.producer, d.generation) for d in OFFICE_PDFS} == {
        ("libreoffice", "2019"),
        ("libreoffice", "2021"),
        ("chromium", "2019"),
        ("chromium", "2021"),
        ("chromium-print", "2019"),
    }


@pytest.mark.parametrize("document", OFFICE_PDFS, ids=lambda d: d.path.name)
def test_an_office_exported_pdf_reads_every_cell(document: OfficePdf) -> None:
    report = parse_document(document.path.read_bytes(), filename="report.pdf")
    missing = sorted(set(document.cells) - set(report.cells))
    wrong = {k: (report.cells[k], v) for k, v in document.cells.items() if k in report.cells and report.cells[k] != v}
    extra = sorted(set(report.cells) - set(document.cells))
    assert (missing, wrong, extra) == ([], {}, []), report.warnings
    assert report.status == "ok", report.warnings


def test_a_browser_printed_pdf_floods_no_log(caplog: pytest.LogCaptureFixture) -> None:
    # Its header font's descriptor has no FontBBox: pdfminer warned once per text run read back.
    (printed,) = [d for d in OFFICE_PDFS if d.producer == "chromium-print"]
    with caplog.at_level(logging.WARNING):
        parse_document(printed.path.read_bytes(), filename="report.pdf")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pdfminer")] == []
