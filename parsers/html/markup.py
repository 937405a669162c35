"""Refuse absurd markup (too many elements, or nested too deep) before building a tree of it.

A tree costs about 150 times its page in memory and 4 s per MB to build (300k <p>, 2.4 MB:
11 s and 400 MB); real report pages hold a few thousand elements, Word's span soup tens
of thousands. BeautifulSoup and the readers walk the tree recursively; 100,000 nested
tables (a few hundred KB) take minutes to build and then overflow the stack. Real pages nest
tables a few levels deep (a layout table around the statistics table) and containers a
few dozen, so the caps leave room for any real page. End tags HTML lets authors omit
(</td>, </tr>, </li>, </p>) are not counted: their elements cannot pile up unclosed here.
"""

from __future__ import annotations

import re

from parsers.errors import DocumentError

MAX_ELEMENTS = 200_000
MAX_DEPTH = {"table": 32, "div": 256, "span": 256, "section": 256, "blockquote": 256, "ul": 256, "ol": 256}
_START_TAG = re.compile(r"<[A-Za-z]")
_TAG = re.compile(r"<(/?)(" + "|".join(MAX_DEPTH) + r")(?=[\s/>])", re.IGNORECASE)


def check_markup(text: str) -> None:
    """DocumentError when the page has more than MAX_ELEMENTS elements, or any capped
    element nests deeper than its cap."""
    elements = sum(1 for _ in _START_TAG.finditer(text))
    if elements > MAX_ELEMENTS:
        raise DocumentError(f"HTML page has {elements} elements, limit {MAX_ELEMENTS}")
    depth = dict.fromkeys(MAX_DEPTH, 0)
    for match in _TAG.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            depth[name] = max(0, depth[name] - 1)
            continue
        depth[name] += 1
        if depth[name] > MAX_DEPTH[name]:
            raise DocumentError(f"HTML <{name}> elements nested more than {MAX_DEPTH[name]} deep")
