"""Test-only readers that misbehave on purpose, for the parser guard's tests.

A guard's workers run them through `parse_with` (ParserPool's `parse_with`), so they only
ever run inside a worker with a memory limit.
"""

from __future__ import annotations

import os
import resource
import signal
import time
from functools import partial

from parsers.dispatch import READERS, Parse, Reader, parse_document
from parsers.document import Document, Limits
from parsers.text import read_text

_CHUNK = 32 * 1024 * 1024


def parse_with(fmt: str, reader: Reader) -> Parse:
    """parse_document with `reader` for format `fmt`: picklable, for a guard's workers."""
    return partial(parse_document, readers={**READERS, fmt: reader})


def read_misbehaving(data: bytes, limits: Limits, charset: str | None = None) -> Document:
    """Sleep, eat memory or crash when the first line says so; otherwise read text."""
    command = data.split(b"\n", 1)[0].strip()
    if command == b"SLEEP":
        time.sleep(3600)
    elif command == b"EAT":
        _eat_memory()
    elif command == b"CRASH":
        os.kill(os.getpid(), signal.SIGSEGV)
    return read_text(data, limits)


def _eat_memory() -> None:
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft > 1024**3:
        # Never eat a shared machine's memory outside a small guard.
        raise RuntimeError("refusing to eat memory without an address-space limit of at most 1 GiB")
    hoard = []
    while True:
        hoard.append(bytearray(_CHUNK))


# A zip member of this name marks a DOCX the reader below stalls on (the name is stored
# uncompressed in the zip's headers, so the bytes hold it as is).
STALL_MEMBER = "nianbao-test-stall"


def read_stalling_docx(data: bytes, limits: Limits, charset: str | None = None) -> Document:
    """read_docx, except that it sleeps on a DOCX holding a STALL_MEMBER member."""
    from parsers.docx import read_docx

    if STALL_MEMBER.encode() in data:
        time.sleep(3600)
    return read_docx(data, limits)
