"""OFD (GB/T 33190-2016, China's fixed-layout format) -> Document, page by page like a PDF.

An OFD is a zip of XML: OFD.xml names the document's Document.xml, which lists its pages'
Content.xml. A page draws TextObjects, whose TextCode elements carry Unicode text with each
glyph's advance (DeltaX, DeltaY, `g n v` for n advances of v), and PathObjects, whose
AbbreviatedData is a path (M, L, ..., C) in the object's Boundary; all in millimetres, y
down. The rules go through the PDF reader's table geometry (in points, as its tolerances
are), the glyphs are placed in the cells or in the text between the tables by their centres,
and the pages are joined as a PDF's are: page furniture dropped, a table broken across pages
joined. Templates (TemplatePage: running headers drawn behind every page) are not read. A
page of images and no text (a scan) is read by OCR from the largest image it draws (its
MultiMedia resource), as a scanned PDF page is.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from parsers.cjk import join_pieces, normalize_space
from parsers.document import Block, Document, Limits, TableBlock, TextBlock
from parsers.docx import check_container
from parsers.errors import DocumentError, NeedsOCR
from parsers.pdf.breaks import column_lines, join_pages
from parsers.pdf.edges import Edge, make_edge
from parsers.pdf.grid import Grid, find_grids

if TYPE_CHECKING:
    from parsers.ocr import OcrRead

MEDIA_TYPE = "application/ofd"
_OFD = "{http://www.ofdspec.org/2016}"
_TEXT, _PATH, _IMAGE = f"{_OFD}TextObject", f"{_OFD}PathObject", f"{_OFD}ImageObject"
_PT = 72 / 25.4  # points per millimetre: the table geometry's tolerances are in points
_LINE_TOLERANCE = 2.0  # points between baselines of one line
_CELL_INSET = 0.8  # points: glyphs touching a cell's border stay out
_STRAIGHT = 0.5  # points a rule may lean and still be straight
_FIELD_GAP = 1.5  # ems of space that separate two fields of a line
_MAX_OBJECTS = 200_000  # elements on one page: a report has a few thousand
_MAX_DRAWN = 200_000  # glyphs, and path segments, on one page: a report page has under 5,000
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class _Glyph:
    x: float  # centre, points, y down
    y: float
    baseline: float
    left: float
    size: float
    text: str


@dataclass
class _PageRead:
    glyphs: list[_Glyph] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    images: list[str] = field(default_factory=list)  # the resource IDs of the images it draws


def read_ofd(data: bytes, limits: Limits, charset: str | None = None) -> Document:
    """Read an OFD's text and ruled tables (`charset` is unused: OFD's XML declares its own).

    A page with images and no text (a scan) is read by OCR, within the OCR budget. Raises
    DocumentError for a broken or oversized package, NeedsOCR when no page has text and OCR
    read none on the images either."""
    check_container(data, limits, main_part="OFD.xml", kind="OFD")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        package = _Package(archive)
        document_name = _document_part(package.xml("OFD.xml"))
        document = package.xml(document_name)
        pages = _page_parts(document, document_name)
        if len(pages) > limits.max_pages:
            raise DocumentError(f"OFD of {len(pages)} pages exceeds the limit of {limits.max_pages}")
        reads = [_read_page(package.xml(name)) for name in pages]
        scanned = [i for i, r in enumerate(reads) if r.images and not r.glyphs]
        pictures = _scans(package, document, document_name, [reads[i] for i in scanned])
    ocr = _ocr(pictures, limits) if pictures else None
    read = {i: ocr.pages.get(k, []) for k, i in enumerate(scanned)} if ocr and ocr.read else {}
    if not any(r.glyphs for r in reads) and not read:
        if scanned:
            raise NeedsOCR(f"image-only OFD: none of its {len(reads)} pages has text, and OCR read no text")
        raise DocumentError("an OFD without text")
    blocks = join_pages([read.get(i) or _blocks(r, i + 1) for i, r in enumerate(reads)])
    warnings = [f"page {i + 1}: images but no text (scanned page, {_how(i in read)})" for i in scanned]
    warnings += [w for w in ocr.warnings if w not in warnings] if ocr and ocr.read else []
    return Document(
        blocks,
        MEDIA_TYPE,
        pages=len(reads),
        has_text_layer=len(scanned) < len(reads),
        warnings=warnings,
        ocr_pages=len(read),
    )


def _how(read: bool) -> str:
    return "read by OCR" if read else "OCR read no text"


class _Package:
    """The zip's parts by name (a part may be named with a leading slash)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive
        self._parts = {name.lstrip("/"): name for name in archive.namelist()}

    def has(self, name: str) -> bool:
        return name in self._parts

    def read(self, name: str) -> bytes:
        if name not in self._parts:
            raise DocumentError(f"corrupt OFD: {name} is not in the package")
        return self._archive.read(self._parts[name])

    def xml(self, name: str) -> ET.Element:
        # The standard library's expat resolves no external entity and bounds entity expansion.
        try:
            return ET.fromstring(self.read(name))
        except (ET.ParseError, LookupError, ValueError) as exc:  # LookupError: an encoding it declares is unknown
            raise DocumentError(f"corrupt OFD: {name} is not well-formed XML ({exc})") from exc


def _scans(package: _Package, document: ET.Element, document_name: str, pages: list[_PageRead]) -> list[bytes]:
    """Each scanned page's picture: the largest image it draws, from the document's resources."""
    if not pages:
        return []
    media = _media_files(package, document, document_name)
    pictures = []
    for page in pages:
        found = [package.read(media[r]) for r in page.images if r in media and package.has(media[r])]
        pictures.append(max(found, key=len) if found else b"")
    return pictures


def _media_files(package: _Package, document: ET.Element, document_name: str) -> dict[str, str]:
    """Resource ID -> part name of every MultiMedia in the document's PublicRes and DocumentRes."""
    common = document.find(f"{_OFD}CommonData")
    if common is None:
        return {}
    files: dict[str, str] = {}
    for ref in [*common.findall(f"{_OFD}PublicRes"), *common.findall(f"{_OFD}DocumentRes")]:
        name = _resolve(document_name, (ref.text or "").strip())
        if not package.has(name):
            continue
        res = package.xml(name)
        folder = _resolve(name, res.get("BaseLoc", "."))  # where its MediaFile names are relative to
        for item in res.iter(f"{_OFD}MultiMedia"):
            media = item.find(f"{_OFD}MediaFile")
            location = (media.text or "").strip() if media is not None else ""
            if location:
                files[item.get("ID", "")] = _resolve(folder + "/", location)
    return files


def _ocr(pictures: list[bytes], limits: Limits) -> OcrRead:
    from parsers.ocr import read_embedded_images  # onnxruntime and opencv load only for scans

    return read_embedded_images(pictures, limits)


def _document_part(ofd: ET.Element) -> str:
    root = ofd.find(f"{_OFD}DocBody/{_OFD}DocRoot")
    location = (root.text or "").strip() if root is not None else ""
    if not location:
        raise DocumentError("corrupt OFD: OFD.xml names no DocRoot")
    return _resolve("OFD.xml", location)


def _page_parts(document: ET.Element, document_name: str) -> list[str]:
    pages = document.findall(f"{_OFD}Pages/{_OFD}Page")
    if not pages:
        raise DocumentError("corrupt OFD: its Document.xml lists no pages")
    return [_resolve(document_name, page.get("BaseLoc", "")) for page in pages]


def _resolve(referrer: str, location: str) -> str:
    # A location is absolute in the package ("/Doc_0/...") or relative to the referring part's folder.
    if location.startswith("/"):
        return posixpath.normpath(location.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(referrer), location))


def _read_page(page: ET.Element) -> _PageRead:
    read = _PageRead()
    drawn = 0
    for count, element in enumerate(page.iter()):
        if count > _MAX_OBJECTS:
            raise DocumentError(f"OFD page holds more than {_MAX_OBJECTS} elements")
        if element.tag == _TEXT:
            drawn += sum(len(code.text or "") for code in element.iter(f"{_OFD}TextCode"))
        elif element.tag == _PATH:
            path = element.find(f"{_OFD}AbbreviatedData")
            drawn += (path.text or "").count(" ") // 3 if path is not None else 0
        if drawn > _MAX_DRAWN:  # counted before reading: one object may hold millions
            raise DocumentError(f"OFD page draws more than {_MAX_DRAWN} glyphs and path segments")
        if element.tag == _TEXT:
            read.glyphs += _glyphs(element)
        elif element.tag == _PATH:
            read.edges += _path_edges(element)
        elif element.tag == _IMAGE:
            read.images.append(element.get("ResourceID", ""))
    return read


def _numbers(text: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text or "")]


def _placement(element: ET.Element) -> tuple[float, float, Matrix]:
    """The object's Boundary origin and its CTM (which maps inside the boundary)."""
    box = _numbers(element.get("Boundary"))
    ctm = _numbers(element.get("CTM"))
    x, y = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
    matrix = (ctm[0], ctm[1], ctm[2], ctm[3], ctm[4], ctm[5]) if len(ctm) == 6 else _IDENTITY
    return x, y, matrix


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _deltas(text: str | None, limit: int) -> list[float]:
    """DeltaX / DeltaY: numbers, `g n v` standing for n of v; the first `limit` of them."""
    tokens = (text or "").split()
    out: list[float] = []
    i = 0
    while i < len(tokens) and len(out) < limit:
        if tokens[i] == "g" and i + 2 < len(tokens):
            with contextlib.suppress(ValueError):
                out += [float(tokens[i + 2])] * max(0, min(int(tokens[i + 1]), limit - len(out)))
            i += 3
            continue
        with contextlib.suppress(ValueError):
            out.append(float(tokens[i]))
        i += 1
    return out


def _glyphs(element: ET.Element) -> list[_Glyph]:
    ox, oy, matrix = _placement(element)
    size = (_numbers(element.get("Size")) or [3.5])[0]
    scale = abs(matrix[3]) or 1.0
    glyphs: list[_Glyph] = []
    x = y = 0.0
    for code in element.iter(f"{_OFD}TextCode"):
        text = code.text or ""
        x = (_numbers(code.get("X")) or [x])[0]
        y = (_numbers(code.get("Y")) or [y])[0]
        dx, dy = _deltas(code.get("DeltaX"), len(text)), _deltas(code.get("DeltaY"), len(text))
        for i, ch in enumerate(text):
            advance = dx[i] if i < len(dx) else _default_advance(ch, size)
            left, baseline = _apply(matrix, x, y)
            centre_x, _ = _apply(matrix, x + advance / 2, y)
            em = size * scale
            glyphs.append(
                _Glyph(
                    (ox + centre_x) * _PT,
                    (oy + baseline - em / 3) * _PT,
                    (oy + baseline) * _PT,
                    (ox + left) * _PT,
                    em * _PT,
                    ch,
                )
            )
            x += advance
            y += dy[i] if i < len(dy) else 0.0
    return glyphs


def _default_advance(ch: str, size: float) -> float:
    # Without DeltaX the advance is the font's, which is not read: an ideograph or full-width
    # form takes the em, a digit or Latin letter about half of it.
    return size if ord(ch) >= 0x2E80 else size / 2


def _path_edges(element: ET.Element) -> list[Edge]:
    if element.get("Stroke", "true") == "false" and element.get("Fill", "false") == "false":
        return []  # drawn with neither stroke nor fill: invisible
    ox, oy, matrix = _placement(element)
    data = element.find(f"{_OFD}AbbreviatedData")
    tokens = (data.text or "").split() if data is not None else []
    edges: list[Edge] = []
    start: tuple[float, float] | None = None
    current: tuple[float, float] | None = None
    i = 0

    def point(at: int) -> tuple[float, float]:
        px, py = _apply(matrix, float(tokens[at]), float(tokens[at + 1]))
        return (ox + px) * _PT, (oy + py) * _PT

    # How many numbers each command takes; a curve or an arc moves the pen without a rule.
    arity = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
    try:
        while i < len(tokens):
            command = tokens[i]
            n = arity.get(command)
            if n is None:
                i += 1
                continue
            if command == "C":
                if current is not None and start is not None:
                    _add(edges, current, start)
                current = start
            else:
                end = point(i + n - 1)
                if command == "L" and current is not None:
                    _add(edges, current, end)
                if command in ("S", "M"):
                    start = end
                current = end
            i += n + 1
    except (IndexError, ValueError):
        pass  # a path cut short keeps what it drew before
    return edges


def _add(edges: list[Edge], a: tuple[float, float], b: tuple[float, float]) -> None:
    (x0, y0), (x1, y1) = a, b
    if abs(y0 - y1) <= _STRAIGHT and abs(x0 - x1) > _STRAIGHT:
        y = (y0 + y1) / 2
        edges.append(make_edge("h", min(x0, x1), max(x0, x1), y, y))
    elif abs(x0 - x1) <= _STRAIGHT and abs(y0 - y1) > _STRAIGHT:
        x = (x0 + x1) / 2
        edges.append(make_edge("v", x, x, min(y0, y1), max(y0, y1)))


def _blocks(read: _PageRead, number: int) -> list[Block]:
    """The page's tables and the lines of text around them, top to bottom."""
    grids = find_grids(read.edges) if read.glyphs else []
    glyphs = sorted(read.glyphs, key=lambda g: g.y)
    ys = [g.y for g in glyphs]
    placed: list[tuple[float, Block]] = []
    inside: set[int] = set()
    for grid in grids:
        rows = [[""] * grid.n_cols for _ in range(grid.n_rows)]
        for cell in grid.cells:
            x0, top, x1, bottom = cell.bbox
            lo, hi = bisect_left(ys, top + _CELL_INSET), bisect_right(ys, bottom - _CELL_INSET)
            mine = [i for i in range(lo, hi) if x0 + _CELL_INSET <= glyphs[i].x <= x1 - _CELL_INSET]
            inside.update(mine)
            text = join_pieces(_lines([glyphs[i] for i in mine]))
            for r in cell.rows:
                for c in cell.cols:
                    rows[r][c] = text
        placed.append((grid.bbox[1], TableBlock(rows, page=number, columns=column_lines(grid))))
        inside.update(i for i in range(len(glyphs)) if _within(glyphs[i], grid))
    rest = [g for i, g in enumerate(glyphs) if i not in inside]
    for line in _line_groups(rest):
        text = normalize_space(_line_text(line))
        if text:
            placed.append((line[0].baseline, TextBlock(text, page=number)))
    return [block for _, block in sorted(placed, key=lambda item: item[0])]


def _within(glyph: _Glyph, grid: Grid) -> bool:
    x0, top, x1, bottom = grid.bbox
    return x0 <= glyph.x <= x1 and top <= glyph.y <= bottom


def _line_groups(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    lines: list[list[_Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: (g.baseline, g.left)):
        if lines and abs(glyph.baseline - lines[-1][0].baseline) <= _LINE_TOLERANCE:
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    return [sorted(line, key=lambda g: g.left) for line in lines]


def _line_text(line: list[_Glyph]) -> str:
    out = [line[0].text]
    for before, glyph in itertools.pairwise(line):
        if glyph.left - (before.left + before.size) > _FIELD_GAP * glyph.size:
            out.append(" ")
        out.append(glyph.text)
    return "".join(out)


def _lines(glyphs: list[_Glyph]) -> list[str]:
    return [_line_text(line) for line in _line_groups(glyphs)]
