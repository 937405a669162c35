"""Legacy Office files (OLE2: Word .doc, Kingsoft WPS .wps, Excel .xls, Kingsoft .et), read
through LibreOffice.

Older reports, and offices still on WPS, attach the binary formats. Nothing in Python reads
their tables well; LibreOffice does, so the file is converted to DOCX or XLSX by `soffice
--headless` in a directory and profile of its own, and read by the DOCX or XLSX reader.
The converter is optional: without it such a file is an error that says what to install,
and counts as the parser's failure (ParsedReport.crashed), so it is read again on a later
run where LibreOffice is installed. A conversion that outlives `Limits.convert_seconds` is
killed with every process it started.

The program is `soffice` (or `libreoffice`) on PATH, or the one NIANBAO_SOFFICE names.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from parsers.document import Document, Limits
from parsers.docx import read_docx
from parsers.errors import DocumentError, ReaderUnavailable
from parsers.xlsx import read_xlsx

ENV_SOFFICE = "NIANBAO_SOFFICE"
_WORD, _EXCEL = "docx", "xlsx"
# OLE2 directory entries name their streams in UTF-16: the main stream says what the file is.
_STREAMS = {
    # Word 97-2003; Kingsoft WPS Writer's .wps when it holds the same stream (no real one was tested)
    "WordDocument".encode("utf-16-le"): _WORD,
    "Workbook".encode("utf-16-le"): _EXCEL,  # Excel 97-2003 (and Kingsoft ET's .et, likewise untested)
    b"B\x00o\x00o\x00k\x00\x00\x00": _EXCEL,  # Excel 5/95
}
_SUFFIX = {_WORD: ".doc", _EXCEL: ".xls"}
# A password-protected DOCX or XLSX is an OLE2 file holding the encrypted zip.
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def legacy_kind(data: bytes) -> str:
    """ "docx" for a Word-like OLE2 file, "xlsx" for an Excel-like one; DocumentError otherwise."""
    if _ENCRYPTED in data:
        raise DocumentError("a password-protected Office document; cannot be read")
    for name, kind in _STREAMS.items():
        if name in data:
            return kind
    raise DocumentError("a legacy Office (OLE2) file that is neither a Word nor an Excel document; not supported")


def convert_legacy(data: bytes, limits: Limits) -> tuple[str, bytes]:
    """The file converted by LibreOffice: ("docx" or "xlsx", its bytes)."""
    kind = legacy_kind(data)
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="nianbao-legacy-") as tmp:
        work = Path(tmp)
        source = work / f"document{_SUFFIX[kind]}"
        source.write_bytes(data)
        converted = libreoffice_convert(program, source, kind, limits.convert_seconds)
        return kind, converted


def soffice() -> str:
    """The LibreOffice program to convert with; ReaderUnavailable when there is none."""
    named = os.environ.get(ENV_SOFFICE)
    if named:
        if shutil.which(named):
            return named
        raise ReaderUnavailable(f"{ENV_SOFFICE}={named} is not an executable program")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ReaderUnavailable(
        "a legacy Office file (.doc/.wps/.xls/.et): reading it needs LibreOffice (soffice), which is not installed"
    )


def libreoffice_convert(program: str, source: Path, target: str, seconds: float) -> bytes:
    """`source` converted by LibreOffice to the `target` format (docx, xlsx, pdf...), written
    beside it; the bytes of the result. DocumentError when it fails, hangs or writes nothing."""
    work = source.parent
    # A profile of its own: a second soffice on one profile waits on the first one's lock.
    profile = f"-env:UserInstallation={(work / '.profile').as_uri()}"
    options = ["--headless", "--norestore", "--convert-to", target, "--outdir", str(work)]
    _run([program, profile, *options, str(source)], seconds)
    out = source.with_suffix(f".{target}")
    if not out.exists() or out.stat().st_size == 0:
        raise DocumentError(f"LibreOffice could not convert the {source.suffix} file to {target}")
    return out.read_bytes()


def _run(command: Sequence[str], seconds: float) -> None:
    # soffice starts soffice.bin and may leave it behind: its own session, killed whole.
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, start_new_session=True
    )
    try:
        _, err = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise DocumentError(f"LibreOffice did not convert the file in {seconds:g} s (killed)") from None
    finally:
        _kill_leftovers(process.pid)
    if process.returncode != 0:
        detail = err.decode("utf-8", "replace").strip()[-300:]
        raise DocumentError(f"LibreOffice failed to convert the file (exit {process.returncode}): {detail}")


def _kill_leftovers(group: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group ended with soffice, as it should
        os.killpg(group, signal.SIGKILL)


def read_legacy(data: bytes, limits: Limits, charset: str | None = None) -> Document:
    """Read a legacy Word or Excel file through LibreOffice (the served `charset` is not used)."""
    kind, converted = convert_legacy(data, limits)
    reader = read_docx if kind == _WORD else read_xlsx
    return reader(converted, limits, None)
