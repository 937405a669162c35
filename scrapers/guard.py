"""Where the crawler may go: the portal's allowed hosts, and no private networks.

Checked before the first request and after every redirect hop, so a redirect can't
walk the crawler off the portal or into the local network. The URL is read the way
the HTTP client will connect (`scrapers.urls.target`); an ambiguous URL is refused.
"""

from __future__ import annotations

import ipaddress
import socket

from scrapers.errors import Refused
from scrapers.spec import host_allowed
from scrapers.urls import AmbiguousUrl, target


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return []  # unresolvable: the request itself will fail and be recorded
    return [_address(host, info[4][0]) for info in infos]


def _address(host: str, resolved: str | int) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    if not isinstance(resolved, str):
        # An address family Python cannot decode comes back as (family number, raw bytes): not one we can vet.
        raise Refused(f"{host} resolves to an address of unknown family {resolved}")
    return ipaddress.ip_address(resolved.split("%")[0])


def _is_private(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return not address.is_global or address.is_multicast


def check_url(url: str, allowed_hosts: list[str], *, allow_private: bool) -> None:
    """Raise `Refused` unless the URL is unambiguous http(s), on an allowed host, and public (or allowed)."""
    try:
        where = target(url)
    except AmbiguousUrl as exc:
        raise Refused(f"ambiguous URL refused: {exc}") from exc
    if where.scheme not in ("http", "https"):
        raise Refused(f"not an http(s) URL: {url}")
    if not host_allowed(url, allowed_hosts):
        raise Refused(f"host not allowed: {where.host}:{where.port}")
    if allow_private:
        return
    private = [str(a) for a in _addresses(where.host, where.port) if _is_private(a)]
    if private:
        raise Refused(f"{where.host} resolves to a private address {private[0]}")
