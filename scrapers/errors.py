"""Named exceptions that carry the scraper's control flow.

Each one maps to a decision: `Blocked` pauses a host for the run, `Refused` and
`Disallowed` mean "never fetch this", `LayoutChanged` surfaces layout drift instead of
an empty success, and `SpecError` rejects a portal description before any request.
"""

from __future__ import annotations


class ScraperError(Exception):
    """Base class of every scraper error."""


class SpecError(ScraperError):
    """A portal spec file is unreadable or invalid; the message names the file and field."""


class Refused(ScraperError):
    """The URL is off the portal's allowed hosts or resolves to a private address."""


class Disallowed(ScraperError):
    """robots.txt forbids the URL for our user agent."""


class Blocked(ScraperError):
    """An anti-bot system answered instead of the site; `kind` names the vendor."""

    def __init__(self, host: str, kind: str, detail: str = "") -> None:
        super().__init__(f"{host} blocked by {kind}" + (f": {detail}" if detail else ""))
        self.host = host
        self.kind = kind


class RateLimited(Blocked):
    """The host asked us (429/503 Retry-After) to wait longer than `max_retry_after_s`."""

    def __init__(self, host: str, wait_s: float) -> None:
        super().__init__(host, "rate_limited")
        self.wait_s = wait_s

    def __str__(self) -> str:
        return f"rate limited: {self.host} asked to wait {self.wait_s:g} s; paused for this run"


class TooSlow(Blocked):
    """The host let `hits` exchanges in a row run into the total deadline."""

    def __init__(self, host: str, deadline_s: float, hits: int) -> None:
        super().__init__(host, "too_slow")
        self.deadline_s = deadline_s
        self.hits = hits

    def __str__(self) -> str:
        return (
            f"too slow: {self.host} gave no full answer within {self.deadline_s:g} s {self.hits} times in a row;"
            " paused for this run"
        )


class BudgetExhausted(ScraperError):
    """The run has used its `max_requests_per_run`."""


class RetryableError(ScraperError):
    """A transient failure (connection, timeout, 5xx, 429, truncated body) worth retrying."""

    def __init__(self, message: str, *, wait_s: float | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.wait_s = wait_s
        self.status = status


class PermanentError(ScraperError):
    """A failure that retrying will not fix (4xx other than 429, oversized body)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class LayoutChanged(ScraperError):
    """A page no longer has the structure the spec describes."""

    def __init__(self, url: str, selector: str, detail: str = "") -> None:
        super().__init__(f"{url}: {detail or 'nothing matched'} (selector {selector!r})")
        self.url = url
        self.selector = selector


class PageUnavailable(ScraperError):
    """A page discovery needs could not be fetched; `outcome` is the FetchResult outcome."""

    def __init__(self, url: str, outcome: str, detail: str | None) -> None:
        super().__init__(f"{url}: {outcome}" + (f" ({detail})" if detail else ""))
        self.url = url
        self.outcome = outcome
        self.detail = detail or ""

    @property
    def not_found(self) -> bool:
        """The server says the page does not exist (404/410), as opposed to failing to answer."""
        return self.outcome == "failed" and self.detail.startswith(("HTTP 404", "HTTP 410"))
