"""The text of every text-showing operator of a page, in content-stream order.

pdfium drops text objects it cannot measure (a lone glyph of a non-embedded CJK font
on a host without a CJK font), so their text is read here from the content stream
itself. pdfminer's interpreter would do it, but tokenises the whole page in Python at
about one naive pdfplumber page each; a page's stream is a few kB that one regular
expression splits in about a millisecond. pdfminer is kept for what it does cheaply and
well: finding the page's streams and resources, and decoding strings through the fonts'
CMaps and ToUnicode maps.

Text-showing operators (Tj, TJ, ', ") map one to one, in order, onto pdfium's text
objects, descending into form XObjects the way `edges.scan_page` does; the caller checks
that mapping against pdfium's own text before trusting it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdffont import PDFFont, PDFFontError
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, PDFStream, dict_value, resolve1, stream_value
from pdfminer.psparser import literal_name

from parsers.pdf.edges import MAX_FORM_DEPTH

# Pieces of content-stream syntax. A "regular" byte is one that is neither whitespace
# nor a delimiter: operators and numbers are runs of them.
_REGULAR = rb"[^\s()<>\[\]{}/%]"
_STRING = rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)|<[0-9A-Fa-f\s]*>"
_NUMBER = rb"[+-]?(?:\d+\.?\d*|\.\d+)"
_NAME = rb"/" + _REGULAR + rb"*"
_END = rb"(?!" + _REGULAR + rb")"


# Only the operators that decide a show operator's text are matched, with the operands
# needed; everything else is skipped by the regex engine. Strings, names and comments
# are matched whole so nothing inside them is taken for an operator. Every branch starts
# with a delimiter (keywords with the whitespace before them), which keeps the search
# fast. A literal string nested deeper than one level of parentheses stops the scan.
# The TJ array's items are an atomic group: a run of digits splits into numbers in
# exponentially many ways, and backtracking through them on an array that is not a TJ
# operand (a long dash array, junk) would hang the scan.
_SCAN = re.compile(
    rb"(?P<show>(?P<text>" + _STRING + rb")\s*(?:Tj|'|\x22)" + _END + rb")"
    rb"|(?P<array>\[(?P<items>(?>(?:\s|" + _STRING + rb"|" + _NUMBER + rb")*))\]\s*TJ" + _END + rb")"
    rb"|(?P<font>(?P<fname>" + _NAME + rb")\s+" + _NUMBER + rb"\s+Tf" + _END + rb")"
    rb"|(?P<form>(?P<xname>" + _NAME + rb")\s+Do" + _END + rb")"
    rb"|\s(?P<keyword>q|Q|BI)" + _END + rb""
    rb"|(?P<skip>" + _STRING + rb"|" + _NAME + rb"|%[^\r\n]*)"
    rb"|(?P<paren>\()",
    re.S,
)
_IMAGE_END = re.compile(rb"\sID\s.*?\sEI" + _END, re.S)
_ITEM = re.compile(_STRING)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|.)", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


class Unsupported(Exception):
    """The stream holds something this reader does not follow; use the slow path."""


class PageTexts:
    """Lazily opened pdfminer view of the same bytes: decoded show-operator texts per page."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        # The document's fonts, loaded once by object number (shared with pdfplumber's slow path).
        self.fonts = PDFResourceManager(caching=True)
        self._shown: dict[tuple[PDFFont, bytes], list[str | None]] = {}
        self._pages: list[PDFPage] = []

    @cached_property
    def document(self) -> PDFDocument:
        """pdfminer's view of the bytes, each object parsed once when first resolved (shared
        with pdfplumber's slow path, which would parse them all again)."""
        return PDFDocument(PDFParser(io.BytesIO(self._data)))

    @cached_property
    def _page_tree(self) -> Iterator[PDFPage]:
        return PDFPage.create_pages(self.document)

    def _page(self, index: int) -> PDFPage:
        # Pages are read from the tree only as far as asked: most pages never need this
        # reader, and pdfminer resolves every object of a page it yields.
        while len(self._pages) <= index:
            page = next(self._page_tree, None)
            if page is None:
                raise IndexError(f"page {index + 1} is not in pdfminer's page tree")
            self._pages.append(page)
        return self._pages[index]

    def texts(self, page_index: int) -> list[str | None] | None:
        """One entry per text-showing operator, None where a string cannot be decoded;
        None for the whole page when its streams cannot be followed."""
        try:
            page = self._page(page_index)
            data = b"".join(stream_value(s).get_data() for s in _contents(page))
            return _Interpreter(self.fonts, self._shown).run(data, page.resources, depth=0)
        except MemoryError:
            raise
        except Exception:
            # pdfminer raises many types on odd files (and Unsupported is ours); the
            # caller then reads the page the slow way.
            return None


def _contents(page: PDFPage) -> list[object]:
    contents = page.contents
    return contents if isinstance(contents, list) else [contents]


@dataclass
class _Interpreter:
    # Tracks only what decides a show operator's text: the font, saved by q and restored
    # by Q; emits one decoded text per show operator, forms included in place.
    fonts: PDFResourceManager
    # Per document: a show operator's text by its font and operand bytes. Tables repeat the same
    # few strings (0, 1, 无) in one font, and a repeat skips unescaping and CMap decoding.
    # Keyed by the font itself, which the memo keeps alive, so a font made anew per page (one
    # without an object number) never meets the texts of another that reused its id.
    shown: dict[tuple[PDFFont, bytes], list[str | None]] = field(default_factory=dict)
    out: list[str | None] = field(default_factory=list)

    def run(self, data: bytes, resources: object, depth: int) -> list[str | None]:
        fontmap, xobjects = self._resources(resources)
        font: PDFFont | None = None
        saved: list[PDFFont | None] = []
        data = b" " + data  # a keyword is matched with the whitespace before it
        match = _SCAN.search(data)
        while match is not None:
            kind, end = match.lastgroup, match.end()
            if kind == "show" or kind == "array":
                self._show(match, font)
            elif kind == "font":
                font = fontmap.get(_name(match.group("fname")[1:]))
            elif kind == "keyword":
                keyword = match.group("keyword")
                if keyword == b"q":
                    saved.append(font)
                elif keyword == b"Q" and saved:
                    font = saved.pop()
                elif keyword == b"BI":
                    end = _inline_image_end(data, end)
            elif kind == "form" and depth < MAX_FORM_DEPTH:
                self._form(xobjects.get(_name(match.group("xname")[1:])), resources, depth)
            elif kind == "paren":
                raise Unsupported("literal string nested more than one level deep")
            match = _SCAN.search(data, end)
        return self.out

    def _show(self, match: re.Match[bytes], font: PDFFont | None) -> None:
        if font is not None and (font, match.group()) in self.shown:
            self.out.extend(self.shown[font, match.group()])
            return
        strings = _strings(match)
        # pdfium makes no text object for an empty Tj, nor for a TJ of numbers only.
        if not strings or strings == [b""]:
            texts: list[str | None] = []
        elif font is None:
            raise Unsupported("text shown without a font")
        else:
            texts = [_decode(font, strings)]
        if font is not None:
            self.shown[font, match.group()] = texts
        self.out.extend(texts)

    def _form(self, xobject: object, resources: object, depth: int) -> None:
        stream = resolve1(xobject)
        if not isinstance(stream, PDFStream) or literal_name(stream.get("Subtype")) != "Form":
            return
        inner = stream.get("Resources") or resources
        self.run(stream.get_data(), inner, depth + 1)

    def _resources(self, resources: object) -> tuple[dict[str, PDFFont], dict[str, object]]:
        resources = dict_value(resources) if resources else {}
        fontmap = {}
        for name, spec in dict_value(resources.get("Font", {})).items():
            objid = spec.objid if isinstance(spec, PDFObjRef) else None
            fontmap[name] = self.fonts.get_font(objid, dict_value(spec))
        return fontmap, dict_value(resources.get("XObject", {}))


def _strings(match: re.Match[bytes]) -> list[bytes]:
    kind = match.lastgroup
    if kind == "array":
        return [_string(m.group()) for m in _ITEM.finditer(match.group("items"))]
    return [_string(match.group("text"))]


def _string(token: bytes) -> bytes:
    if token[:1] == b"<":
        digits = re.sub(rb"\s", b"", token[1:-1])
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
    raw = token[1:-1]
    return _ESCAPE.sub(_escape_value, raw) if b"\\" in raw else raw


def _decode(font: PDFFont, strings: list[bytes]) -> str | None:
    out = []
    for string in strings:
        for cid in font.decode(string):
            try:
                out.append(font.to_unichr(cid))
            except PDFFontError:
                return None
    return "".join(out)


def _inline_image_end(data: bytes, pos: int) -> int:
    # Image data is binary: skip it whole, from BI's dictionary to the EI keyword.
    match = _IMAGE_END.search(data, pos)
    if match is None:
        raise Unsupported("inline image without EI")
    return match.end()


def _escape_value(match: re.Match[bytes]) -> bytes:
    code = match.group(1)
    if code[:1].isdigit():
        return bytes([int(code, 8) & 0xFF])
    if code in (b"\n", b"\r", b"\r\n"):
        return b""  # a backslash before a line break continues the string
    return _ESCAPES.get(code, code)


def _name(raw: bytes) -> str:
    # Names may escape bytes as #xx; pdfminer keys resources by the decoded name.
    if b"#" in raw:
        raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
