"""Legacy Office files (.doc, .wps, .xls) are read through LibreOffice (parsers.legacy).

The files are made here by the real LibreOffice from reportgen's documents; CI installs it
(NIANBAO_REQUIRE_SOFFICE=1 turns a missing soffice into a failure instead of a skip).
"""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

import pytest

from parsers.dispatch import parse_document
from parsers.document import Limits
from parsers.isolated import parse_isolated
from parsers.legacy import ENV_SOFFICE
from parsers.model import Hints
from replica.workbook import render_workbook
from reportgen.corpus import corpus
from reportgen.docx import render_docx
from reportgen.office import libreoffice_doc, libreoffice_xls
from reportgen.truth import random_truth

HAVE_SOFFICE = shutil.which("soffice") is not None
needs_soffice = pytest.mark.skipif(
    not HAVE_SOFFICE and not os.environ.get("NIANBAO_REQUIRE_SOFFICE"), reason="LibreOffice (soffice) not installed"
)


@needs_soffice
def test_a_word97_doc_reads_every_cell() -> None:
    truth = corpus(5, 3)[2]
    doc = libreoffice_doc(render_docx(truth))
    assert doc.startswith(b"\xd0\xcf\x11\xe0")  # a real OLE2 file, not a renamed DOCX
    report = parse_document(doc, filename="P020240125.doc")
    assert report.status == "ok", report.warnings
    assert (report.agency, report.year, report.cells) == (truth.agency, truth.year, truth.cells)


@needs_soffice
def test_a_doc_reads_in_the_isolated_parser_under_its_memory_cap() -> None:
    # The collection parses in capped worker processes (RLIMIT_AS); LibreOffice runs inside that cap.
    truth = corpus(5, 3)[2]
    report = parse_isolated(libreoffice_doc(render_docx(truth)), filename="P020240125.doc")
    assert (report.status, report.cells) == ("ok", truth.cells), report.error


@needs_soffice
def test_an_excel97_xls_reads_every_cell() -> None:
    truth = random_truth(random.Random(3))
    xls = libreoffice_xls(render_workbook(truth))
    report = parse_document(xls, filename="P0.xls", hints=Hints(agency=truth.agency, year=truth.year))
    assert report.status == "ok", report.warnings
    assert report.cells == truth.cells


def test_without_libreoffice_a_doc_is_an_error_read_again_later(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_SOFFICE, "/nonexistent/soffice")
    report = parse_document(_ole_file("WordDocument"), filename="report.doc")
    assert report.status == "error"
    assert "NIANBAO_SOFFICE=/nonexistent/soffice" in (report.error or "")
    assert report.crashed  # no verdict on the bytes: not cached, read again where LibreOffice is
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv(ENV_SOFFICE)
    report = parse_document(_ole_file("WordDocument"), filename="report.doc")
    assert "needs LibreOffice" in (report.error or "") and report.crashed


def test_a_hanging_converter_is_killed_with_its_children(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # soffice hands the work to soffice.bin; a hang there must not outlive the bound.
    child_pid = tmp_path / "child.pid"
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\nsleep 600 &\necho $! > {child_pid}\nwait\n")
    script.chmod(0o755)
    monkeypatch.setenv(ENV_SOFFICE, str(script))
    started = time.monotonic()
    report = parse_document(_ole_file("WordDocument"), filename="report.doc", limits=Limits(convert_seconds=1))
    assert time.monotonic() - started < 30  # bounded, not the child's 600 s
    assert report.status == "error" and "did not convert the file in 1 s" in (report.error or "")
    assert not report.crashed  # a file that hangs LibreOffice is a verdict on the file
    pid = int(child_pid.read_text())
    assert not _alive(pid)


def test_office_files_that_are_not_word_or_excel_say_what_they_are() -> None:
    encrypted = parse_document(_ole_file("EncryptedPackage"), filename="report.docx")
    assert encrypted.status == "error" and "password-protected" in (encrypted.error or "")
    slides = parse_document(_ole_file("PowerPoint Document"), filename="report.ppt")
    assert slides.status == "error" and "neither a Word nor an Excel" in (slides.error or "")


def _ole_file(stream: str) -> bytes:
    # The OLE2 signature and a directory entry naming the main stream: what the sniffers read.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + stream.encode("utf-16-le") + b"\0" * 1024


def _alive(pid: int) -> bool:
    # A killed child may linger as a zombie until reaped; /proc says which.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"
