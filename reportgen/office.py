"""Reports exported to PDF by real office software, not by us.

Most real reports are typed in Word or WPS and exported to PDF, or printed from the
portal's article page. reportlab (reportgen.pdf) lays a table out the way we told it to;
an office suite paginates on its own: a long table breaks across pages between rows and
inside a row, its heading row is repeated, its borders are drawn as that producer likes,
and its text runs are cut where that producer cuts them. Two producers are driven here:

* LibreOffice Writer converting the report's DOCX (reportgen.docx), as a department
  exporting its Word file would;
* Chromium printing the article page (reportgen.html), as someone saving the portal's
  page as PDF would.

Both need their program and a CJK font (Debian: libreoffice-writer-nogui, chromium,
fonts-noto-cjk). Only the fixture builder (tests/parsers/office_fixtures.py) runs them;
tests and the benchmark read the PDFs it checked in.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from parsers.errors import DocumentError
from parsers.legacy import libreoffice_convert

# A conversion of one small report takes about a second; far longer means the program hangs.
TIMEOUT_SECONDS = 120


class ExportError(RuntimeError):
    """The office program is missing, failed, hung or wrote no PDF."""


def libreoffice_pdf(docx: bytes) -> bytes:
    """The DOCX as LibreOffice Writer exports it to PDF."""
    return _libreoffice(docx, ".docx", "pdf")


def libreoffice_doc(docx: bytes) -> bytes:
    """The DOCX saved by LibreOffice as a Word 97-2003 .doc, the binary format older reports use."""
    return _libreoffice(docx, ".docx", "doc")


def libreoffice_xls(xlsx: bytes) -> bytes:
    """The XLSX saved by LibreOffice as an Excel 97-2003 .xls."""
    return _libreoffice(xlsx, ".xlsx", "xls")


def _libreoffice(data: bytes, suffix: str, target: str) -> bytes:
    # The converter the parser reads legacy files with, driven the other way.
    program = _program("soffice", "libreoffice")
    with tempfile.TemporaryDirectory(prefix="nianbao-office-") as tmp:
        source = Path(tmp) / f"report{suffix}"
        source.write_bytes(data)
        try:
            return libreoffice_convert(program, source, target, TIMEOUT_SECONDS)
        except DocumentError as exc:
            raise ExportError(str(exc)) from exc


def chromium_pdf(html: str, *, header_footer: bool = False) -> bytes:
    """The article page as headless Chromium prints it to PDF; with `header_footer`, the date and
    title atop each page and the address and page count below it, as a browser prints by default."""
    program = _program("chromium", "chromium-browser", "google-chrome")
    with tempfile.TemporaryDirectory(prefix="nianbao-office-") as tmp:
        work = Path(tmp)
        page = work / "article.html"
        page.write_text(html, encoding="utf-8")
        out = work / "article.pdf"
        _run(
            [
                program,
                "--headless",
                "--no-sandbox",  # runs as root in containers, where the sandbox cannot start
                "--disable-gpu",
                f"--user-data-dir={work / 'profile'}",
                *([] if header_footer else ["--no-pdf-header-footer"]),
                f"--print-to-pdf={out}",
                page.as_uri(),
            ]
        )
        return _written(out, program)


def producer_version(program: str) -> str:
    """What the program says its version is, for the fixtures' record."""
    found = _program(program)
    result = _run([found, "--version"])
    return result.stdout.strip().splitlines()[0] if result.stdout.strip() else found


def _program(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise ExportError(f"none of {', '.join(names)} is installed (Debian: libreoffice-writer-nogui, chromium)")


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ExportError(f"{command[0]} did not finish in {TIMEOUT_SECONDS} s") from exc
    if result.returncode != 0:
        raise ExportError(f"{command[0]} exited {result.returncode}: {result.stderr.strip()[-500:]}")
    return result


def _written(path: Path, program: str) -> bytes:
    if not path.exists() or path.stat().st_size == 0:
        raise ExportError(f"{program} reported success but wrote no PDF")
    return path.read_bytes()
