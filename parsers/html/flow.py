"""Walk rendered HTML in document order as lines of text and tables.

Block elements and <br> end a line; inline runs (Word's <span> soup) are concatenated,
so a label split over three spans reads as one. Invisible content (scripts, styles,
display:none) never reaches the output.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import Tag
from bs4.element import NavigableString, PageElement, PreformattedString

from parsers.cjk import normalize_space

BLOCK_TAGS = frozenset(
    (
        *("address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "ul"),
        *("tr", "td", "th", "caption", "thead", "tbody", "tfoot"),
    )
)
SKIP_TAGS = frozenset(
    ("script", "style", "noscript", "template", "head", "iframe", "object", "embed", "svg", "select", "button")
)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

Item = str | Tag  # a line of text, or a <table> left for the caller
# What the walk meets: inline text (str), a block edge (_BREAK) or a <table> (Tag) to yield whole.
Event = str | Tag | None
_BREAK = None


def is_hidden(tag: Tag) -> bool:
    """True for elements a browser would not show."""
    return tag.name in SKIP_TAGS or bool(_HIDDEN.search(str(tag.get("style", "")))) or tag.has_attr("hidden")


def iter_items(node: Tag, *, tables: bool) -> Iterator[Item]:
    """Lines of text under `node`; with `tables`, <table> elements are yielded whole."""
    pending: list[str] = []
    for event in _events(node, tables):
        if isinstance(event, str):
            pending.append(event)
            continue
        line = normalize_space("".join(pending))
        pending.clear()
        if line:
            yield line
        if event is not _BREAK:
            yield event
    line = normalize_space("".join(pending))
    if line:
        yield line


def _events(node: Tag, tables: bool) -> Iterator[Event]:
    for child in node.children:
        if isinstance(child, Tag):
            yield from _tag_events(child, tables)
        elif _is_text(child):
            yield str(child)


def _tag_events(tag: Tag, tables: bool) -> Iterator[Event]:
    if is_hidden(tag):
        return
    if tag.name == "br":
        yield _BREAK
    elif tag.name == "table" and tables:
        yield tag
    elif tag.name in BLOCK_TAGS or tag.name == "table":
        yield _BREAK
        yield from _events(tag, tables)
        yield _BREAK
    else:
        yield from _events(tag, tables)


def _is_text(node: PageElement) -> bool:
    # Comments, CDATA, doctype and processing instructions are PreformattedStrings.
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)
