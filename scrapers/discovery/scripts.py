"""The live code of a page's scripts: comments are not code.

TRS pages keep stale pager calls next to live ones (`//createPageHTML(9, 0, ...)` above
`var countPage = 17`), so pagers are read from script text with JavaScript comments
(`//`, `/* */`, and the HTML-like `<!--` / line-leading `-->`) removed. HTML comments
outside scripts never reach here: the parser keeps them apart from script text.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

_QUOTES = "'\"`"


def strip_js_comments(code: str) -> str:
    """`code` without its comments; string literals (which may hold `//` in URLs) are kept."""
    out: list[str] = []
    i, n, quote = 0, len(code), ""
    line_start = True
    while i < n:
        ch = code[i]
        if quote:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(code[i + 1])
                i += 2
                continue
            quote = "" if ch == quote or (ch == "\n" and quote != "`") else quote
            i += 1
            continue
        if code.startswith("//", i) or code.startswith("<!--", i) or (line_start and code.startswith("-->", i)):
            i = _line_end(code, i)
            continue
        if code.startswith("/*", i):
            end = code.find("*/", i + 2)
            i = n if end < 0 else end + 2
            out.append(" ")
            continue
        if ch in _QUOTES:
            quote = ch
        line_start = ch == "\n" or (line_start and ch in " \t\r")
        out.append(ch)
        i += 1
    return "".join(out)


def _line_end(code: str, i: int) -> int:
    end = code.find("\n", i)
    return len(code) if end < 0 else end


def live_script(soup: BeautifulSoup) -> str:
    """The text of every inline script of the page, comments removed, one per line."""
    blocks = (script.get_text() for script in soup.find_all("script") if not script.get("src"))
    return "\n".join(strip_js_comments(block) for block in blocks)
