"""HTML bytes -> text: declared charset first, then UTF-8, then GB18030."""

from __future__ import annotations

import codecs
import re

from parsers.document import Limits
from parsers.errors import DocumentError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_SNIFF_WINDOW = 4096
# GB2312 and GBK are subsets of GB18030; decoding with the superset never loses text.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
# Error pages declare Latin-1 over UTF-8 bodies; such a declaration is not evidence.
_WEAK = {"iso8859-1", "latin-1", "ascii", "cp1252", "windows-1252"}


def check_size(data: bytes, limits: Limits) -> None:
    """Refuse empty and oversized pages before any parsing (a 50 MB page fails here)."""
    if not data:
        raise DocumentError("empty file (0 bytes), expected an HTML page")
    if len(data) > limits.max_html_bytes:
        raise DocumentError(f"HTML page too large: {len(data)} bytes, limit {limits.max_html_bytes}")


def decode_html(data: bytes, http_charset: str | None = None) -> str:
    """Decode a page the way a browser would for Chinese government sites.

    `http_charset` (from the Content-Type header the page was served with) counts when
    the page itself declares nothing: a Big5 page labelled only in the header.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    for declared in (_declared_charset(data), _codec(http_charset)):
        if declared and declared not in _WEAK:
            return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def charset_param(media_type: str | None) -> str | None:
    """The charset parameter of a media type ("text/html; charset=big5" -> "big5")."""
    for param in (media_type or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_SNIFF_WINDOW])
    if not match:
        return None
    return _codec(match.group(1).decode("ascii", errors="ignore"))


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    name = label.strip().lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
