"""One reading of a URL: the host and port the HTTP client will connect to, or none.

Python's `urlsplit` and urllib3's `parse_url` (which requests uses to connect) disagree
on odd URLs: `http://evil.example\\@www.nxzw.gov.cn/` is www.nxzw.gov.cn to the first
and evil.example to the second. Every check (allowed hosts, private addresses, same
origin) reads the URL through `target`, which answers with urllib3's reading and
refuses any URL the two libraries could read differently, rather than pick one.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

_DEFAULT_PORTS = {"http": 80, "https": 443}


class AmbiguousUrl(ValueError):
    """A URL that could be read as pointing at more than one place; never fetched."""


@dataclass(frozen=True)
class Target:
    """Where a request for the URL goes: scheme, lower-case host (IDNA-encoded), port."""

    scheme: str
    host: str
    port: int

    @property
    def origin(self) -> tuple[str, str, int]:
        return self.scheme, self.host, self.port


def _character_problem(url: str) -> str | None:
    if "\\" in url:
        return "contains a backslash"
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return "contains whitespace or a control character"
    return None


def _idna(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise AmbiguousUrl(f"host {host!r} is not a valid domain name") from exc


def _stdlib_reading(url: str) -> tuple[str, str, int | None]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise AmbiguousUrl(str(exc)) from exc
    if "@" in parts.netloc:
        raise AmbiguousUrl("carries userinfo (an @ before the host)")
    return parts.scheme.lower(), _idna(parts.hostname or ""), port


def target(url: str) -> Target:
    """The URL's destination as the HTTP client sees it; `AmbiguousUrl` if it is not unique."""
    problem = _character_problem(url)
    if problem:
        raise AmbiguousUrl(f"URL {problem}: {url!r}")
    try:
        scheme, host, port = _stdlib_reading(url)
        parsed = parse_url(url)
    except (AmbiguousUrl, LocationParseError) as exc:
        raise AmbiguousUrl(f"URL cannot be read unambiguously ({exc}): {url!r}") from exc
    theirs = ((parsed.scheme or "").lower(), (parsed.host or "").strip("[]").lower(), parsed.port)
    if (scheme, host, port) != theirs or parsed.auth:
        raise AmbiguousUrl(f"URL is read as {host!r} by urlsplit but {theirs[1]!r} by the HTTP client: {url!r}")
    if not host:
        raise AmbiguousUrl(f"URL has no host: {url!r}")
    return Target(scheme, host, port or _DEFAULT_PORTS.get(scheme, 0))


def same_origin(a: str, b: str) -> bool:
    """True if both URLs unambiguously go to the same scheme, host and port."""
    try:
        return target(a).origin == target(b).origin
    except AmbiguousUrl:
        return False
