"""HTTP validators: Last-Modified dates and the If-None-Match / If-Modified-Since checks."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime, parsedate_to_datetime
from typing import Final

PORTAL_TZ: Final = dt.timezone(dt.timedelta(hours=8))


def http_date(local: dt.datetime) -> str:
    """A portal-local (UTC+8) naive time as an RFC 7231 date."""
    return format_datetime(local.replace(tzinfo=PORTAL_TZ).astimezone(dt.UTC), usegmt=True)


def _etag_matches(header: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


def _not_modified_since(header: str, modified: dt.datetime) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    return modified.replace(tzinfo=PORTAL_TZ, microsecond=0) <= since


def not_modified(if_none_match: str | None, if_modified_since: str | None, etag: str, modified: dt.datetime) -> bool:
    """True when a conditional GET may be answered 304 (If-None-Match wins, RFC 7232 §6)."""
    if if_none_match is not None:
        return _etag_matches(if_none_match, etag)
    if if_modified_since is not None:
        return _not_modified_since(if_modified_since, modified)
    return False
