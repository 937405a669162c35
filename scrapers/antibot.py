"""Recognising anti-bot answers (portals.md §4) so the crawler can stop, never solve them.

A block is a response that is not the site: a challenge status with a vendor fingerprint,
or a 200 page that carries a challenge marker and lacks every positive sentinel of a real
page. Only detection lives here; the client decides to pause the host.
"""

from __future__ import annotations

from collections.abc import Mapping

from bs4 import BeautifulSoup

from scrapers.spec import AntiBotSpec

# Vendor fingerprints: (kind, cookie-name prefixes, body markers, header names).
_VENDORS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("ruishu", ("FSSBBIl1UgzbN7N80", "4hP44ZykCTt5T", "NOh8RTWx6K2dT"), ("$_ts",), ()),
    ("jiasule", ("__jsluid", "__jsl_clearance"), ("__jsl_clearance", "__jsluid"), ("x-via-jsl",)),
    ("chuangyudun", ("wzws_cid", "wzws_sessionid"), ("wzwschallenge", "WZWSREL"), ()),
    ("aliyun", ("acw_tc", "acw_sc__v2", "NfBCSins2OywS"), ("aliyun_waf", "acw_sc__v2"), ()),
    ("wangfang", (), ("网防", "G01"), ()),
)


def vendor_of(headers: Mapping[str, str], set_cookies: list[str], body_text: str) -> str | None:
    """The anti-bot vendor fingerprinted by cookies, headers or body markers, if any."""
    names = [cookie.split("=", 1)[0].strip() for cookie in set_cookies]
    lowered = {key.lower() for key in headers}
    for kind, cookies, markers, header_names in _VENDORS:
        if any(name.startswith(prefix) for name in names for prefix in cookies):
            return kind
        if any(marker in body_text for marker in markers) or lowered & set(header_names):
            return kind
    return None


def _has_marker(body_text: str, spec: AntiBotSpec) -> bool:
    return any(marker in body_text for marker in spec.block_markers)


# Sentinels (the article's meta, its first links) sit near the top; parsing only this much
# keeps a 45 MB page that merely mentions a marker (验证码) from costing minutes here.
_SENTINEL_WINDOW = 1_000_000


def _has_sentinel(body_text: str, spec: AntiBotSpec) -> bool:
    soup = BeautifulSoup(body_text[:_SENTINEL_WINDOW], "lxml")
    return any(soup.select_one(selector) is not None for selector in spec.positive_sentinels)


def detect_block(
    status: int,
    headers: Mapping[str, str],
    set_cookies: list[str],
    body_text: str,
    spec: AntiBotSpec,
) -> str | None:
    """The block kind if this response is an anti-bot answer, else None.

    `block_status` (405/412/521…) always means a block. `suspect_status` (403/429/503…)
    does only with a vendor fingerprint or marker, so a plain 503 stays retryable. A 200
    HTML page is a soft block when it has a marker and is tiny or has no positive sentinel.
    """
    vendor = vendor_of(headers, set_cookies, body_text)
    if status in spec.block_status:
        return vendor or "unknown"
    if status in spec.suspect_status:
        return vendor or ("unknown" if _has_marker(body_text, spec) else None)
    if 200 <= status < 300 and (vendor or _has_marker(body_text, spec)):
        tiny = len(body_text.encode("utf-8")) < spec.min_html_bytes
        if tiny or not _has_sentinel(body_text, spec):
            return vendor or "soft"
    return None
