"""robots.txt, fetched once per origin and honoured with protego.

Unreachable robots.txt (5xx, network failure) means "disallow everything" as RFC 9309
§2.3.1.4 asks; a 4xx means there are no rules.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import urlsplit

from protego import Protego

from scrapers.results import FetchResult

_ALLOW_ALL = Protego.parse("")
_DISALLOW_ALL = Protego.parse("User-agent: *\nDisallow: /\n")


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def rules_from(result: FetchResult) -> Protego:
    """Parse a robots.txt fetch into rules, applying the RFC's failure semantics."""
    if result.ok:
        return Protego.parse((result.content or b"").decode("utf-8", errors="replace"))
    status = result.http_status or 0
    if 400 <= status < 500 or result.outcome == "refused":
        return _ALLOW_ALL
    return _DISALLOW_ALL


class RobotsPolicy:
    """Answers "may we fetch this URL?", fetching each origin's robots.txt once per run."""

    def __init__(self, user_agent: str, fetch: Callable[[str], FetchResult]) -> None:
        self._user_agent = user_agent
        self._fetch = fetch
        self._rules: dict[str, Protego] = {}
        self._lock = threading.Lock()

    def _rules_for(self, url: str) -> Protego:
        key = robots_url(url)
        with self._lock:
            if key not in self._rules:
                self._rules[key] = rules_from(self._fetch(key))
            return self._rules[key]

    def allowed(self, url: str) -> bool:
        if urlsplit(url).path == "/robots.txt":
            return True
        return self._rules_for(url).can_fetch(url, self._user_agent)
