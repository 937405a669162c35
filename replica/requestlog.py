"""A thread-safe log of the requests the replica answered, for tests to inspect."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Final, NamedTuple

# Request headers worth keeping: conditional GETs, identity, cookies (block handling).
HEADERS_OF_INTEREST: Final = ("If-None-Match", "If-Modified-Since", "User-Agent", "Cookie", "Referer", "Range")


class LoggedRequest(NamedTuple):
    """One answered request; `time` is time.monotonic(), `status` 0 for a reset connection."""

    time: float
    method: str
    path: str
    status: int
    headers: dict[str, str]


class RequestLog:
    """Append-only list of LoggedRequest, safe to read while the server runs."""

    def __init__(self) -> None:
        self._entries: list[LoggedRequest] = []
        self._lock = threading.Lock()

    def append(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._entries.append(entry)

    def snapshot(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def for_path(self, path: str) -> list[LoggedRequest]:
        return [e for e in self.snapshot() if e.path == path]

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __iter__(self) -> Iterator[LoggedRequest]:
        return iter(self.snapshot())

    def __getitem__(self, index: int) -> LoggedRequest:
        with self._lock:
            return self._entries[index]
