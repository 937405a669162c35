"""Parsers: government annual-report documents (bytes) to structured reports.

`parse_document` is the one entry point: it sniffs the format from the bytes,
dispatches to a format reader (text here; PDF, HTML, DOCX in their modules), runs
the report reader, and turns every failure into a status. It never raises.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path

from formats.charset import charset_param
from parsers.document import Document, Limits
from parsers.errors import DocumentError, NeedsOCR
from parsers.identity import fill_from_hints
from parsers.model import Hints, ParsedReport, ParseStatus
from parsers.sniff import DOCX, HTML, IMAGE, PDF, TEXT, XLSX, sniff_format
from parsers.version import PARSER_VERSION

__all__ = ["PARSER_VERSION", "parse_document", "parse_path"]

DEFAULT_LIMITS = Limits()
# The error of a parse that ran out of memory; parsers.isolated names its worker's limit instead.
OUT_OF_MEMORY = "the parser ran out of memory"
Reader = Callable[[bytes, Limits], Document]

# Format -> (module, function); imported on first use so `import parsers` stays light.
READERS: dict[str, tuple[str, str]] = {
    PDF: ("parsers.pdf", "read_pdf"),
    HTML: ("parsers.html", "read_html"),
    DOCX: ("parsers.docx", "read_docx"),
    XLSX: ("parsers.xlsx", "read_xlsx"),
    TEXT: ("parsers.text", "read_text"),
    IMAGE: ("parsers.ocr", "read_image"),
}
MEDIA_TYPES = {".pdf": "application/pdf", ".html": "text/html", ".htm": "text/html", ".txt": "text/plain"}


def parse_document(
    data: bytes,
    *,
    filename: str | None = None,
    media_type: str | None = None,
    hints: Hints | None = None,
    limits: Limits = DEFAULT_LIMITS,
    continuation: Sequence[bytes] = (),
) -> ParsedReport:
    """Parse one document's bytes; failures become status error / needs_ocr.

    `continuation` holds the following pages of an article split over several pages
    (TRS `t…_1.html`, `_2`…): their blocks are read after the first page's, as one report.
    """
    from parsers.report import read_report

    try:
        doc = _read(data, filename, media_type, limits)
        for part in continuation:
            doc.blocks += _read(part, filename, media_type, limits).blocks
        return read_report(doc, hints)
    except DocumentError as exc:
        return failed_report(ParseStatus.ERROR, str(exc) or type(exc).__name__, hints)
    except NeedsOCR as exc:
        return failed_report(ParseStatus.NEEDS_OCR, str(exc) or "the document holds only images of text", hints)
    except MissingReader as exc:
        return failed_report(ParseStatus.ERROR, str(exc), hints, crashed=True)
    except MemoryError:
        return failed_report(ParseStatus.ERROR, OUT_OF_MEMORY, hints, crashed=True)
    except Exception as exc:  # a bug or a reader's unexpected failure must not stop a batch
        return failed_report(ParseStatus.ERROR, f"unexpected {type(exc).__name__}: {exc}", hints, crashed=True)


def parse_path(
    path: str | Path,
    hints: Hints | None = None,
    limits: Limits = DEFAULT_LIMITS,
    parse: Callable[..., ParsedReport] = parse_document,
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


def _read(data: bytes, filename: str | None, media_type: str | None, limits: Limits) -> Document:
    if len(data) > limits.max_bytes:
        raise DocumentError(f"document of {len(data)} bytes exceeds the limit of {limits.max_bytes}")
    fmt = sniff_format(data, filename, media_type)
    if fmt == HTML:  # the served charset ("text/html; charset=big5") decides when the page says nothing
        return reader_for(fmt)(data, limits, charset=charset_param(media_type))  # type: ignore[call-arg]
    return reader_for(fmt)(data, limits)


def reader_for(fmt: str) -> Reader:
    """The format reader function, imported lazily; MissingReader when it is missing."""
    module_name, func_name = READERS[fmt]
    try:
        module = importlib.import_module(module_name)
        return getattr(module, func_name)
    except (ImportError, AttributeError) as exc:
        raise MissingReader(f"no reader for {fmt} documents ({exc})") from exc


class MissingReader(RuntimeError):
    """A reader that cannot be imported: the installation is broken, not the document."""


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
