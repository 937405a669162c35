"""Pick the element that holds the article body on a portal page."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

# TRS and neighbouring CMSs (portals.md §2.5), most specific first.
CONTENT_SELECTORS = (
    ".TRS_UEDITOR",
    ".TRS_Editor",
    ".trs_editor_view",
    "#zoom",
    ".view",
    ".pages_content",
    "#UCAP-CONTENT",
    ".detail-text-content",
    ".article_content_01",
    ".mainText",
)
_REPORT_WORDS = ("政府信息公开", "报告")
_CLASSES = frozenset(s[1:] for s in CONTENT_SELECTORS if s.startswith("."))
_IDS = frozenset(s[1:] for s in CONTENT_SELECTORS if s.startswith("#"))
_CLASS_NAME = re.compile(r"[^ \t\r\n\f]+")  # how CSS splits a class attribute (soupsieve alike)


def article_body(soup: BeautifulSoup) -> Tag:
    """The content container most likely to hold the report.

    A page may list several articles, each in its own container; the one that names a
    report and holds the most table cells wins. Without any known container, <body>.
    """
    candidates = _innermost(containers(soup))
    if not candidates:
        return soup.body or soup
    return max(candidates, key=_score)


def containers(soup: BeautifulSoup) -> list[Tag]:
    """Every element a CONTENT_SELECTORS selector matches, in document order.

    What soup.select(", ".join(CONTENT_SELECTORS)) returns, in one pass over the tags:
    soupsieve tries every selector on every element, a quarter of an article page's parse.
    """
    found = []
    for tag in soup.find_all(True):
        classes = tag.get("class") or ()
        if isinstance(classes, str):
            classes = _CLASS_NAME.findall(classes)
        if tag.get("id") in _IDS or not _CLASSES.isdisjoint(classes):
            found.append(tag)
    return found


def _innermost(tags: list[Tag]) -> list[Tag]:
    # An outer wrapper (#zoom) around the real editor div adds nothing but chrome.
    chosen = set(map(id, tags))
    return [t for t in tags if not any(id(p) in chosen for p in t.find_all(True))]


def _score(tag: Tag) -> tuple[bool, int, int]:
    text = tag.get_text()
    names_report = all(word in text for word in _REPORT_WORDS)
    return (names_report, len(tag.find_all(["td", "th"])), len(text))
