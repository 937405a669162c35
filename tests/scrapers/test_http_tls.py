"""The client over TLS: verify_tls is obeyed, and the total deadline holds under TLS too.

The server is a loopback TLS socket with a self-signed certificate made in the test.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec

PAGE = b"<html><body>TLS page</body></html>"


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def _answer(conn: ssl.SSLSocket, byte_gap_s: float) -> None:
    conn.recv(65536)
    response = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(PAGE), PAGE)
    if not byte_gap_s:
        conn.sendall(response)
        return
    for index in range(len(response)):
        conn.sendall(response[index : index + 1])
        time.sleep(byte_gap_s)


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[Callable[[float], str]]:
    """Start a TLS server that answers every request with PAGE, a byte every `gap` s (0: at once)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*_self_signed(tmp_path))
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    gap = [0.0]

    def handle(raw: socket.socket) -> None:
        try:
            with context.wrap_socket(raw, server_side=True) as conn:
                _answer(conn, gap[0])
        except (OSError, ssl.SSLError):
            pass  # the client gave up or refused the certificate

    def serve() -> None:
        while not stop.is_set():
            try:
                raw, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=handle, args=(raw,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    def start(byte_gap_s: float) -> str:
        gap[0] = byte_gap_s
        return f"https://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    stop.set()
    thread.join(timeout=5)
    listener.close()


def _client(make_spec: Callable[..., PortalSpec], base_url: str, *, verify: bool) -> PoliteClient:
    http = {"connect_timeout_s": 1, "read_timeout_s": 1, "total_timeout_s": 1.5, "verify_tls": verify}
    return PoliteClient(make_spec(base_url, overrides={"http": http}, retries=0))


@pytest.mark.timeout(60)
@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_verify_tls_false_is_obeyed_even_with_a_ca_bundle_in_the_environment(
    tls_server: Callable[[float], str], make_spec: Callable[..., PortalSpec], monkeypatch: pytest.MonkeyPatch
) -> None:
    base_url = tls_server(0)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", requests.certs.where())  # a real bundle, as CI images set
    with _client(make_spec, base_url, verify=True) as client:
        checked = client.get(base_url + "/a.html")
    with _client(make_spec, base_url, verify=False) as client:
        unchecked = client.get(base_url + "/a.html")
    assert checked.outcome == "failed" and "certificate" in (checked.error or "").lower()
    assert unchecked.outcome == "ok" and unchecked.content == PAGE


@pytest.mark.timeout(60)
@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_dribbling_tls_server_fails_at_the_deadline(
    tls_server: Callable[[float], str], make_spec: Callable[..., PortalSpec]
) -> None:
    base_url = tls_server(0.25)  # ~100 bytes at 0.25 s: 25 s if the deadline did not cut it
    with _client(make_spec, base_url, verify=False) as client:
        result = client.get(base_url + "/a.html")
    assert result.outcome == "failed" and "deadline" in (result.error or "")
