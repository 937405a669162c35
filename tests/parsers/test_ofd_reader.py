"""OFD documents (parsers.ofd): read cell for cell as their PDFs are, in both ways writers lay
them out; a broken package is an error that says why, never a crash. Before, every OFD was
"an OFD document; not supported"."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile

import pytest

from parsers.dispatch import parse_document
from parsers.ofd import _deltas, _glyphs
from reportgen.corpus import corpus
from reportgen.ofd import NS, render_ofd, render_scanned_ofd
from reportgen.truth import ReportTruth

TRUTHS = corpus(4, 4)


@pytest.mark.parametrize("glyphwise", [False, True], ids=["line-objects", "glyph-objects"])
@pytest.mark.parametrize("truth", TRUTHS, ids=[f"report-{i}" for i in range(len(TRUTHS))])
def test_an_ofd_report_reads_every_cell(truth: ReportTruth, glyphwise: bool) -> None:
    report = parse_document(render_ofd(truth, glyphwise=glyphwise), filename="P020240125.ofd")
    assert (report.status, report.error) == ("ok", None), report.warnings
    assert (report.agency, report.year, report.cells) == (truth.agency, truth.year, truth.cells)


@pytest.mark.slow
def test_a_scanned_ofd_is_read_by_ocr_from_its_page_images() -> None:
    # Each page one JPEG (a MultiMedia of PublicRes) drawn over the whole page, and no text.
    truth = TRUTHS[1]
    report = parse_document(render_scanned_ofd(truth), filename="scan.ofd")
    assert report.status == "ok", report.warnings
    assert (report.agency, report.year, report.cells) == (truth.agency, truth.year, truth.cells)
    assert "page 1: images but no text (scanned page, read by OCR)" in report.warnings
    assert report.source == "ocr"  # every page: stored as read by OCR, as scanned PDFs are


def test_page_numbers_are_furniture_and_the_sections_are_read() -> None:
    report = parse_document(render_ofd(TRUTHS[0]), filename="report.ofd")
    assert all("- 1 -" not in text and "- 2 -" not in text for text in report.sections.values())
    assert report.sections.get("overview")


def test_delta_x_spells_runs_of_one_advance_with_g() -> None:
    assert _deltas("g 3 4.2 2.1 g 2 1", 10) == [4.2, 4.2, 4.2, 2.1, 1.0, 1.0]
    assert _deltas("", 5) == [] and _deltas("x 1 g", 5) == [1.0]  # what cannot be read is skipped
    assert _deltas("g 1000000000 1", 3) == [1.0, 1.0, 1.0]  # no more than the text has glyphs


def test_without_delta_x_digits_advance_half_an_em() -> None:
    # A number in a narrow cell: at a full em each, its last digits would fall in the next cell.
    element = ET.fromstring(
        f'<ofd:TextObject xmlns:ofd="{NS}" Boundary="10 20 30 5" Size="4">'
        '<ofd:TextCode X="0" Y="4">总12,345</ofd:TextCode></ofd:TextObject>'
    )
    lefts = [round(g.left / (72 / 25.4), 3) for g in _glyphs(element)]
    assert lefts == [10.0, 14.0, 16.0, 18.0, 20.0, 22.0, 24.0]


def _package(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


_ROOT = f'<ofd:OFD xmlns:ofd="{NS}"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>'
_DOCUMENT = (
    f'<ofd:Document xmlns:ofd="{NS}"><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>'
    "</ofd:Pages></ofd:Document>"
)
_IMAGE_PAGE = (
    f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="2">'
    '<ofd:ImageObject ID="3" Boundary="0 0 210 297" ResourceID="9"/></ofd:Layer></ofd:Content></ofd:Page>'
)

BROKEN = {
    "no DocRoot": ({"OFD.xml": f'<ofd:OFD xmlns:ofd="{NS}"><ofd:DocBody/></ofd:OFD>'}, "names no DocRoot"),
    "a part that is missing": ({"OFD.xml": _ROOT}, "Doc_0/Document.xml is not in the package"),
    "XML that is not well-formed": (
        {"OFD.xml": _ROOT, "Doc_0/Document.xml": "<ofd:Document"},
        "Doc_0/Document.xml is not well-formed XML",
    ),
    "an encoding nobody knows": (
        {"OFD.xml": '<?xml version="1.0" encoding="UTF-0"?>' + _ROOT},
        "OFD.xml is not well-formed XML",
    ),
    "no pages": (
        {"OFD.xml": _ROOT, "Doc_0/Document.xml": f'<ofd:Document xmlns:ofd="{NS}"/>'},
        "lists no pages",
    ),
    "a page that is missing": (
        {"OFD.xml": _ROOT, "Doc_0/Document.xml": _DOCUMENT},
        "Doc_0/Pages/Page_0/Content.xml is not in the package",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_ofd_is_an_error_that_says_why(case: str) -> None:
    parts, reason = BROKEN[case]
    report = parse_document(_package(parts), filename="report.ofd")
    assert (report.status, report.crashed) == ("error", False)
    assert reason in (report.error or "")


def test_a_page_that_draws_millions_of_glyphs_is_refused_before_it_is_read() -> None:
    page = (
        f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="2"><ofd:TextObject ID="3" Boundary="0 0 9 9" '
        f'Size="3"><ofd:TextCode X="0" Y="3">{"字" * 300_000}</ofd:TextCode></ofd:TextObject></ofd:Layer>'
        "</ofd:Content></ofd:Page>"
    )
    data = _package({"OFD.xml": _ROOT, "Doc_0/Document.xml": _DOCUMENT, "Doc_0/Pages/Page_0/Content.xml": page})
    report = parse_document(data, filename="bomb.ofd")
    assert (report.status, report.crashed) == ("error", False)
    assert "draws more than 200000 glyphs" in (report.error or "")


def test_an_ofd_of_images_only_needs_ocr() -> None:
    data = _package({"OFD.xml": _ROOT, "Doc_0/Document.xml": _DOCUMENT, "Doc_0/Pages/Page_0/Content.xml": _IMAGE_PAGE})
    report = parse_document(data, filename="scan.ofd")
    assert report.status == "needs_ocr"
    assert any("image-only OFD" in w for w in report.warnings)
