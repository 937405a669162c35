"""Ruling lines of a PDF page, read from pdfium's path objects.

pdfplumber finds ruled tables from edges, but gets them by running pdfminer over the
whole page (every glyph included), which is most of its cost. pdfium walks the page's
objects in C, so we collect the straight horizontal and vertical path segments here, as
the edges of pdfplumber's table geometry (which `grid` reproduces on plain tuples).
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.errors import DocumentError

# pdfium object handles (FPDF_PAGEOBJECT, FPDF_PAGE) are ctypes pointers, untyped in pypdfium2.
Handle = Any
Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]

# Segments thinner than this (in points) along one axis count as straight.
_STRAIGHT_TOLERANCE = 1.0
_ZERO_WIDTH = 0.01
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# Word-built PDFs nest forms rarely and shallowly; a cap keeps hostile nesting cheap.
MAX_FORM_DEPTH = 4
# Pages of real reports hold a few thousand text runs and ruling lines.
MAX_PAGE_OBJECTS = 100_000


class Edge(NamedTuple):
    """A straight ruling line in pdfplumber's y-down space (y negated: the order is right without
    the page height). A tuple: a page of a browser-printed table makes thousands."""

    orientation: str  # "h" or "v"
    x0: float
    x1: float
    top: float
    bottom: float


class TextObject(NamedTuple):
    """One pdfium text object: its handle (valid while the page is open) and where it starts.

    A tuple, not a dataclass: a page makes hundreds, and a tuple is made several times faster.

    `measured` is False for objects of zero width: pdfium cannot measure glyphs of a
    non-embedded (or unloadable embedded) CJK font when the host has no CJK font to substitute, and its text
    page then drops runs of a single glyph (a character alone on its line).
    """

    handle: Handle
    origin: Point
    measured: bool


@dataclass
class PageObjects:
    """What a page is drawn with: its ruling edges, images, and text objects in drawing order."""

    edges: list[Edge] = field(default_factory=list)
    images: int = 0
    texts: list[TextObject] = field(default_factory=list)
    objects: int = 0  # every object walked, forms' included

    @property
    def unmeasured(self) -> list[Point]:
        """Where the text runs start that pdfium's text page leaves out."""
        return [t.origin for t in self.texts if not t.measured]


def scan_page(page: pdfium.PdfPage) -> PageObjects:
    """Collect straight path segments (as pdfplumber edges), text objects, and count images."""
    found = PageObjects()
    _collect(found, page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, _IDENTITY, 0)
    return found


def _collect(
    found: PageObjects,
    container: Handle,
    count: Callable[[Handle], int],
    get: Callable[[Handle, int], Handle],
    outer: Matrix,
    depth: int,
) -> None:
    # Objects in drawing order, descending into form XObjects; an object's own matrix is read
    # only where it is needed (paths, forms). A plain loop, not a generator: a page holds
    # hundreds of objects and this is the page's hottest Python.
    get_type, texts, bounds = pdfium_c.FPDFPageObj_GetType, found.texts, _Bounds()
    for i in range(count(container)):
        found.objects += 1
        if found.objects > MAX_PAGE_OBJECTS:
            # Reading them would take minutes of Python per million, and no report needs them.
            raise DocumentError(f"PDF page draws more than {MAX_PAGE_OBJECTS} objects")
        obj = get(container, i)
        kind = get_type(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            texts.append(bounds.text_object(obj))
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            if _is_visible(obj):
                found.edges.extend(_path_edges(obj, _compose(_object_matrix(obj), outer)))
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            found.images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
            matrix = _compose(_object_matrix(obj), outer)
            _collect(found, obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, matrix, depth + 1)


class _Bounds:
    # One set of out-parameters for every text object of a page: allocating four floats and
    # their references per object was most of what asking for its bounds cost.
    def __init__(self) -> None:
        self.left, self.bottom, self.right, self.top = (ctypes.c_float() for _ in range(4))
        self.refs = tuple(ctypes.byref(v) for v in (self.left, self.bottom, self.right, self.top))

    def text_object(self, obj: Handle) -> TextObject:
        # Every font's runs are measured, embedded ones too: an embedded CJK font pdfium cannot
        # load is substituted like a missing one, and its lone glyphs drop the same way.
        if not pdfium_c.FPDFPageObj_GetBounds(obj, *self.refs):
            return TextObject(obj, (0.0, 0.0), measured=True)
        width = self.right.value - self.left.value
        return TextObject(obj, (self.left.value, self.bottom.value), measured=width >= _ZERO_WIDTH)


def _object_matrix(obj: Handle) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    # Point p maps to outer(inner(p)), PDF row-vector convention.
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> Point:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _is_visible(obj: Handle) -> bool:
    fill, stroke = ctypes.c_int(0), ctypes.c_int(0)
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return True
    return fill.value != pdfium_c.FPDF_FILLMODE_NONE or bool(stroke.value)


def _path_edges(obj: Handle, matrix: Matrix) -> Iterator[Edge]:
    for start, end in _line_segments(obj, matrix):
        edge = _segment_to_edge(start, end)
        if edge is not None:
            yield edge


def _line_segments(obj: Handle, matrix: Matrix) -> Iterator[tuple[Point, Point]]:
    # Straight pieces of the path, closing each subpath that asks to be closed.
    current = subpath_start = None
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x_ref, y_ref)
        point = _apply(matrix, x.value, y.value)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            subpath_start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
            yield current, point
        current = point
        if pdfium_c.FPDFPathSegment_GetClose(segment) and subpath_start is not None:
            yield point, subpath_start
            current = subpath_start


def _segment_to_edge(start: Point, end: Point) -> Edge | None:
    # pdfplumber's edges live in a y-down space; negating y keeps the order right
    # without knowing the page height.
    (x0, y0), (x1, y1) = start, end
    if abs(y0 - y1) <= _STRAIGHT_TOLERANCE and abs(x0 - x1) > _STRAIGHT_TOLERANCE:
        left, right, top = min(x0, x1), max(x0, x1), -(y0 + y1) / 2
        return make_edge("h", left, right, top, top)
    if abs(x0 - x1) <= _STRAIGHT_TOLERANCE and abs(y0 - y1) > _STRAIGHT_TOLERANCE:
        x, top, bottom = (x0 + x1) / 2, -max(y0, y1), -min(y0, y1)
        return make_edge("v", x, x, top, bottom)
    return None


def make_edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> Edge:
    return Edge(orientation, x0, x1, top, bottom)
