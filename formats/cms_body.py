"""Where a CMS puts an article's body, and which of the candidates holds the report.

TRS (.TRS_Editor, .TRS_UEDITOR, .Custom_UnionStyle, #zoom…), Hanweb (#ivs_content,
.article-content, .bt_content…) and their neighbours each print the body in a container
of their own; a page may carry several (an outer wrapper, a list of articles).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bs4 import BeautifulSoup, Tag

# Order is no priority: of nested matches the innermost counts, of several the one holding the report.
BODY_SELECTORS = (
    ".TRS_UEDITOR",
    ".TRS_Editor",
    ".Custom_UnionStyle",
    ".trs_editor_view",
    "#zoom",
    ".view",
    ".pages_content",
    "#UCAP-CONTENT",
    ".detail-text-content",
    ".article_content_01",
    ".mainText",
    "#ivs_content",
    ".article-content",
    ".main-txt",
    ".bt_content",
)
_REPORT_WORDS = ("政府信息公开", "报告")
_SIMPLE = re.compile(r"^([.#])([A-Za-z_][\w-]*)$")
_CLASS_NAME = re.compile(r"[^ \t\r\n\f]+")  # how CSS splits a class attribute (soupsieve alike)


def article_body(soup: BeautifulSoup, selectors: Sequence[str] = BODY_SELECTORS) -> Tag:
    """The container most likely to hold the report, else <body>.

    Of nested containers the innermost counts (an outer #zoom around the editor div adds
    only chrome); of several, the one that names a report and holds the most table cells.
    """
    candidates = body_candidates(soup, selectors)
    if not candidates:
        return soup.body or soup
    return max(candidates, key=_score)


def containers(soup: BeautifulSoup, selectors: Sequence[str] = BODY_SELECTORS) -> list[Tag]:
    """Every element one of `selectors` matches, in document order.

    Plain `.class` and `#id` selectors are matched in one pass over the tags (soupsieve tries
    every selector on every element: a quarter of an article page's parse); others go to soupsieve.
    """
    classes, ids, others = _split(selectors)
    found: dict[int, Tag] = {}
    if classes or ids:
        for tag in soup.find_all(True):
            value = tag.get("class") or ()
            # A string where the tree builder does not split multi-valued attributes (XML), else a list.
            names: Iterable[str] = _CLASS_NAME.findall(value) if isinstance(value, str) else value
            if tag.get("id") in ids or not classes.isdisjoint(names):
                found[id(tag)] = tag
    if others:
        extra = {id(tag): tag for tag in soup.select(", ".join(others))}
        if extra.keys() - found.keys():
            found.update(extra)
            order = {id(tag): i for i, tag in enumerate(soup.find_all(True))}
            return sorted(found.values(), key=lambda tag: order[id(tag)])
    return list(found.values())


def _split(selectors: Sequence[str]) -> tuple[frozenset[str], frozenset[str], list[str]]:
    classes, ids, others = set(), set(), []
    for selector in selectors:
        match = _SIMPLE.match(selector.strip())
        if not match:
            others.append(selector)
        elif match[1] == ".":
            classes.add(match[2])
        else:
            ids.add(match[2])
    return frozenset(classes), frozenset(ids), others


def body_candidates(soup: BeautifulSoup, selectors: Sequence[str] = BODY_SELECTORS) -> list[Tag]:
    """The containers that hold no other container: each one article's body, or none of the report's."""
    return _innermost(containers(soup, selectors))


def _innermost(tags: list[Tag]) -> list[Tag]:
    chosen = set(map(id, tags))
    return [t for t in tags if not any(id(p) in chosen for p in t.find_all(True))]


def _score(tag: Tag) -> tuple[bool, int, int]:
    text = tag.get_text()
    names_report = all(word in text for word in _REPORT_WORDS)
    return (names_report, len(tag.find_all(["td", "th"])), len(text))
