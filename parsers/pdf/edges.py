"""Ruling lines of a PDF page, read from pdfium's path objects.

pdfplumber finds ruled tables from edges, but gets them by running pdfminer over the
whole page (every glyph included), which is most of its cost. pdfium walks the page's
objects in C, so we collect the straight horizontal and vertical path segments here, as
the edges of pdfplumber's table geometry (which `grid` reproduces on plain tuples).
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
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
# A rectangle path: move, three lines and a closing line (or the close flag alone).
_RECTANGLE_SEGMENTS = (4, 5)
# Bounds are pdfium's floats: a rule read from them must be thin and long with a margin around
# the straightness tolerance the walk applies to each segment.
_THIN = _STRAIGHT_TOLERANCE - 0.1
_LONG = _STRAIGHT_TOLERANCE + 0.1
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
    _Walk(found).collect(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, _IDENTITY, 0)
    return found


# pdfium's functions, looked up once: a browser-printed page asks them tens of thousands of times.
_get_type = pdfium_c.FPDFPageObj_GetType
_get_bounds = pdfium_c.FPDFPageObj_GetBounds
_get_matrix = pdfium_c.FPDFPageObj_GetMatrix
_get_draw_mode = pdfium_c.FPDFPath_GetDrawMode
_count_segments = pdfium_c.FPDFPath_CountSegments
_get_segment = pdfium_c.FPDFPath_GetPathSegment
_get_point = pdfium_c.FPDFPathSegment_GetPoint
_segment_type = pdfium_c.FPDFPathSegment_GetType
_segment_closes = pdfium_c.FPDFPathSegment_GetClose
_TEXT, _PATH, _IMAGE, _FORM = (
    pdfium_c.FPDF_PAGEOBJ_TEXT,
    pdfium_c.FPDF_PAGEOBJ_PATH,
    pdfium_c.FPDF_PAGEOBJ_IMAGE,
    pdfium_c.FPDF_PAGEOBJ_FORM,
)
_MOVETO, _LINETO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO
_new_tuple = tuple.__new__


class _Walk:
    # One page's walk, with one set of out-parameters for every query it makes (bounds, matrix,
    # draw mode, segment point): allocating them and their references per object was most of
    # what asking cost.

    def __init__(self, found: PageObjects) -> None:
        self.found = found
        self.left, self.bottom, self.right, self.top = (ctypes.c_float() for _ in range(4))
        self.bounds = tuple(ctypes.byref(v) for v in (self.left, self.bottom, self.right, self.top))
        self.matrix = pdfium_c.FS_MATRIX()
        self.matrix_ref = ctypes.byref(self.matrix)
        self.fill, self.stroke = ctypes.c_int(0), ctypes.c_int(0)
        self.modes = (ctypes.byref(self.fill), ctypes.byref(self.stroke))
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.point = (ctypes.byref(self.x), ctypes.byref(self.y))

    def collect(
        self,
        container: Handle,
        count: Callable[[Handle], int],
        get: Callable[[Handle, int], Handle],
        outer: Matrix,
        depth: int,
    ) -> None:
        # Objects in drawing order, descending into form XObjects; an object's own matrix is read
        # only where it is needed (paths, forms). A plain loop, not a generator: a page holds
        # hundreds of objects and this is the page's hottest Python.
        found = self.found
        texts = found.texts
        left, bottom, right = self.left, self.bottom, self.right
        bounds = self.bounds
        objects = count(container)
        found.objects += objects
        if found.objects > MAX_PAGE_OBJECTS:
            # Reading them would take minutes of Python per million, and no report needs them.
            raise DocumentError(f"PDF page draws more than {MAX_PAGE_OBJECTS} objects")
        for i in range(objects):
            obj = get(container, i)
            kind = _get_type(obj)
            if kind == _TEXT:
                # Every font's runs are measured, embedded ones too: an embedded CJK font pdfium
                # cannot load is substituted like a missing one, and its lone glyphs drop the same
                # way. Inline, and the tuple made by tuple.__new__: a browser's page shows a run per
                # word, five hundred a page.
                if _get_bounds(obj, *bounds):
                    x = left.value
                    texts.append(_new_tuple(TextObject, (obj, (x, bottom.value), right.value - x >= _ZERO_WIDTH)))
                else:
                    texts.append(TextObject(obj, (0.0, 0.0), measured=True))
            elif kind == _PATH:
                if self.is_visible(obj) and not (outer is _IDENTITY and self.thin_rectangle(obj)):
                    self.path_edges(obj, _compose(self.object_matrix(obj), outer))
            elif kind == _IMAGE:
                found.images += 1
            elif kind == _FORM and depth < MAX_FORM_DEPTH:
                matrix = _compose(self.object_matrix(obj), outer)
                self.collect(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, matrix, depth + 1)

    def object_matrix(self, obj: Handle) -> Matrix:
        m = self.matrix
        if not _get_matrix(obj, self.matrix_ref):
            return _IDENTITY
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def is_visible(self, obj: Handle) -> bool:
        self.fill.value = self.stroke.value = 0
        if not _get_draw_mode(obj, *self.modes):
            return True
        return self.fill.value != pdfium_c.FPDF_FILLMODE_NONE or bool(self.stroke.value)

    def thin_rectangle(self, obj: Handle) -> bool:
        """Add the edges of a filled rule: a browser draws each border as a rectangle a pixel
        thick (`re f`), hundreds a page, and walking its five segments is twenty pdfium calls
        where its bounds are one. Its long sides are its two edges, as the walk finds them.
        Only unstroked paths (a stroke widens the bounds by its width) of a rectangle's
        segment count, on the page itself (bounds are in the page's space), clearly thin and
        clearly long; anything else is walked."""
        if self.stroke.value or _count_segments(obj) not in _RECTANGLE_SEGMENTS or not _get_bounds(obj, *self.bounds):
            return False
        left, bottom, right, top = self.left.value, self.bottom.value, self.right.value, self.top.value
        if top - bottom <= _THIN and right - left > _LONG:
            self.found.edges += (Edge("h", left, right, -bottom, -bottom), Edge("h", left, right, -top, -top))
            return True
        if right - left <= _THIN and top - bottom > _LONG:
            self.found.edges += (Edge("v", left, left, -top, -bottom), Edge("v", right, right, -top, -bottom))
            return True
        return False

    def path_edges(self, obj: Handle, matrix: Matrix) -> None:
        # The path's straight pieces as edges, closing each subpath that asks to be closed.
        a, b, c, d, e, f = matrix
        edges, x, y, point = self.found.edges, self.x, self.y, self.point
        current: Point | None = None
        start: Point | None = None
        for i in range(_count_segments(obj)):
            segment = _get_segment(obj, i)
            _get_point(segment, *point)
            px, py = x.value, y.value
            here = (a * px + c * py + e, b * px + d * py + f)
            kind = _segment_type(segment)
            if kind == _MOVETO:
                # A move's close flag (a lone `m h`) would close a piece of no length: not asked.
                start = current = here
                continue
            if kind == _LINETO and current is not None:
                _add_edge(edges, current, here)
            current = here
            if start is not None and _segment_closes(segment):
                _add_edge(edges, here, start)
                current = start


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    # Point p maps to outer(inner(p)), PDF row-vector convention.
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _add_edge(edges: list[Edge], start: Point, end: Point) -> None:
    # pdfplumber's edges live in a y-down space; negating y keeps the order right
    # without knowing the page height.
    (x0, y0), (x1, y1) = start, end
    if abs(y0 - y1) <= _STRAIGHT_TOLERANCE and abs(x0 - x1) > _STRAIGHT_TOLERANCE:
        top = -(y0 + y1) / 2
        edges.append(Edge("h", min(x0, x1), max(x0, x1), top, top))
    elif abs(x0 - x1) <= _STRAIGHT_TOLERANCE and abs(y0 - y1) > _STRAIGHT_TOLERANCE:
        x = (x0 + x1) / 2
        edges.append(Edge("v", x, x, -max(y0, y1), -min(y0, y1)))


def make_edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> Edge:
    return Edge(orientation, x0, x1, top, bottom)
