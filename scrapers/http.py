"""The polite HTTP client: one per run, built from a portal spec.

Every request goes through the same gauntlet: allowed host and public address (also
after each redirect, which we follow by hand), robots.txt, the per-host gate (one at a
time, `min_delay_s` apart), the run's request budget, then retries with exponential
backoff and jitter for transient failures only. Anti-bot answers pause the host for the
rest of the run; they are reported, never retried and never circumvented.
"""

from __future__ import annotations

import random
import socket
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.structures import CaseInsensitiveDict

from formats.charset import decode_html
from scrapers.antibot import detect_block
from scrapers.deadline import Deadline, DeadlineAdapter
from scrapers.errors import (
    Blocked,
    BudgetExhausted,
    Disallowed,
    PermanentError,
    RateLimited,
    Refused,
    RetryableError,
    TooSlow,
)
from scrapers.guard import check_url
from scrapers.politeness import HostGate
from scrapers.results import Attempt, FetchResult, Validators
from scrapers.robots import RobotsPolicy
from scrapers.spec import PortalSpec
from scrapers.wire import content_type, read_body, retry_after_s

_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass
class RequestStats:
    """Counters of one run: HTTP exchanges made, retries, bytes, final outcomes."""

    requests: int = 0
    retries: int = 0
    bytes_downloaded: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    # Page exchanges that got an HTTP response of any status; robots.txt aside, which a CDN
    # edge may answer while the site behind it does not.
    answered: int = 0
    unanswered: str | None = None  # why the last exchange got none: see `transport_failure`


@dataclass
class _Response:
    """A fully read response of one exchange."""

    status: int
    headers: CaseInsensitiveDict[str]
    body: bytes
    set_cookies: list[str] = field(default_factory=list)

    @property
    def location(self) -> str | None:
        return self.headers.get("Location") if self.status in _REDIRECTS else None


@dataclass
class _Request:
    """What to send; `json` or `form` makes it a POST; `max_bytes` a tighter body cap than the spec's."""

    url: str
    validators: Validators | None = None
    json: Any = None
    max_bytes: int | None = None
    form: dict[str, str] | None = None

    @property
    def method(self) -> str:
        return "GET" if self.json is None and self.form is None else "POST"


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


class PoliteClient:
    """Fetches URLs of one portal politely and reports every outcome as a `FetchResult`."""

    def __init__(
        self, spec: PortalSpec, *, rng: random.Random | None = None, spent: Mapping[str, int] | None = None
    ) -> None:
        """`spent`: requests this run made already per host (by other clients), counted against the budget."""
        self.spec = spec
        self.stats = RequestStats()
        self._spent: Counter[str] = Counter(spent or {})
        self._rng = rng or random.Random()
        self._lock = threading.Lock()
        self._gate = HostGate(spec.politeness.min_delay_s)
        self._slow_hits: dict[str, int] = {}  # host -> deadline hits in a row
        self._robots = RobotsPolicy(spec.http.user_agent, self._fetch_robots)
        self._session = requests.Session()
        self._session.headers.update({"User-Agent": spec.http.user_agent, **spec.http.headers})
        self._session.verify = spec.http.verify_tls
        adapter = DeadlineAdapter()
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    @property
    def blocked_hosts(self) -> dict[str, str]:
        """Hosts paused this run, with the block kind."""
        return self._gate.paused

    @property
    def spent(self) -> dict[str, int]:
        """Requests made per host this run, those of `spent` at the start included."""
        with self._lock:
            return dict(self._spent)

    def has_budget(self, url: str) -> bool:
        """False once the URL's host has used `politeness.max_requests_per_run` this run."""
        with self._lock:
            return self._spent[_host(url)] < self.spec.politeness.max_requests_per_run

    def get(self, url: str, *, validators: Validators | None = None, max_bytes: int | None = None) -> FetchResult:
        """GET a URL; conditional when validators are given (304 -> "not_modified").

        `max_bytes` lowers the body cap for this URL (never above `http.max_body_bytes`).
        """
        return self._fetch(_Request(url, validators=validators, max_bytes=max_bytes), check_robots=True)

    def post_json(self, url: str, payload: Any, *, max_bytes: int | None = None) -> FetchResult:
        """POST a JSON body (search APIs); same rules as `get`."""
        return self._fetch(_Request(url, json=payload, max_bytes=max_bytes), check_robots=True)

    def post_form(self, url: str, fields: dict[str, str], *, max_bytes: int | None = None) -> FetchResult:
        """POST form fields (Hanweb's jpage data proxy); same rules as `get`."""
        return self._fetch(_Request(url, max_bytes=max_bytes, form=fields), check_robots=True)

    def _fetch_robots(self, url: str) -> FetchResult:
        return self._fetch(_Request(url), check_robots=False)

    def _fetch(self, request: _Request, *, check_robots: bool) -> FetchResult:
        attempts: list[Attempt] = []
        try:
            final_url, response = self._follow(request, attempts, check_robots)
            result = self._result(request.url, final_url, response, attempts)
        except Blocked as exc:
            result = FetchResult(request.url, request.url, "blocked", error=str(exc), block_kind=exc.kind)
        except Disallowed as exc:
            result = FetchResult(request.url, request.url, "disallowed", error=str(exc))
        except Refused as exc:
            result = FetchResult(request.url, request.url, "refused", error=str(exc))
        except (RetryableError, PermanentError) as exc:
            result = FetchResult(request.url, request.url, "failed", http_status=exc.status, error=str(exc))
        except BudgetExhausted as exc:
            result = FetchResult(request.url, request.url, "failed", error=str(exc))
        result.attempts = attempts
        with self._lock:
            self.stats.outcomes[result.outcome] += 1
        return result

    def _result(self, url: str, final_url: str, response: _Response, attempts: list[Attempt]) -> FetchResult:
        media_type, charset = content_type(response.headers.get("Content-Type"))
        if self.spec.charset != "auto":
            charset = self.spec.charset
        not_modified = response.status == 304
        return FetchResult(
            url=url,
            final_url=final_url,
            outcome="not_modified" if not_modified else "ok",
            http_status=response.status,
            content=None if not_modified else response.body,
            media_type=media_type,
            charset=charset,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )

    def _follow(self, request: _Request, attempts: list[Attempt], check_robots: bool) -> tuple[str, _Response]:
        current = request
        for hop in range(self.spec.http.max_redirects + 1):
            try:
                self._admit(current.url, check_robots)
            except Refused as exc:
                # Say where the refused URL came from: a link of ours, or the server's redirect.
                raise (Refused(f"redirect from {request.url} to {current.url}: {exc}") if hop else exc) from None
            response = self._with_retries(current, attempts)
            if not response.location:
                return current.url, response
            target = urljoin(current.url, response.location)
            keep_post = response.status in (307, 308)
            current = _Request(
                target,
                current.validators,
                current.json if keep_post else None,
                current.max_bytes,
                current.form if keep_post else None,
            )
        raise PermanentError(f"more than {self.spec.http.max_redirects} redirects from {request.url}")

    def _admit(self, url: str, check_robots: bool) -> None:
        reason = self._gate.paused_reason(_host(url))
        if reason:
            raise Blocked(_host(url), reason, "host paused earlier in this run")
        check_url(url, self.spec.allowed_hosts, allow_private=self.spec.allow_private_addresses)
        if check_robots and self.spec.politeness.respect_robots_txt and not self._robots.allowed(url):
            raise Disallowed(f"robots.txt disallows {url}")

    def _with_retries(self, request: _Request, attempts: list[Attempt]) -> _Response:
        retries = self.spec.politeness.retries
        wait = 0.0
        for attempt_no in range(retries + 1):
            try:
                return self._exchange(request, attempts, wait)
            except RetryableError as exc:
                if attempt_no == retries:
                    raise
                wait = self._backoff(attempt_no, exc.wait_s)
                with self._lock:
                    self.stats.retries += 1
        raise AssertionError("unreachable")

    def _backoff(self, attempt_no: int, retry_after: float | None) -> float:
        politeness = self.spec.politeness
        if retry_after is not None:
            return min(retry_after, politeness.max_retry_after_s)
        delay = min(politeness.backoff_cap_s, politeness.backoff_base_s * 2.0**attempt_no)
        # Equal jitter: at least half the delay, so retries of many URLs don't align.
        return delay / 2 + self._rng.uniform(0, delay / 2)

    def _spend_budget(self, host: str) -> None:
        with self._lock:
            budget = self.spec.politeness.max_requests_per_run
            if self._spent[host] >= budget:
                raise BudgetExhausted(f"request budget of {budget} for {host} used up (max_requests_per_run)")
            self._spent[host] += 1
            self.stats.requests += 1

    def _exchange(self, request: _Request, attempts: list[Attempt], wait: float) -> _Response:
        host = _host(request.url)
        with self._gate.slot(host, extra_wait_s=wait) as waited:
            reason = self._gate.paused_reason(host)
            if reason:
                raise Blocked(host, reason, "host paused earlier in this run")
            self._spend_budget(host)
            try:
                response = self._send(request)
            except (RetryableError, PermanentError) as exc:
                attempts.append(Attempt(request.url, exc.status, "error", str(exc), waited))
                raise
            except TooSlow as exc:
                attempts.append(Attempt(request.url, None, "blocked", str(exc), waited))
                raise
        with self._lock:
            self.stats.bytes_downloaded += len(response.body)
            self.stats.answered += urlsplit(request.url).path != "/robots.txt"
        return self._classify(request.url, response, attempts, waited)

    def _send(self, request: _Request) -> _Response:
        """One exchange within the total deadline; a response the deadline cut off is a failure."""
        seconds = self.spec.http.total_timeout_s
        with Deadline(seconds) as deadline:
            try:
                response = self._send_unbounded(request)
            except (RetryableError, PermanentError) as exc:
                if deadline.expired:
                    if exc.status is None:  # cut off before the status line: no answer at all
                        with self._lock:
                            self.stats.unanswered = "timed out"
                    self._deadline_hit(request.url, seconds)
                    raise _deadline_error(seconds, exc.status) from exc
                raise
            if deadline.expired:
                self._deadline_hit(request.url, seconds)
                raise _deadline_error(seconds, response.status)
        self._slow_hits.pop(_host(request.url), None)
        return response

    def _deadline_hit(self, url: str, seconds: float) -> None:
        """Count a deadline hit of the URL's host; pause the host once it keeps happening."""
        host = _host(url)
        with self._lock:
            hits = self._slow_hits[host] = self._slow_hits.get(host, 0) + 1
        if hits >= self.spec.politeness.pause_host_after_deadlines:
            error = TooSlow(host, seconds, hits)
            self._gate.pause(host, error.kind)
            raise error

    def _send_unbounded(self, request: _Request) -> _Response:
        timeout = (self.spec.http.connect_timeout_s, self.spec.http.read_timeout_s)
        try:
            raw = self._session.request(
                request.method,
                request.url,
                headers=_conditional_headers(request.validators) if request.method == "GET" else None,
                json=request.json,
                data=request.form,
                timeout=timeout,
                allow_redirects=False,
                stream=True,
                # Per request: requests lets REQUESTS_CA_BUNDLE override a session-level verify=False.
                verify=self.spec.http.verify_tls,
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            with self._lock:
                self.stats.unanswered = transport_failure(exc)
            raise RetryableError(f"{type(exc).__name__}: {exc}") from exc
        except requests.RequestException as exc:
            raise PermanentError(f"{type(exc).__name__}: {exc}") from exc
        with raw:
            body = b"" if raw.status_code in (304, *_REDIRECTS) else self._read(raw, request.max_bytes)
            return _Response(raw.status_code, raw.headers, body, raw.raw.headers.getlist("Set-Cookie"))

    def _read(self, raw: requests.Response, max_bytes: int | None) -> bytes:
        limit = min(max_bytes or self.spec.http.max_body_bytes, self.spec.http.max_body_bytes)
        try:
            return read_body(raw, limit)
        except (RetryableError, PermanentError) as exc:
            exc.status = raw.status_code
            raise

    def _classify(self, url: str, response: _Response, attempts: list[Attempt], waited: float) -> _Response:
        status = response.status
        kind = self._block_kind(response)
        if kind:
            self._gate.pause(_host(url), kind)
            attempts.append(Attempt(url, status, "blocked", kind, waited, len(response.body)))
            raise Blocked(_host(url), kind, f"HTTP {status}")
        if status == 429 or status >= 500:
            wait = retry_after_s(response.headers.get("Retry-After"))
            if wait is not None and wait > self.spec.politeness.max_retry_after_s:
                self._pause_rate_limited(url, status, wait, attempts, waited, len(response.body))
            attempts.append(Attempt(url, status, "retry", f"HTTP {status}", waited, len(response.body)))
            raise RetryableError(f"HTTP {status}", wait_s=wait, status=status)
        if status >= 400:
            attempts.append(Attempt(url, status, "failed", f"HTTP {status}", waited, len(response.body)))
            raise PermanentError(f"HTTP {status}", status=status)
        label = "redirect" if response.location else ("not_modified" if status == 304 else "ok")
        attempts.append(Attempt(url, status, label, None, waited, len(response.body)))
        return response

    def _pause_rate_limited(
        self, url: str, status: int, wait: float, attempts: list[Attempt], waited: float, size: int
    ) -> None:
        """A wait longer than we would spend on one URL: stop asking this host for the run.

        Retrying each URL after the capped wait would cost (retries + 1) x the cap per URL
        and still ignore what the host asked for.
        """
        error = RateLimited(_host(url), wait)
        self._gate.pause(_host(url), error.kind)
        attempts.append(Attempt(url, status, "blocked", str(error), waited, size))
        raise error

    def _block_kind(self, response: _Response) -> str | None:
        media_type, charset = content_type(response.headers.get("Content-Type"))
        htmlish = media_type is None or media_type.startswith("text/") or "html" in media_type
        text = decode_html(response.body, charset) if htmlish else ""
        return detect_block(response.status, response.headers, response.set_cookies, text, self.spec.anti_bot)


def transport_failure(exc: requests.RequestException) -> str:
    """Why a request got no answer at all, in the words a person acts on."""
    if isinstance(exc, requests.Timeout):
        return "timed out"
    causes: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(causes) < 10:
        causes.append(current)
        reason = getattr(current, "reason", None)  # urllib3's MaxRetryError wraps the cause here
        current = reason if isinstance(reason, BaseException) else current.__cause__ or current.__context__
    if any(isinstance(c, urllib3.exceptions.NameResolutionError | socket.gaierror) for c in causes):
        return "DNS failure"
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return "connection refused"
    if any(isinstance(c, TimeoutError | urllib3.exceptions.TimeoutError) for c in causes):
        return "timed out"
    return "connection failed"


def _deadline_error(seconds: float, status: int | None) -> RetryableError:
    return RetryableError(f"incomplete response: no full answer within the {seconds:g} s deadline", status=status)


def _conditional_headers(validators: Validators | None) -> dict[str, str] | None:
    if validators is None:
        return None
    headers = {}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers or None
