"""The parser's entry point: document bytes to a ParsedReport.

`parse_document` sniffs the format from the bytes, hands them to its format reader
(READERS: PDF, HTML, DOCX, XLSX, OFD, text, image, legacy Office through LibreOffice, each in
its module), runs the report reader, and turns every failure into a status. It never
raises. The readers are imported here, explicitly, so a broken installation fails at
start-up; the package itself (`parsers`) stays light for what only needs its models and
keys (db/).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from formats.charset import charset_param
from parsers.document import Document, Limits
from parsers.docx import read_docx
from parsers.errors import DocumentError, NeedsOCR, ReaderUnavailable
from parsers.html import read_html
from parsers.identity import fill_from_hints
from parsers.legacy import read_legacy
from parsers.model import Hints, ParsedReport, ParseStatus
from parsers.ocr import read_image
from parsers.ofd import read_ofd
from parsers.pdf import read_pdf
from parsers.radicals import unify_document
from parsers.report import read_report
from parsers.sniff import DOCX, HTML, IMAGE, LEGACY, OFD, PDF, TEXT, XLSX, sniff_format
from parsers.text import read_text
from parsers.version import PARSER_VERSION
from parsers.xlsx import read_xlsx

__all__ = ["PARSER_VERSION", "parse_document", "parse_path"]

DEFAULT_LIMITS = Limits()
# The error of a parse that ran out of memory; parsers.isolated names its worker's limit instead.
OUT_OF_MEMORY = "the parser ran out of memory"
# A format reader: the bytes, their bounds and the charset they were served with (None when
# unknown; only HTML, which may declare none, needs it).
Reader = Callable[[bytes, Limits, str | None], Document]


# Every format sniff_format names, with its reader. The readers are imported with this module, so
# a broken installation fails at start-up; their heavy engines (OCR's, openpyxl) load on first use.
READERS: Mapping[str, Reader] = {
    PDF: read_pdf,
    HTML: read_html,
    DOCX: read_docx,
    XLSX: read_xlsx,
    LEGACY: read_legacy,
    OFD: read_ofd,
    TEXT: read_text,
    IMAGE: read_image,
}
MEDIA_TYPES = {".pdf": "application/pdf", ".html": "text/html", ".htm": "text/html", ".txt": "text/plain"}


class Parse(Protocol):
    """parse_document's signature: what parse_path and the isolated parser's workers call."""

    def __call__(
        self,
        data: bytes,
        *,
        filename: str | None = ...,
        media_type: str | None = ...,
        hints: Hints | None = ...,
        limits: Limits = ...,
        continuation: Sequence[bytes] = ...,
    ) -> ParsedReport: ...


def parse_document(
    data: bytes,
    *,
    filename: str | None = None,
    media_type: str | None = None,
    hints: Hints | None = None,
    limits: Limits = DEFAULT_LIMITS,
    continuation: Sequence[bytes] = (),
    readers: Mapping[str, Reader] = READERS,
) -> ParsedReport:
    """Parse one document's bytes; failures become status error / needs_ocr.

    `continuation` holds the following pages of an article split over several pages
    (TRS `t…_1.html`, `_2`…): their blocks are read after the first page's, as one report.
    `readers` replaces READERS (tests give a reader that misbehaves on purpose).
    """
    try:
        doc = _read(data, filename, media_type, limits, readers)
        for number, part in enumerate(continuation, start=2):
            _append(doc, part, number, filename, media_type, limits, readers)
        return read_report(doc, hints)
    except ReaderUnavailable as exc:  # this machine lacks a program; a later run with it reads the file
        return failed_report(ParseStatus.ERROR, str(exc), hints, crashed=True)
    except DocumentError as exc:
        return failed_report(ParseStatus.ERROR, str(exc) or type(exc).__name__, hints)
    except NeedsOCR as exc:
        return failed_report(ParseStatus.NEEDS_OCR, str(exc) or "the document holds only images of text", hints)
    except MemoryError:
        return failed_report(ParseStatus.ERROR, OUT_OF_MEMORY, hints, crashed=True)
    except Exception as exc:  # a bug or a reader's unexpected failure must not stop a batch
        return failed_report(ParseStatus.ERROR, f"unexpected {type(exc).__name__}: {exc}", hints, crashed=True)


def parse_path(
    path: str | Path,
    hints: Hints | None = None,
    limits: Limits = DEFAULT_LIMITS,
    parse: Parse = parse_document,
) -> ParsedReport:
    """Parse a file with `parse` (parse_document, or parsers.isolated.parse_isolated);
    an unreadable path is status error, like unreadable bytes."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return failed_report(ParseStatus.ERROR, f"cannot read {path}: {exc.strerror or exc}", hints, crashed=True)
    media = MEDIA_TYPES.get(path.suffix.lower())
    return parse(data, filename=path.name, media_type=media, hints=hints, limits=limits)


def _append(
    doc: Document,
    part: bytes,
    number: int,
    filename: str | None,
    media_type: str | None,
    limits: Limits,
    readers: Mapping[str, Reader],
) -> None:
    # A following page of the article, or a picture in its body (a 图片版 page, a table pasted
    # as an image): its blocks follow the first page's. A picture with no text in it (a photo)
    # adds nothing and says so; the article is read all the same.
    try:
        # The first page's name and served type: a page's charset may be in the header only, and a
        # picture's bytes say what it is before either is asked.
        part_doc = _read(part, filename, media_type, limits, readers)
    except NeedsOCR:
        doc.warnings.append(f"part {number} of the article: a picture OCR read no text in; skipped")
        return
    doc.blocks += part_doc.blocks
    doc.warnings += [w for w in part_doc.warnings if w not in doc.warnings]
    doc.ocr_pages += part_doc.ocr_pages


def _read(
    data: bytes, filename: str | None, media_type: str | None, limits: Limits, readers: Mapping[str, Reader]
) -> Document:
    if len(data) > limits.max_bytes:
        raise DocumentError(f"document of {len(data)} bytes exceeds the limit of {limits.max_bytes}")
    # The served charset ("text/html; charset=big5") decides when an HTML page says nothing.
    document = readers[sniff_format(data, filename, media_type)](data, limits, charset_param(media_type))
    return unify_document(document)


def failed_report(status: ParseStatus, message: str, hints: Hints | None, *, crashed: bool = False) -> ParsedReport:
    """A report of a document that could not be read: the hints and why.

    `crashed` says the parser, not the document, failed (ParsedReport.crashed): not cached.
    """
    report = ParsedReport(
        status=status,
        error=message if status == ParseStatus.ERROR else None,
        region=hints.region if hints else None,
        warnings=[] if status == ParseStatus.ERROR else [message],
        parser_version=PARSER_VERSION,
        crashed=crashed,
    )
    # The crawler's knowledge still identifies the document when its content cannot.
    fill_from_hints(report, hints)
    return report
