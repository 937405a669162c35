"""Reading plain-text reports (as the seeds are stored) into a Document.

Text arrives as UTF-8 or GB18030 (older portals), sometimes with markdown-ish markup
from an HTML-to-text step: `#` headings and `**bold**`. Markup is removed; a `#`
heading keeps its level on the TextBlock because section splitting uses it.
"""

from __future__ import annotations

import re

from parsers.document import Block, Document, Limits, TextBlock
from parsers.errors import DocumentError

MAX_CONTROL_SHARE = 0.01  # more control characters than this: binary, not text
_HEADING = re.compile(r"^\s*(#{1,6})\s*")
_BOLD = re.compile(r"\*\*|__")


def decode_text(data: bytes) -> str:
    """Text of the bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError("the bytes are neither UTF-8 nor GB18030 text")


def looks_binary(text: str) -> bool:
    """True when the decoded text is mostly not text (control characters, NULs)."""
    sample = text[:20000]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f")
    return "\x00" in sample or controls > len(sample) * MAX_CONTROL_SHARE


def read_text(data: bytes, limits: Limits, charset: str | None = None) -> Document:
    """A Document with one TextBlock per non-blank line, markup stripped.

    The encoding is told from the bytes (decode_text); the served `charset` is not used.
    """
    if len(data) > limits.max_bytes:
        raise DocumentError(f"text of {len(data)} bytes exceeds the limit of {limits.max_bytes}")
    text = decode_text(data)
    if looks_binary(text):
        raise DocumentError("the bytes are binary data, not text")
    blocks: list[Block] = [block for line in text.splitlines() if (block := _line_block(line)) is not None]
    return Document(blocks=blocks, media_type="text/plain")


def _line_block(line: str) -> TextBlock | None:
    level = None
    if match := _HEADING.match(line):
        level = len(match.group(1))
        line = line[match.end() :]
    line = _BOLD.sub("", line).rstrip()
    if not line.strip():
        return None
    return TextBlock(line, heading_level=level)
