"""The HTTP request handler: control endpoints, robots.txt, faults, then the site.

A request first meets the fault injector (replica.faults); only then is the site
asked for the resource. `/__replica__/*` and `/robots.txt` bypass faults, and
`/__replica__/*` is not written to the request log.
"""

from __future__ import annotations

import json
import socket
import struct
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from replica.blocks import block_response
from replica.conditional import http_date, not_modified
from replica.faults import SLOW_BYTE_GAP_S
from replica.markup import ORIGIN
from replica.pages import not_found
from replica.requestlog import HEADERS_OF_INTEREST, LoggedRequest
from replica.site import Endpoint, EndpointRequest

if TYPE_CHECKING:
    from replica.server import ReplicaServer, _HTTPServer

HTML = "text/html; charset=utf-8"
JSON = "application/json;charset=UTF-8"


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""


def _json(data: Any, status: int = 200) -> Response:
    return Response(status, [("Content-Type", JSON)], json.dumps(data, ensure_ascii=False).encode())


def _error_page(status: int) -> Response:
    body = f"<html><head><title>{status}</title></head><body><h1>{status} 服务暂时不可用</h1></body></html>"
    return Response(status, [("Content-Type", HTML)], body.encode())


class ReplicaHandler(BaseHTTPRequestHandler):
    """Serves one replica site; `self.server.replica` is the owning ReplicaServer."""

    protocol_version = "HTTP/1.1"
    server: _HTTPServer  # the one server class that serves this handler: it carries the ReplicaServer

    def version_string(self) -> str:
        return "nginx"

    @property
    def replica(self) -> ReplicaServer:
        return self.server.replica

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: the RequestLog records requests instead of stderr."""

    def do_GET(self) -> None:
        self._dispatch(head=False)

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def do_POST(self) -> None:
        self._dispatch(head=False)

    def _dispatch(self, *, head: bool) -> None:
        arrived = time.monotonic()
        # One handler serves every request of a kept-alive connection: forget the last body, and
        # read this one first, so an answer that ignores it (a fault, a 405) leaves none in the stream.
        self._body: bytes | None = None
        self._read_body()
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path.startswith("/__replica__/"):
            self._send(self._control(path, url.query), head)
            return
        self._bare_path, self._query = path, url.query
        status = self._public(self.replica.site.request_key(path, url.query), head)
        headers = {name: self.headers[name] for name in HEADERS_OF_INTEREST if self.headers[name] is not None}
        self.replica.request_log.append(LoggedRequest(arrived, self.command, self.path, status, headers))

    def _public(self, path: str, head: bool) -> int:
        """Answer a site request, faults first; returns the status logged (0 = reset)."""
        if path == "/robots.txt":
            return self._send(Response(200, [("Content-Type", "text/plain; charset=utf-8")], self._robots()), head)
        resolved = self.replica.site.resolve(path)
        document = resolved is not None and resolved[1].document
        fault = self.replica.fault_state.decide(path, document=document)
        if self.replica.faults.latency_ms:
            time.sleep(self.replica.faults.latency_ms / 1000)
        if fault == "reset":
            return self._reset()
        if fault == "truncate":
            return self._send(self._answer(path, head), head, truncate=True)
        if fault == "slow":
            return self._send(self._answer(path, head), head, slow=True)
        if fault != "none":
            return self._send(self._fault(fault, path), head)
        return self._send(self._answer(path, head), head)

    def _robots(self) -> bytes:
        return self.replica.site.robots_txt.encode()

    def _fault(self, fault: str, path: str) -> Response:
        faults = self.replica.faults
        if fault == "block":
            block = block_response(faults.block or "412", faults.seed)
            return Response(block.status, list(block.headers), block.body)
        if fault == "offhost":
            return Response(302, [("Location", faults.offhost_target(path, self.replica.port))])
        if fault == "rate_limit":
            response = _error_page(429)
            response.headers.append(("Retry-After", "1"))
            return response
        return _error_page(faults.error_status(path))

    def _answer(self, path: str, head: bool) -> Response:
        endpoint = self.replica.site.endpoint(self.command, self._bare_path)
        if endpoint is not None:
            return self._endpoint(endpoint)
        if self.command == "POST":
            return self._post(path)
        site = self.replica.site
        resolved = site.resolve(path)
        if resolved is None:
            if not path.endswith("/") and site.resolve(path + "/") is not None:
                return Response(301, [("Location", path + "/")])
            return Response(404, [("Content-Type", HTML)], not_found().encode())
        real_path, resource = resolved
        rendered = site.render(real_path, resource)
        body = self._on_this_host(rendered.body) if resource.kind != "attachment" else rendered.body
        headers = [
            ("Content-Type", resource.content_type),
            ("ETag", rendered.etag),
            ("Last-Modified", http_date(resource.modified)),
            *resource.headers,
        ]
        conditional = (self.headers["If-None-Match"], self.headers["If-Modified-Since"])
        if not_modified(*conditional, rendered.etag, resource.modified):
            return Response(304, headers)
        return Response(200, headers, body)

    def _on_this_host(self, body: bytes) -> bytes:
        """Absolute links on the host the request named (the ETag stays the one of the bytes as planned)."""
        host = self.headers["Host"] or f"127.0.0.1:{self.replica.port}"
        return body.replace(ORIGIN.encode(), f"http://{host}".encode())

    def _post(self, path: str) -> Response:
        if path != "/irs/front/search":
            return Response(405, [("Content-Type", HTML), ("Allow", "GET, HEAD")], b"<h1>405 Method Not Allowed</h1>")
        try:
            body = json.loads(self._read_body() or b"{}")
        except ValueError:
            return _json({"code": 400, "msg": "请求参数格式错误", "data": None}, 400)
        if not isinstance(body, dict):
            return _json({"code": 400, "msg": "请求参数格式错误", "data": None}, 400)
        host = self.headers["Host"] or f"127.0.0.1:{self.replica.port}"
        return _json(self.replica.site.search(body, host))

    def _endpoint(self, endpoint: Endpoint) -> Response:
        """A site endpoint answers from the query string and form fields merged, as a servlet reads them."""
        params = {name: values[0] for name, values in parse_qs(self._query, keep_blank_values=True).items()}
        if self.command == "POST" and "form-urlencoded" in (self.headers["Content-Type"] or ""):
            form = parse_qs(self._read_body().decode("utf-8", "replace"), keep_blank_values=True)
            params |= {name: values[0] for name, values in form.items()}
        host = self.headers["Host"] or f"127.0.0.1:{self.replica.port}"
        status, headers, body = endpoint(EndpointRequest(self.command, self._bare_path, params, host))
        return Response(status, headers, body)

    def _read_body(self) -> bytes:
        """The request body, read once (a reset or an endpoint may ask again)."""
        cached = self._body
        if cached is None:
            length = int(self.headers["Content-Length"] or 0)
            cached = self._body = self.rfile.read(length) if length else b""
        return cached

    def _control(self, path: str, query: str) -> Response:
        if path == "/__replica__/manifest.json":
            return _json(self.replica.manifest())
        if path == "/__replica__/revision" and self.command == "POST":
            self._read_body()
            revision = int(parse_qs(query).get("n", ["0"])[0])
            self.replica.set_revision(revision)
            return _json({"revision": revision})
        return Response(404, [("Content-Type", HTML)], not_found().encode())

    def _send(self, response: Response, head: bool, *, truncate: bool = False, slow: bool = False) -> int:
        """Write `response`; a truncated one announces the full length but sends half and closes,
        a slow one dribbles its body a byte at a time until done or the client hangs up."""
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        if response.status != 304:
            self.send_header("Content-Length", str(len(response.body)))
        if truncate:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if head or response.status == 304:
            return response.status
        if slow:
            self._dribble(response.body)
        else:
            self.wfile.write(response.body[: len(response.body) // 2] if truncate else response.body)
        return response.status

    def _dribble(self, body: bytes) -> None:
        self.close_connection = True
        try:
            for index in range(len(body)):
                self.wfile.write(body[index : index + 1])
                time.sleep(SLOW_BYTE_GAP_S)
        except OSError:
            pass  # the client gave up at its deadline, as it should

    def _reset(self) -> int:
        """Drop the connection without an answer: SO_LINGER 0 makes close() send a RST."""
        self._read_body()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True
        return 0
