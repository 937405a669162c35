"""The entry point: format sniffing, dispatch, and every failure turned into a status."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.dispatch import PARSER_VERSION, READERS, parse_document, parse_path
from parsers.document import Document, Limits
from parsers.errors import DocumentError
from parsers.model import Hints
from parsers.sniff import DOCX, HTML, IMAGE, LEGACY, OFD, PDF, TEXT, XLSX, sniff_format

SEED = next((Path(__file__).parents[1] / "fixtures" / "seeds").glob("001_*.txt"))
REPO = Path(__file__).parents[2]


def zip_bytes(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "fmt"),
    [
        (b"%PDF-1.7\n...", "a.bin", "pdf"),
        (zip_bytes(["word/document.xml", "[Content_Types].xml"]), "a.zip", "docx"),
        (zip_bytes(["xl/workbook.xml", "[Content_Types].xml"]), "a.xls", "xlsx"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html></html>", "a.pdf", "html"),  # an HTML error page named .pdf
        ("<table><tr><td>规章</td></tr></table>".encode(), None, "html"),
        ("一、总体情况".encode(), "a.txt", "text"),
        ("一、总体情况".encode("gb18030"), None, "text"),
    ],
)
def test_sniff_formats(data: bytes, filename: str | None, fmt: str) -> None:
    assert sniff_format(data, filename) == fmt


def test_sniff_rejections() -> None:
    with pytest.raises(DocumentError, match="empty document"):
        sniff_format(b"")
    with pytest.raises(DocumentError, match="not a PDF"):
        sniff_format(b"\x13\x37" * 32, "report.pdf")
    with pytest.raises(DocumentError, match="neither a DOCX nor an XLSX"):
        sniff_format(zip_bytes(["ppt/presentation.xml"]))
    # A legacy Office file goes to LibreOffice (tests/parsers/test_legacy.py).
    assert sniff_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "a.doc") == "legacy"
    # A picture of the report is its own format now: the OCR reader takes it.
    assert sniff_format(b"\xff\xd8\xff\xe0" + b"\x00" * 100, "scan.jpg") == "image"


def test_parse_document_statuses() -> None:
    assert parse_document(b"").status == "error"
    assert parse_document(b"").error == "empty document (0 bytes)"
    random_pdf = parse_document(b"\x13\x37" * 100, filename="report.pdf")
    assert (random_pdf.status, random_pdf.error) == ("error", "the bytes are not a PDF (no %PDF header)")
    image = parse_document(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    assert image.status == "error" and image.error is not None and image.error.startswith("corrupt image")
    assert parse_document("会议通知：明天开会。".encode()).status == "not_a_report"


def test_oversize_and_bad_input_are_errors_not_exceptions() -> None:
    from parsers.document import Limits

    big = parse_document(b"a" * 100, limits=Limits(max_bytes=10))
    assert big.status == "error" and "exceeds" in (big.error or "")
    wrong_type = parse_document(None)  # type: ignore[arg-type]  # bad input on purpose
    assert wrong_type.status == "error"
    assert (wrong_type.error or "").startswith("unexpected TypeError")


def _read_without_engine(data: bytes, limits: Limits, charset: str | None = None) -> Document:
    # A reader whose engine, imported on first use like OCR's, is not installed.
    import nianbao_no_such_engine  # type: ignore[import-not-found]  # missing on purpose

    raise AssertionError(f"{nianbao_no_such_engine} cannot be imported")


def test_a_verdict_on_the_bytes_is_cached_a_crash_is_not() -> None:
    # Bytes that are not a report, or not a PDF: a lasting verdict of this parser version.
    for report in (parse_document(b"\x13\x37" * 100, filename="a.pdf"), parse_document("会议通知".encode())):
        assert not report.crashed and report.cache_version == PARSER_VERSION
    # A bug (an exception no reader expected) or a reader's engine that cannot be imported: read again later.
    assert parse_document(None).cache_version is None  # type: ignore[arg-type]  # bad input on purpose
    missing = parse_document("一、总体情况".encode(), filename="a.txt", readers={**READERS, TEXT: _read_without_engine})
    assert (missing.status, missing.crashed, missing.cache_version) == ("error", True, None)
    assert missing.error == "unexpected ModuleNotFoundError: No module named 'nianbao_no_such_engine'"


def test_every_format_has_a_reader_imported_at_start_up() -> None:
    assert set(READERS) == {PDF, HTML, DOCX, XLSX, TEXT, IMAGE, LEGACY, OFD}
    # A reader's library missing fails the entry point's import at once, naming it; not every document of
    # its format.
    code = "import sys; sys.modules['docx'] = None; import parsers.dispatch"
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert run.stderr.rstrip().endswith("ModuleNotFoundError: import of docx halted; None in sys.modules")


def test_the_package_and_its_models_load_without_the_readers_libraries() -> None:
    # db/ reads parsers.model and parsers.keys; they must not pull pdfium, pdfplumber, bs4 or python-docx.
    heavy = ["pypdfium2", "pdfplumber", "bs4", "docx", "openpyxl"]
    code = f"import sys; import parsers.model, parsers.keys; print([m for m in {heavy!r} if m in sys.modules])"
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_failed_documents_keep_the_crawlers_hints() -> None:
    report = parse_document(b"", hints=Hints(agency="中卫市商务局", year=2019))
    assert (report.status, report.agency, report.year) == ("error", "中卫市商务局", 2019)
    assert report.parser_version == PARSER_VERSION


def test_parse_path(tmp_path: Path) -> None:
    report = parse_path(SEED)
    assert report.status == "ok" and report.parser_version == PARSER_VERSION
    missing = parse_path(tmp_path / "nope.pdf")
    assert missing.status == "error" and "cannot read" in (missing.error or "")


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300), st.sampled_from([None, "a.pdf", "a.docx", "a.html", "a.txt"]))
def test_never_raises_on_random_bytes(data: bytes, filename: str | None) -> None:
    report = parse_document(data, filename=filename)
    assert report.status in ("error", "needs_ocr", "not_a_report", "partial", "ok")
    assert report.parser_version == PARSER_VERSION
