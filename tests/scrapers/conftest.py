"""Fixtures for the scraper tests: a tiny real HTTP server with scripted routes.

Routes are plain functions that write a response with the stdlib handler, so every
behaviour under test (retries, blocks, truncation, redirects) happens on a real socket.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from scrapers.spec import PortalSpec, parse_spec

Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Hit:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    at: float


@dataclass
class ScriptedServer:
    """A threaded HTTP server whose paths answer with test-supplied functions."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    base_url: str = ""

    def hits_for(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    *,
    content_type: str | None = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
    length: int | None = None,
) -> None:
    """Write a complete response; `length` may lie to simulate truncation."""
    handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body) if length is None else length))
    handler.end_headers()
    handler.wfile.write(body)


def _handler_class(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _dispatch(self) -> None:
            server.hits.append(Hit(self.command, self.path, dict(self.headers), time.monotonic()))
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            route = server.routes.get(self.path.split("?")[0])
            if route is None:
                send(self, 404, b"<html>not found</html>")
            else:
                route(self)

        do_GET = do_POST = do_HEAD = _dispatch

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _serve() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(scripted))
    httpd.daemon_threads = True
    scripted.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield scripted
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    yield from _serve()


@pytest.fixture
def evil() -> Iterator[ScriptedServer]:
    """A second server standing for another host: tests assert it is never contacted."""
    yield from _serve()


def spec_data(base_url: str, **politeness: Any) -> dict[str, Any]:
    """A minimal valid spec mapping pointed at a local server, with small delays."""
    host = base_url.split("://", 1)[1]
    return {
        "name": "测试门户",
        "level": "prefecture",
        "region_code": "640500",
        "base_url": base_url,
        "allowed_hosts": [host],
        "allow_private_addresses": True,
        "cms_family": "trs_wcm",
        "http": {"connect_timeout_s": 2, "read_timeout_s": 2, "max_body_bytes": 100_000},
        "politeness": {
            "min_delay_s": 0.0,
            "retries": 3,
            "backoff_base_s": 0.01,
            "backoff_cap_s": 0.05,
            "max_retry_after_s": 5,
            "respect_robots_txt": False,
            **politeness,
        },
        "seeds": [{"kind": "navigation", "url": "/"}],
        "discovery": {"report_column_link_text": ["政府信息公开年报"]},
        "listing": {"container_selectors": [".xxgk_list"]},
    }


@pytest.fixture
def make_spec(tmp_path: Path) -> Callable[..., PortalSpec]:
    def build(base_url: str, *, overrides: dict[str, Any] | None = None, **politeness: Any) -> PortalSpec:
        data = {**spec_data(base_url, **politeness), **(overrides or {})}
        return parse_spec(data, tmp_path / "test.yaml")

    return build
