"""`ReplicaServer`: the replica site over real HTTP on 127.0.0.1, in a background thread.

Use it as a context manager (or start()/stop()). It keeps a request log for tests,
applies the configured `Faults`, and can switch to a revised site without restarting
(`set_revision`), so a second crawl sees changed reports with new ETags.
"""

from __future__ import annotations

import dataclasses
import threading
from functools import partial
from http.server import ThreadingHTTPServer
from typing import Any, Literal

from replica.faults import Faults, FaultState
from replica.handler import ReplicaHandler
from replica.requestlog import RequestLog
from replica.site import Site, build_site

Family = Literal["trs", "hanweb"]
FAMILIES: tuple[Family, ...] = ("trs", "hanweb")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], replica: ReplicaServer) -> None:
        self.replica = replica
        super().__init__(address, ReplicaHandler)


class ReplicaServer:
    """An HTTP server for one replica site (see module docstring)."""

    def __init__(
        self,
        seed: int = 1,
        *,
        faults: Faults | None = None,
        port: int = 0,
        host: str = "127.0.0.1",
        site: Site | None = None,
        family: Family = "trs",
        **site_kwargs: Any,
    ) -> None:
        self.family = family
        self._site = site if site is not None else _build(family, seed, site_kwargs)
        self.faults = faults if faults is not None else Faults()
        self.fault_state = FaultState(self.faults)
        self.request_log = RequestLog()
        self._address = (host, port)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def site(self) -> Site:
        return self._site

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the replica server is not running")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>` without a trailing slash."""
        return f"http://{self._address[0]}:{self.port}"

    def start(self) -> ReplicaServer:
        """Bind and serve in a daemon thread; returns self."""
        if self._httpd is not None:
            return self
        self._httpd = _HTTPServer(self._address, self)
        # A short poll interval lets stop() return quickly.
        serve = partial(self._httpd.serve_forever, poll_interval=0.05)
        self._thread = threading.Thread(target=serve, name="replica-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd, self._thread = None, None

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def set_revision(self, revision: int, *, relist: bool = False) -> None:
        """Serve the site at `revision` from now on; unchanged bodies keep their ETags. With `relist`, the
        listings show each revised report's revision date (a site republishing it), else its first date."""
        with self._lock:
            if revision != self._site.revision:
                self._site = self._site.with_revision(revision, relist=relist)

    def unrecoverable_paths(self) -> list[str]:
        """Documents that always redirect off-host under the current faults."""
        return sorted(p for p, r in self._site.resources.items() if r.document and self.faults.offhost(p))

    def manifest(self) -> dict[str, Any]:
        """The site manifest plus the fault settings and what they make unrecoverable."""
        site = self._site.manifest
        lost = set(self.unrecoverable_paths())
        reports = [r | {"unrecoverable": _lost(r, lost)} for r in site["reports"]]
        faults = dataclasses.asdict(self.faults) | {"unrecoverable": sorted(lost)}
        return site | {"reports": reports, "faults": faults}


def _build(family: Family, seed: int, site_kwargs: dict[str, Any]) -> Site:
    """The site of `family`: the TRS site (nxzw's structure) or the Hanweb one (replica.hanweb)."""
    if family == "hanweb":
        from replica.hanweb import build_hanweb_site

        return build_hanweb_site(seed, **site_kwargs)
    if family != "trs":
        raise ValueError(f"replica family must be one of {', '.join(FAMILIES)}, not {family!r}")
    return build_site(seed, **site_kwargs)


def _lost(report: dict[str, Any], lost: set[str]) -> bool:
    """A report is lost when its article, continuation or canonical document is."""
    needed = {report["article"], report["continuation"], report["canonical"]["path"]} - {None}
    return bool(needed & lost)
