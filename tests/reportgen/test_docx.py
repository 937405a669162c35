"""DOCX rendering, read back with python-docx."""

from __future__ import annotations

import io
from functools import cache

import docx
from docx.oxml.ns import qn

from parsers.keys import APPLICATION_COLUMNS, REVIEW_GROUPS, REVIEW_MEASURES
from reportgen import labels
from reportgen.docx import render_docx
from reportgen.truth import ReportTruth


def _printed(truth: ReportTruth, key: str) -> set[str]:
    value = truth.cells.get(key)
    if value is None:
        return {""}
    if isinstance(value, int):
        return {str(value), f"{value:,}"}
    return {format(value, "f"), format(value, ",f")}


@cache
def _rendered(truth: ReportTruth) -> bytes:
    return render_docx(truth)


def _open(truth: ReportTruth) -> docx.document.Document:
    return docx.Document(io.BytesIO(_rendered(truth)))


def test_docx_has_three_tables_of_the_template(truth: ReportTruth) -> None:
    document = _open(truth)
    proactive, applications, review = document.tables
    assert len(proactive.columns) == 4
    assert len(applications.columns) == 10
    assert len(review.columns) == 15
    n_result_rows = 20 if truth.generation == "2019" or truth.mixed_other_handling else 22
    assert len(applications.rows) == 3 + 2 + n_result_rows + 1


def test_docx_values_sit_in_their_rows(truth: ReportTruth) -> None:
    applications, review = _open(truth).tables[1:]
    for row in applications.rows[3:]:
        texts = [c.text for c in row.cells]
        if texts[2] == "（七）总计":
            assert texts[0] == labels.RESULTS_BLOCK_LABEL  # vertical merge repeats the label
            for column, text in zip(APPLICATION_COLUMNS, texts[3:], strict=True):
                assert text in _printed(truth, f"applications.results_total.{column}")
            break
    else:
        raise AssertionError("no （七）总计 row")
    values = [c.text for c in review.rows[-1].cells]
    keys = [f"review_litigation.{g}.{m}" for g in REVIEW_GROUPS for m in REVIEW_MEASURES]
    assert all(text in _printed(truth, key) for text, key in zip(values, keys, strict=True))


def test_docx_merges_cells_like_the_template(truth: ReportTruth) -> None:
    applications = _open(truth).tables[1]
    first = applications.rows[1].cells
    org = [c for c in first if c.text == labels.ORGANISATION_GROUP_LABEL]
    assert len(org) == 5 and all(c._tc is org[0]._tc for c in org)  # one merged cell
    vertical = applications._tbl.xpath(".//w:textDirection")
    assert vertical and vertical[0].get(qn("w:val")) == "tbRlV"


def test_docx_text_and_metadata(truth: ReportTruth) -> None:
    document = _open(truth)
    text = "\n".join(p.text for p in document.paragraphs)
    assert truth.agency in text
    assert f"本报告统计数据从{truth.year}年1月1日至12月31日" in text
    assert document.core_properties.title == truth.title
    assert document.core_properties.created.date() == truth.published_on


def test_docx_is_deterministic(truth: ReportTruth) -> None:
    assert render_docx(truth) == _rendered(truth)
