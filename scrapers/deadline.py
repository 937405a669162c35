"""A wall-clock deadline for one HTTP exchange: status line, headers and body together.

requests' timeouts bound each socket operation, so a server that sends one byte every
second never trips them and can hold a request for hours. A `Deadline` is armed in the
calling thread around one exchange; the connection carrying the exchange attaches
itself (through the adapter below), and a timer shuts its socket down when time is up,
which ends the blocked read at once. The caller then treats the exchange as failed,
whatever the read returned: a response cut off by the deadline is never "ok".
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_armed = threading.local()


def _shutdown(sock: socket.socket) -> None:
    # The plain socket's shutdown, also under TLS: SSLSocket.shutdown would tear down the
    # TLS state while the other thread is still reading through it. Already closed: fine.
    with contextlib.suppress(OSError, TypeError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class Deadline:
    """Context manager: `expired` is True once `seconds` have passed since entering."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        _armed.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        _armed.deadline = None

    def attach(self, connection: HTTPConnection) -> None:
        """Watch the connection's socket; shut it at once if time is already up.

        The socket itself is kept: a response that closes the connection when done
        detaches it from the connection object while the body is still being read.
        """
        sock = getattr(connection, "sock", None)
        if sock is None:
            return  # still connecting: request() attaches again once connected
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shutdown(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)


def _armed_deadline() -> Deadline | None:
    return getattr(_armed, "deadline", None)


class _Watched(HTTPConnection):
    """A urllib3 connection that attaches to the caller's deadline for each request.

    Put before the concrete connection class (`_Watched, HTTPSConnection`): `super()` is then its `request`.
    """

    def request(self, *args: Any, **kwargs: Any) -> None:
        deadline = _armed_deadline()
        if deadline is not None:
            deadline.attach(self)
        super().request(*args, **kwargs)
        if deadline is not None:
            # The socket may only exist now (plain HTTP connects inside request()).
            deadline.attach(self)


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class DeadlineAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections obey the `Deadline` armed by the calling thread."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS pools bring their own connection classes
            manager.pool_classes_by_scheme = dict(_POOLS)
        return manager
