"""Spreadsheet attachments and articles split over several pages."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from parsers.dispatch import parse_document
from parsers.model import Hints
from replica.articles import split_fragment
from replica.workbook import render_workbook
from reportgen.html import render_report_html
from reportgen.truth import random_truth


@pytest.mark.parametrize("seed", range(4))
def test_xlsx_tables_give_the_true_cells(seed: int) -> None:
    truth = random_truth(random.Random(seed), blank_cells=seed % 2 == 0)
    parsed = parse_document(
        render_workbook(truth), filename="P0.xlsx", hints=Hints(agency=truth.agency, year=truth.year)
    )
    assert parsed.status == "ok"
    assert (parsed.generation, parsed.cells) == (truth.generation, truth.cells)
    assert {c.rule: c.ok for c in parsed.checks} == truth.expected_checks()


def test_a_zip_that_is_no_office_document_is_an_error() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    parsed = parse_document(buffer.getvalue(), filename="P0.xlsx")
    assert parsed.status == "error" and "neither a DOCX nor an XLSX" in (parsed.error or "")


def test_continuation_pages_complete_a_split_article() -> None:
    truth = random_truth(random.Random(11), generation="2021")
    first, second = split_fragment(render_report_html(truth))
    page = "<html><head><meta charset='utf-8'></head><body><div class='TRS_UEDITOR'>{}</div></body></html>"
    head, tail = page.format(first).encode(), page.format(second).encode()
    alone = parse_document(head, filename="t.html")
    joined = parse_document(head, filename="t.html", continuation=[tail])
    assert len(alone.cells) < len(truth.cells)
    assert joined.cells == truth.cells and joined.agency == truth.agency
