"""Text PDF and image-only PDF renderings, read back with pdfplumber."""

from __future__ import annotations

import io
from functools import cache

import pdfplumber
import pypdfium2
import pytest

from parsers.keys import APPLICATION_COLUMNS
from reportgen.corpus import corpus
from reportgen.image_pdf import render_image_pdf
from reportgen.pdf import render_pdf
from reportgen.truth import ReportTruth


def _printed(truth: ReportTruth, key: str) -> set[str | None]:
    value = truth.cells.get(key)
    if value is None:
        return {"", None}
    if isinstance(value, int):
        return {str(value), f"{value:,}"}
    return {format(value, "f"), format(value, ",f")}


@cache
def _read(truth: ReportTruth) -> tuple[list[str], list[list[list[str | None]]]]:
    """Page texts and ruled tables of the truth's PDF; pdfplumber is slow, so read once."""
    with pdfplumber.open(io.BytesIO(render_pdf(truth))) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
        tables = [t for page in pdf.pages for t in page.extract_tables()]
    return texts, tables


def _fast_texts(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_pdf_text_carries_title_agency_sections_and_values(truth: ReportTruth) -> None:
    texts, _ = _read(truth)
    assert len(texts) > 1
    flat = "".join(t.replace("\n", "") for t in texts)
    assert truth.title in flat
    assert truth.agency in flat
    assert f"本报告统计数据从{truth.year}年1月1日至12月31日" in flat
    assert "一、总体情况" in flat and "六、其他需要报告的事项" in flat
    pub = truth.published_on
    assert f"{pub.year}年{pub.month}月{pub.day}日" in texts[-1]
    assert texts[0].rstrip().endswith("- 1 -")


def test_pdf_tables_are_ruled_and_hold_the_values(truth: ReportTruth) -> None:
    _, tables = _read(truth)
    assert len(tables) >= 3
    rows = [row for table in tables for row in table]
    total_row = next(r for r in rows if "（七）总计" in r)
    for column, text in zip(APPLICATION_COLUMNS, total_row[-7:], strict=True):
        assert text in _printed(truth, f"applications.results_total.{column}"), column
    fee_row = next(r for r in rows if r[0] == "行政事业性收费")
    measure = "amount_10k_cny" if truth.generation == "2021" else "prior_year_items"
    assert fee_row[1] in _printed(truth, f"proactive.fees.{measure}")


def test_section_three_breaks_across_pages(truth: ReportTruth) -> None:
    texts, _ = _read(truth)
    first = next(i for i, t in enumerate(texts) if "一、本年新收政府信息公开申请数量" in t)
    last = next(i for i, t in enumerate(texts) if "四、结转下年度继续办理" in t)
    assert last > first


def test_vertical_label_is_stacked_one_character_per_line(truth: ReportTruth) -> None:
    text = "\n".join(_read(truth)[0])
    lines = [line.split(" ") for line in text.split("\n")]
    singles = [part for line in lines for part in line if part in set("三、本年度办理结果")]
    assert len(singles) >= 5


def test_header_repetition_varies_between_reports() -> None:
    repeated = []
    for truth in corpus(5, 12):
        texts = _fast_texts(render_pdf(truth))
        repeated.append(sum(t.count("申请人情况") for t in texts) > 1)
    assert any(repeated) and not all(repeated)


def test_pdf_is_deterministic(truth: ReportTruth) -> None:
    assert render_pdf(truth) == render_pdf(truth)


@pytest.fixture(scope="module")
def scanned() -> tuple[ReportTruth, bytes]:
    truth = corpus(8, 1)[0]
    return truth, render_image_pdf(truth)


def test_image_pdf_has_pages_and_no_text_layer(scanned: tuple[ReportTruth, bytes]) -> None:
    truth, data = scanned
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == len(_fast_texts(render_pdf(truth)))
        for page in pdf.pages:
            assert (page.extract_text() or "") == ""
            assert not page.chars
            assert len(page.images) == 1


def test_image_pdf_is_deterministic(scanned: tuple[ReportTruth, bytes]) -> None:
    truth, data = scanned
    assert render_image_pdf(truth) == data
