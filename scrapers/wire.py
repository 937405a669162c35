"""Low-level helpers for one HTTP exchange: bounded body reads and header parsing."""

from __future__ import annotations

import email.utils
import time
from datetime import UTC, datetime

import requests

from formats.charset import charset_param
from scrapers.errors import PermanentError, RetryableError

_CHUNK = 65536


def content_type(header: str | None) -> tuple[str | None, str | None]:
    """(media type, charset) from a Content-Type header value."""
    if not header:
        return None, None
    media = header.split(";", 1)[0].strip()
    return media.lower() or None, charset_param(header)


def retry_after_s(header: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not header:
        return None
    value = header.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = datetime.fromtimestamp(time.time() if now is None else now, UTC)
    return max(0.0, (when - current).total_seconds())


def _declared_length(response: requests.Response) -> int | None:
    value = response.headers.get("Content-Length", "")
    return int(value) if value.isdigit() else None


def read_body(response: requests.Response, max_bytes: int) -> bytes:
    """Stream the body, refusing more than `max_bytes` and detecting truncation.

    A body shorter than its Content-Length (a dropped connection mid-transfer) raises a
    `RetryableError`; an oversized one a `PermanentError`, read no further.
    """
    declared = _declared_length(response)
    if declared is not None and declared > max_bytes:
        raise PermanentError(f"body of {declared} bytes exceeds the limit of {max_bytes}")
    chunks: list[bytes] = []
    total = 0
    try:
        for chunk in response.iter_content(_CHUNK):
            total += len(chunk)
            if total > max_bytes:
                raise PermanentError(f"body exceeds the limit of {max_bytes} bytes")
            chunks.append(chunk)
    except requests.RequestException as exc:
        raise RetryableError(f"body read failed after {total} bytes: {exc}") from exc
    body = b"".join(chunks)
    encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
    if declared is not None and not encoded and len(body) < declared:
        raise RetryableError(f"truncated body: {len(body)} of {declared} bytes")
    return body
