"""What a discovery could not read, sorted for its caller: to retry, excluded, or the evidence it read.

The caller records the first kind as failures (retried next run), the second as not
collected (robots.txt), and resolves failures of the pages discovery did read this time.
"""

from __future__ import annotations

from scrapers.discovery.models import Discovery, Unreached
from scrapers.http import RequestStats

DISALLOWED = "disallowed"
# Problems that are pages we could not read (retried next run), not layout drift.
UNREAD_KINDS = ("refused", "blocked", "fetch_failed")


def to_retry(found: Discovery) -> list[Unreached]:
    """Reports and listing pages discovery could not read, by URL, robots.txt exclusions aside.

    An unreadable page among the problems that names no report counts too, with no agency
    or year (what it hides is unknown).
    """
    pages = {u.url: u for u in found.unreached if u.outcome != DISALLOWED}
    for problem in found.problems:
        if problem.kind in UNREAD_KINDS and problem.url not in pages:
            pages[problem.url] = Unreached(problem.url, "", None, None, problem.kind, problem.detail)
    return list(pages.values())


def excluded(found: Discovery) -> list[Unreached]:
    """Reports robots.txt keeps us from reading: not collected, never retried."""
    return [u for u in found.unreached if u.outcome == DISALLOWED]


def pages_read(found: Discovery) -> set[str]:
    """The report and listing pages discovery read (the evidence that resolves their failures)."""
    listings = {url for c in found.columns if c.pages for url in (c.url, *c.pages)}
    return {url for r in found.reports for url in (r.url, *r.pages)} | listings


def unreachable(stats: RequestStats) -> str | None:
    """Why no request reached the portal ("connection refused", ...); None when one did, or none was made."""
    return stats.unanswered if stats.requests and not stats.answered else None


def problems_to_tell(found: Discovery, why_unreachable: str | None) -> list[str]:
    """The discovery's problems for a person, one line each; for a portal nothing answered, only that
    (its "no 年报 column found" and robots.txt notes would only mislead)."""
    return [f"unreachable: {why_unreachable}"] if why_unreachable else [str(p) for p in found.problems]
