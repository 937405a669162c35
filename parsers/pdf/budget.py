"""What a PDF would cost pdfium to load, checked before pdfium loads it.

pdfium inflates a page's content streams whole and parses every form XObject a page
draws once per drawing, nested forms included, when the page is loaded: a 1 MB file
can hold a 1 GiB content stream, and 2 KB of forms drawing each other ten times over
seven levels are 10^7 drawings. Both are counted here cheaply first: streams are
inflated in bounded chunks and thrown away, form drawings are counted per form once.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator

from parsers.document import Limits
from parsers.errors import DocumentError

MAX_FORM_DRAWS = 10_000  # per page; Word-made pages draw a handful
_MAX_NESTING = 32
_CHUNK = 256 * 1024
_FIRST_PIECE = 8 * 1024
_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
_DICT_WINDOW = 2048
_IMAGE = re.compile(rb"/Subtype\s*/Image")
_FLATE = re.compile(rb"/FlateDecode|/Fl\b")
_DO = re.compile(rb"/([^\s()<>\[\]{}/%]+)\s+Do(?![^\s()<>\[\]{}/%])")


def check_streams(data: bytes, limits: Limits) -> None:
    """DocumentError when a stream, or all streams together, inflate past the limits.

    Images are left out: pdfium decodes them only to render, and we never render.
    """
    total = 0
    for number, start in enumerate(_flate_streams(data), start=1):
        size = _inflated_size(data, start, limits.max_stream_bytes)
        if size > limits.max_stream_bytes:
            raise DocumentError(f"PDF stream {number} inflates to more than {limits.max_stream_bytes} bytes")
        total += size
        if total > limits.max_decompressed_bytes:
            raise DocumentError(f"PDF streams inflate to more than {limits.max_decompressed_bytes} bytes in all")


def _flate_streams(data: bytes) -> Iterator[int]:
    # Where each Flate-encoded, non-image stream's data starts; the dictionary is the text
    # just before the `stream` keyword (a regex, not a parse: it only has to be cheap). Searched
    # in place: an office PDF holds hundreds of small streams, and a copy of each one's window
    # was a third of this check.
    for match in _STREAM.finditer(data):
        end = match.start()
        if data.endswith(b"end", 0, end):
            continue  # `endstream`: what precedes it is a stream's data, never a dictionary's `>>`
        start = max(0, end - _DICT_WINDOW)
        obj = data.rfind(b" obj", start, end)
        start = obj + 1 if obj >= 0 else start
        dict_end = end
        while dict_end > start and data[dict_end - 1 : dict_end].isspace():
            dict_end -= 1
        if (
            data.endswith(b">>", start, dict_end)
            and _FLATE.search(data, start, dict_end)
            and not _IMAGE.search(data, start, dict_end)
        ):
            yield match.end()


def _inflated_size(data: bytes, start: int, cap: int) -> int:
    # Output is taken _CHUNK bytes at a time, so memory stays flat whatever the ratio. Input is
    # fed from a view in pieces growing from _FIRST_PIECE: most streams are a few kB, and zlib
    # copies what follows a stream's end (the rest of its piece) when it stops.
    inflater = zlib.decompressobj()
    view = memoryview(data)
    size, position, piece_size = 0, start, _FIRST_PIECE
    try:
        while not inflater.eof and size <= cap:
            piece: bytes | memoryview = inflater.unconsumed_tail
            if not piece:
                if position >= len(data):
                    break
                piece = view[position : position + piece_size]
                position += len(piece)
                piece_size = min(2 * piece_size, _CHUNK)
            size += len(inflater.decompress(piece, _CHUNK))
    except zlib.error:
        pass  # a broken stream is pdfium's to judge; what it inflated so far counts
    return size


def check_form_draws(data: bytes, pages: int) -> None:
    """DocumentError when a page draws form XObjects more than MAX_FORM_DRAWS times in all."""
    if b"/Form" not in data and b"/ObjStm" not in data:
        return  # no form XObject, even inside object streams: nothing to count
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        page_list = list(PDFPage.create_pages(document))[:pages]
    except Exception:
        return  # pdfminer cannot follow the file; pdfium judges it on its own
    counter = _FormCounter()
    for number, page in enumerate(page_list, start=1):
        contents = page.contents if isinstance(page.contents, list) else [page.contents]
        draws = sum(counter.draws(stream, page.resources, 0) for stream in contents if stream is not None)
        if draws > MAX_FORM_DRAWS:
            raise DocumentError(f"PDF page {number} draws form XObjects more than {MAX_FORM_DRAWS} times (nested)")


class _FormCounter:
    # Drawings of forms caused by one stream, each form's count computed once: a form
    # drawn a million times costs one count, not a million.

    def __init__(self) -> None:
        self._known: dict[int, int] = {}

    def draws(self, stream: object, resources: object, depth: int) -> int:
        from pdfminer.pdftypes import PDFObjRef, PDFStream, dict_value, resolve1
        from pdfminer.psparser import literal_name

        key = stream.objid if isinstance(stream, PDFObjRef) else None
        if key is not None and key in self._known:
            return self._known[key]
        if depth > _MAX_NESTING:
            return MAX_FORM_DRAWS + 1  # deeper than any real page, or a form drawing itself
        body = resolve1(stream)
        if not isinstance(body, PDFStream):
            return 0
        try:
            xobjects = dict_value(dict_value(resources).get("XObject", {})) if resources else {}
            names = _DO.findall(body.get_data())
        except Exception:
            return 0  # an undecodable stream draws nothing pdfium could load either
        total = 0
        for raw in names:
            ref = xobjects.get(raw.decode("latin-1"))
            child = resolve1(ref)
            if isinstance(child, PDFStream) and literal_name(child.get("Subtype")) == "Form":
                total += 1 + self.draws(ref, child.get("Resources") or resources, depth + 1)
                if total > MAX_FORM_DRAWS:
                    break
        if key is not None:
            self._known[key] = total
        return total
