"""Where the crawler may go: the portal's allowed hosts, and no private networks.

Checked before the first request and after every redirect hop, so a redirect can't
walk the crawler off the portal or into the local network.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from scrapers.errors import Refused
from scrapers.spec import host_allowed


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return []  # unresolvable: the request itself will fail and be recorded
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def _is_private(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return not address.is_global or address.is_multicast


def check_url(url: str, allowed_hosts: list[str], *, allow_private: bool) -> None:
    """Raise `Refused` unless the URL is http(s), on an allowed host, and public (or allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"not an http(s) URL: {url}")
    if not host_allowed(url, allowed_hosts):
        raise Refused(f"host not allowed: {parts.netloc}")
    if allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    private = [str(a) for a in _addresses(parts.hostname, port) if _is_private(a)]
    if private:
        raise Refused(f"{parts.hostname} resolves to a private address {private[0]}")
