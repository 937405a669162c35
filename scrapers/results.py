"""What a fetch returns: plain dataclasses, plus the validator-store seam.

The scraper never touches the database; callers that keep ETags hand them in through
the `ValidatorStore` protocol.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Protocol

from formats.charset import decode_html

Outcome = Literal["ok", "not_modified", "failed", "blocked", "disallowed", "refused"]


@dataclass(frozen=True)
class Validators:
    """Stored cache validators of one URL, sent back as a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


class ValidatorStore(Protocol):
    """Where the caller keeps validators of earlier downloads."""

    def validators_for(self, url: str) -> Validators | None: ...


@dataclass(frozen=True)
class LastCheck:
    """When the server last answered for a URL whose body the caller holds, and what the
    listing said of it then (None: no listing named it, e.g. a page of a split article)."""

    checked_at: dt.datetime
    media_type: str | None = None  # as stored, with the charset the server declared
    listed_title: str | None = None
    listed_on: dt.date | None = None


class StoredPages(ValidatorStore, Protocol):
    """Validators plus the bodies they stand for: lets discovery re-read an unchanged
    article from the caller's store after a 304 instead of downloading it again, or,
    with `last_check`, without asking the server at all while its re-check is not due."""

    def body_for(self, url: str) -> bytes | None: ...

    def last_check(self, url: str) -> LastCheck | None:
        """None when the caller holds no body of `url` (or wants everything fetched again)."""
        ...


@dataclass(frozen=True)
class Attempt:
    """One HTTP exchange (or a failure to have one), in the order they happened."""

    url: str
    http_status: int | None
    outcome: str
    error: str | None = None
    waited_s: float = 0.0
    bytes_read: int = 0


@dataclass
class FetchResult:
    """The end result of fetching one URL, after redirects and retries."""

    url: str
    final_url: str
    outcome: Outcome
    http_status: int | None = None
    content: bytes | None = None
    media_type: str | None = None
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    attempts: list[Attempt] = field(default_factory=list)
    error: str | None = None
    block_kind: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    @property
    def content_type(self) -> str | None:
        """Media type with the charset the server declared, e.g. "text/html; charset=big5".

        Kept together so a reader of the stored bytes can still decode a page whose
        charset was only in the HTTP header.
        """
        if self.media_type is None or self.charset is None:
            return self.media_type
        return f"{self.media_type}; charset={self.charset}"

    def text(self) -> str:
        """The body decoded as HTML (formats.charset: BOM, the page's meta, the header charset, UTF-8, GB18030)."""
        return decode_html(self.content or b"", self.charset)
