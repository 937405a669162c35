"""HTML bytes to text, as a browser would for Chinese government pages.

Order: a byte-order mark; the page's own `<meta charset>` (the CMS that wrote the page
wrote it); the HTTP header's charset (a Big5 page labelled only there); then UTF-8 and
GB18030. Labels are often wrong (a GBK page declared UTF-8, gb2312 over GBK-only
characters), so each candidate is tried in that order and the first that reads the bytes
wins: all of them but one in a hundred non-ASCII bytes (a wrong charset fails on a good
share of them, a truncated character costs one); when none does, the one with the fewest
undecodable bytes. gbk and gb2312 are
read as their superset gb18030, and a Latin-1 or ASCII label, which error pages and server
defaults put over UTF-8 bodies, is no evidence at all.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
HEAD_BYTES = 4096  # where a page's <meta charset> must sit (browsers look at the first 1024; CMSs pad)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "gb_2312": "gb18030"}
_WEAK = frozenset({"iso8859-1", "latin-1", "ascii", "cp1252", "windows-1252"})
_FALLBACKS = ("utf-8", "gb18030")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_HIGH_BYTES = bytes(range(0x80, 0x100))
_STRAY_SHARE = 100  # a candidate may fail on one non-ASCII byte in this many
_REPLACEMENT = "\ufffd"


def decode_html(data: bytes, http_charset: str | None = None) -> str:
    """The page's text; undecodable bytes become U+FFFD rather than failing a crawl or a parse."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    printed = data.count(_REPLACEMENT.encode())  # a page may print U+FFFD itself
    tolerated = (len(data) - len(data.translate(None, _HIGH_BYTES))) // _STRAY_SHARE
    best: tuple[int, str] | None = None
    for codec in candidates(data, http_charset):
        text = data.decode(codec, errors="replace")
        bad = text.count(_REPLACEMENT) - printed
        if bad <= tolerated:
            return text
        if best is None or bad < best[0]:
            best = (bad, text)
    assert best is not None  # candidates always ends with the fallbacks
    return best[1]


def candidates(data: bytes, http_charset: str | None = None) -> list[str]:
    """Codecs to try, in order: the page's strong declaration, the header's, UTF-8, GB18030."""
    declared = (codec_name(meta_charset_label(data)), codec_name(http_charset))
    strong = [codec for codec in declared if codec and codec not in _WEAK]
    return list(dict.fromkeys([*strong, *_FALLBACKS]))


def meta_charset_label(data: bytes) -> str | None:
    """The label of `<meta charset>` or `http-equiv` Content-Type in the page head, as written."""
    match = _META_CHARSET.search(data[:HEAD_BYTES])
    return match.group(1).decode("ascii", errors="ignore") if match else None


def codec_name(label: str | None) -> str | None:
    """Python's codec name for a charset label, widened to its superset; None if unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _SUPERSETS.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return _SUPERSETS.get(codec, codec)


def charset_param(media_type: str | None) -> str | None:
    """The charset parameter of a media type or Content-Type value ("text/html; charset=big5" -> "big5")."""
    for param in (media_type or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None
