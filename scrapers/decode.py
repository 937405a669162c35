"""Turning HTML bytes into text: header charset, then the page's meta, then detection.

Chinese portals mislabel often: GBK pages without a header charset, gb2312 labels on
text that uses GBK-only characters. gbk/gb2312 are therefore decoded as gb18030, a
superset that never fails on them.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SUPERSETS = {
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "gb_2312": "gb18030",
    "x-gbk": "gb18030",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
}
_HEAD_BYTES = 4096


def normalize_charset(label: str | None) -> str | None:
    """A Python codec name for a charset label, widened to its superset; None if unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _SUPERSETS.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return _SUPERSETS.get(codec, codec)


def meta_charset(body: bytes) -> str | None:
    """The charset declared by `<meta charset>` or `http-equiv` in the page head."""
    match = _META_CHARSET.search(body[:_HEAD_BYTES])
    return normalize_charset(match.group(1).decode("ascii")) if match else None


def detect_charset(body: bytes) -> str:
    """Best guess from the bytes themselves; utf-8 when the detector has no opinion."""
    best = from_bytes(body[:65536]).best()
    return normalize_charset(best.encoding if best else None) or "utf-8"


def choose_charset(body: bytes, header_charset: str | None) -> str:
    """The charset to decode with, in the order header, BOM, meta, detection."""
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return normalize_charset(header_charset) or meta_charset(body) or detect_charset(body)


def decode_html(body: bytes, header_charset: str | None = None) -> str:
    """Decode an HTML body; undecodable bytes become U+FFFD rather than aborting a crawl."""
    return body.decode(choose_charset(body, header_charset), errors="replace")
