"""Round trip: render a random truth in every format, parse it back, get the truth.

Covers both template generations, each broken rule, blank cells and the mixed 2021
layout with a single （六）其他处理 row; the image-only PDF must come back needs_ocr.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from parsers.dispatch import parse_document
from reportgen.docx import render_docx
from reportgen.html import render_article_html
from reportgen.image_pdf import render_image_pdf
from reportgen.pdf import EMBEDDED, render_pdf
from reportgen.rules import RULES
from reportgen.truth import ReportTruth, random_truth

Render = Callable[[ReportTruth], bytes]

FORMATS: dict[str, tuple[Render, str, str]] = {
    "html": (lambda t: render_article_html(t).encode(), "t20240125_1.html", "text/html"),
    "html_word_pasted": (lambda t: render_article_html(t, word_pasted=True).encode(), "t20240125_2.html", "text/html"),
    "pdf": (render_pdf, "P020240125.pdf", "application/pdf"),
    # A TrueType subset embedded, as Word and WPS export: pdfium measures every glyph itself.
    "pdf_embedded_font": (lambda t: render_pdf(t, font=EMBEDDED), "P020240126.pdf", "application/pdf"),
    "docx": (
        render_docx,
        "P020240125.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


@st.composite
def truths(draw: st.DrawFn) -> ReportTruth:
    """Random truths over the knobs the generator offers; invalid combinations rejected."""
    seed = draw(st.integers(0, 2**32 - 1))
    generation = draw(st.sampled_from([None, "2019", "2021"]))
    year = {None: None, "2019": draw(st.integers(2019, 2020)), "2021": draw(st.integers(2021, 2025))}[generation]
    try:
        return random_truth(
            random.Random(seed),
            generation=generation,
            year=year,
            break_rule=draw(st.sampled_from([None, *RULES])),
            blank_cells=draw(st.booleans()),
            mixed_other_handling=generation == "2021" and draw(st.booleans()),
        )
    except ValueError:
        assume(False)
        raise


def assert_round_trip(truth: ReportTruth, fmt: str) -> None:
    render, filename, media_type = FORMATS[fmt]
    report = parse_document(render(truth), filename=filename, media_type=media_type)
    assert report.status in ("ok", "partial"), report.error
    assert report.cells == truth.cells
    assert (report.agency, report.year, report.generation) == (truth.agency, truth.year, truth.generation)
    assert report.published_on == truth.published_on
    assert {check.rule: check.ok for check in report.checks} == truth.expected_checks()


@pytest.mark.parametrize("fmt", list(FORMATS))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(truth=truths())
def test_every_format_parses_back_to_the_truth(fmt: str, truth: ReportTruth) -> None:
    assert_round_trip(truth, fmt)


@settings(max_examples=3, deadline=None)
@given(truth=truths())
def test_image_only_pdf_needs_ocr(truth: ReportTruth) -> None:
    report = parse_document(render_image_pdf(truth), filename="scan.pdf", media_type="application/pdf")
    assert report.status == "needs_ocr"
    assert report.cells == {}


@settings(max_examples=3, deadline=None)
@given(truth=truths())
def test_embedded_font_pdf_needs_no_recovery(truth: ReportTruth) -> None:
    # A loadable embedded font is measured by pdfium itself: nothing to read back from the stream.
    report = parse_document(render_pdf(truth, font=EMBEDDED), filename="report.pdf")
    assert report.cells == truth.cells
    assert not [w for w in report.warnings if "without glyph metrics" in w]


def test_embedded_font_pdfium_cannot_load_loses_no_glyph() -> None:
    # An embedded font program that is corrupt is substituted like a missing font: on a host
    # without a CJK font its lone glyphs go unmeasured too, and must be read back all the same.
    truth = random_truth(random.Random(5), generation="2021", year=2023)
    data = render_pdf(truth, font=EMBEDDED)
    program = re.search(rb"/Length1 \d+[^>]*>>\s*stream\r?\n", data)
    assert program is not None, "reportlab's embedded TrueType program not found"
    end = data.index(b"endstream", program.end())
    garbled = bytes((b * 7 + 3) % 256 for b in data[program.end() : end])
    report = parse_document(data[: program.end()] + garbled + data[end:], filename="report.pdf")
    assert report.cells == truth.cells
