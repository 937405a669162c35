"""Refuse absurdly nested markup before building a tree of it.

BeautifulSoup and the readers walk the tree recursively; 100,000 nested tables (a few
hundred KB) take minutes to build and then overflow the stack. Real report pages nest
tables a few levels deep (a layout table around the statistics table) and containers a
few dozen, so the caps leave room for any real page. End tags HTML lets authors omit
(</td>, </tr>, </li>, </p>) are not counted: their elements cannot pile up unclosed here.
"""

from __future__ import annotations

import re

from parsers.errors import DocumentError

MAX_DEPTH = {"table": 32, "div": 256, "span": 256, "section": 256, "blockquote": 256, "ul": 256, "ol": 256}
_TAG = re.compile(r"<(/?)(" + "|".join(MAX_DEPTH) + r")(?=[\s/>])", re.IGNORECASE)


def check_nesting(text: str) -> None:
    """DocumentError when any capped element nests deeper than its cap."""
    depth = dict.fromkeys(MAX_DEPTH, 0)
    for match in _TAG.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            depth[name] = max(0, depth[name] - 1)
            continue
        depth[name] += 1
        if depth[name] > MAX_DEPTH[name]:
            raise DocumentError(f"HTML <{name}> elements nested more than {MAX_DEPTH[name]} deep")
