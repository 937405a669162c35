"""Per-host pacing: one request at a time per host, at least `min_delay_s` apart.

Thread-safe so a caller may fan out across hosts; within one host requests queue up.
The gap is measured from the end of one request to the start of the next, which keeps
the spacing the server sees at or above the minimum even on slow connections.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class HostGate:
    """Serialises and spaces requests per host, and remembers hosts paused for the run."""

    def __init__(
        self,
        min_delay_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._min_delay_s = min_delay_s
        self._clock = clock
        self._sleep = sleep
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._next_start: dict[str, float] = {}
        self._paused: dict[str, str] = {}

    def _lock_for(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    @contextmanager
    def slot(self, host: str, *, extra_wait_s: float = 0.0) -> Iterator[float]:
        """Hold the host's turn; yields the seconds waited before it started."""
        with self._lock_for(host):
            earliest = self._next_start.get(host, 0.0)
            wait = max(0.0, earliest - self._clock(), extra_wait_s)
            if wait:
                self._sleep(wait)
            try:
                yield wait
            finally:
                self._next_start[host] = self._clock() + self._min_delay_s

    def pause(self, host: str, reason: str) -> None:
        """Stop all further requests to the host for this run."""
        with self._guard:
            self._paused.setdefault(host, reason)

    def paused_reason(self, host: str) -> str | None:
        with self._guard:
            return self._paused.get(host)

    @property
    def paused(self) -> dict[str, str]:
        with self._guard:
            return dict(self._paused)
