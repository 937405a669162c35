"""Pulling URLs out of CMS markup: href, onclick handlers, script blocks, JS redirects."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from bs4 import Tag

from scrapers import urls

# The first quoted absolute or relative path in a handler: window.open('./…'), isDownLoad(this,'https://…').
_ONCLICK_URL = re.compile(r"""["']((?:https?://|\.{1,2}/|/)[^"'\s]+)["']""")
_SCRIPT_HREF = re.compile(r"""href\s*=\s*\\?["']([^"'\\]+)\\?["']""", re.IGNORECASE)
_JS_REDIRECT = re.compile(
    r"""(?:window\.|document\.|self\.|top\.)?location(?:\.href)?\s*=\s*["']([^"']+)["']"""
    r"""|location\.replace\(\s*["']([^"']+)["']\s*\)""",
    re.IGNORECASE,
)
_NOT_LINKS = ("javascript:", "mailto:", "tel:", "#")
# Server-side scripts that serve a file named in their query.
_HANDLERS = frozenset({"jsp", "do", "action", "asp", "aspx", "php", "ashx", "cgi"})
_FILE_PARAMS = frozenset({"filename", "file", "fname", "name", "filepath", "path"})


def absolute(base: str, href: str) -> str | None:
    """Resolve `href` against `base`, dropping fragments; None for non-navigable links."""
    href = href.strip()
    if not href or href.lower().startswith(_NOT_LINKS):
        return None
    url, _fragment = urldefrag(urljoin(base, href))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    # Browsers send a literal space in a path as %20 (report file names have them); a space
    # before the path stays, so the client refuses the URL instead of guessing its host.
    if " " not in parts.path + parts.query:
        return url
    return parts._replace(path=parts.path.replace(" ", "%20"), query=parts.query.replace(" ", "%20")).geturl()


def onclick_target(value: str) -> str | None:
    """The URL inside `onclick="window.open('./2024/t….html')"` and similar handlers."""
    match = _ONCLICK_URL.search(value)
    return match.group(1) if match else None


def element_target(element: Tag, base: str, *, use_onclick: bool) -> str | None:
    """Where a link element points: its href, else (optionally) its onclick handler."""
    url = absolute(base, str(element.get("href") or ""))
    if url is None and use_onclick and element.get("onclick"):
        target = onclick_target(str(element["onclick"]))
        url = absolute(base, target) if target else None
    return url


def script_hrefs(script_text: str) -> list[str]:
    """href values written by `document.write('<a href=\"./P0….pdf\">')` blocks."""
    return [match.group(1) for match in _SCRIPT_HREF.finditer(script_text)]


def js_redirect(html: str) -> str | None:
    """The target of a `location.href = "…"` redirect stub, if the page is one."""
    match = _JS_REDIRECT.search(html)
    return (match.group(1) or match.group(2)) if match else None


def _name_extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def extension(url: str) -> str:
    """Lower-case file extension of the URL ("" if none).

    A download handler (`/module/download/downfile.jsp?classid=0&filename=….pdf`) is named
    by the file it serves: the extension of its file-name parameter, not `jsp`.
    """
    parts = urlsplit(url)
    own = _name_extension(parts.path.rsplit("/", 1)[-1])
    if own and own not in _HANDLERS:
        return own
    for name, value in parse_qsl(parts.query):
        if name.lower() in _FILE_PARAMS and (served := _name_extension(value.rsplit("/", 1)[-1])):
            return served
    return own


def same_origin(a: str, b: str) -> bool:
    """Same scheme, host and port as the HTTP client reads them; an ambiguous URL has no origin."""
    return urls.same_origin(a, b)
