"""The page walk reads a thin filled rectangle (a browser's border, a Word-style rule) from its
bounds instead of its segments (speed), and finds the same edges the segment walk finds:
on every page of the Chromium-exported fixtures, and on rules drawn every way the shortcut
must leave to the walk (stroked, inside a form, thick, rotated)."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from parsers.pdf import edges
from parsers.pdf.edges import Edge, scan_page

OFFICE = Path(__file__).parents[1] / "fixtures" / "office"


def page_edges(data: bytes, walk_only: bool, monkeypatch: pytest.MonkeyPatch) -> list[list[Edge]]:
    """Every page's edges, sorted (the shortcut may give a rectangle's two sides in the other order)."""
    with monkeypatch.context() as patch:
        if walk_only:
            patch.setattr(edges._Walk, "thin_rectangle", lambda self, obj: False)
        pdf = pdfium.PdfDocument(data)
        try:
            pages = []
            for index in range(len(pdf)):
                page = pdf[index]
                pages.append(sorted(scan_page(page).edges))
                page.close()
            return pages
        finally:
            pdf.close()


def shortcuts_taken(data: bytes, monkeypatch: pytest.MonkeyPatch) -> int:
    taken = []
    original = edges._Walk.thin_rectangle

    def counting(self: edges._Walk, obj: edges.Handle) -> bool:
        found = original(self, obj)
        taken.append(found)
        return found

    with monkeypatch.context() as patch:
        patch.setattr(edges._Walk, "thin_rectangle", counting)
        page_edges(data, False, monkeypatch)
    return sum(taken)


@pytest.mark.parametrize("path", sorted(OFFICE.glob("chromium-*.pdf")), ids=lambda p: p.name)
def test_a_browsers_borders_give_the_walks_edges(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    assert shortcuts_taken(data, monkeypatch) > 100  # Chromium draws every border as a thin rectangle
    assert page_edges(data, False, monkeypatch) == page_edges(data, True, monkeypatch)


def rules_every_way() -> bytes:
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4)
    canvas.setFillColor(black)
    canvas.rect(100, 700, 200, 0.5, stroke=0, fill=1)  # a thin rule across: taken from its bounds
    canvas.rect(100, 500, 0.75, 180, stroke=0, fill=1)  # and down
    canvas.setLineWidth(0.1)  # thin enough that the stroked rule's bounds still look like a rule
    canvas.rect(100, 650, 200, 0.5, stroke=1, fill=1)  # stroked: its bounds grow by the stroke, walked
    canvas.setLineWidth(1)
    canvas.rect(100, 600, 200, 30, stroke=0, fill=1)  # a filled box, four edges: walked
    canvas.rect(100, 590, 0.5, 0.5, stroke=0, fill=1)  # a dot: no edge either way
    canvas.saveState()
    canvas.translate(300, 300)
    canvas.rotate(30)
    canvas.rect(0, 0, 150, 0.5, stroke=0, fill=1)  # slanted: no edge either way
    canvas.restoreState()
    canvas.beginForm("rule")
    canvas.rect(0, 0, 120, 0.5, stroke=0, fill=1)
    canvas.endForm()
    canvas.saveState()
    canvas.translate(150, 200)
    canvas.doForm("rule")  # inside a form, bounds are in the form's space: walked
    canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def test_rules_drawn_every_way_give_the_walks_edges(monkeypatch: pytest.MonkeyPatch) -> None:
    data = rules_every_way()
    (shortcut,) = page_edges(data, False, monkeypatch)
    (walked,) = page_edges(data, True, monkeypatch)
    assert shortcut == walked
    assert shortcuts_taken(data, monkeypatch) == 2
    # The two thin rules' long sides, the stroked one's, the box's four sides, the form's rule.
    assert len(walked) == 2 + 2 + 2 + 4 + 2
