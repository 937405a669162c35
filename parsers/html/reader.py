"""HTML bytes -> Document: the article body's lines and tables, plus page metadata.

Absurd markup (too many elements, or nested too deep) is refused before a tree is built
of it. A tree costs about 150 times its page in memory and 4 s per MB to build (300k <p>,
2.4 MB: 11 s and 400 MB); real report pages hold a few thousand elements, Word's span soup
tens of thousands. BeautifulSoup and the readers walk the tree recursively; 100,000 nested
tables (a few hundred KB) take minutes to build and then overflow the stack. Real pages nest
tables a few levels deep (a layout table around the statistics table) and containers a
few dozen, so the caps leave room for any real page. End tags HTML lets authors omit
(</td>, </tr>, </li>, </p>) are not counted: their elements cannot pile up unclosed here.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from formats.charset import decode_html
from formats.cms_body import article_body
from parsers.cjk import normalize_space
from parsers.document import Block, Document, Limits, TableBlock, TextBlock
from parsers.errors import DocumentError
from parsers.html.flow import iter_items
from parsers.html.tables import own_rows, table_grid

MEDIA_TYPE = "text/html"
MAX_ELEMENTS = 200_000
MAX_DEPTH = {"table": 32, "div": 256, "span": 256, "section": 256, "blockquote": 256, "ul": 256, "ol": 256}
_START_TAG = re.compile(r"<[A-Za-z]")
_TAG = re.compile(r"<(/?)(" + "|".join(MAX_DEPTH) + r")(?=[\s/>])", re.IGNORECASE)
# Page metadata of the national government-website spec, read from <meta> tags.
META_NAMES = (
    "SiteName",
    "ColumnName",
    "ArticleTitle",
    "PubDate",
    "ContentSource",
    "Keywords",
    "Author",
    "Description",
    "Url",
)


def read_html(data: bytes, limits: Limits, charset: str | None = None) -> Document:
    """Read a portal article page (TRS and similar) into blocks.

    Raises DocumentError for empty or oversized pages (checked before parsing, so a
    hostile 50 MB page costs nothing) and for bytes that are not markup at all.
    `charset` is the one the page was served with, used when the page declares none.
    """
    check_size(data, limits)
    soup = _parse(decode_html(data, charset))
    blocks = list(_blocks(article_body(soup)))
    return Document(blocks, MEDIA_TYPE, pages=1, has_text_layer=True, meta=page_meta(soup))


def check_size(data: bytes, limits: Limits) -> None:
    """Refuse empty and oversized pages before any parsing (a 50 MB page fails here)."""
    if not data:
        raise DocumentError("empty file (0 bytes), expected an HTML page")
    if len(data) > limits.max_html_bytes:
        raise DocumentError(f"HTML page too large: {len(data)} bytes, limit {limits.max_html_bytes}")


def _parse(text: str) -> BeautifulSoup:
    if "<" not in text:
        raise DocumentError("not an HTML page: no markup found")
    check_markup(text)
    try:
        return BeautifulSoup(text, "lxml")
    except MemoryError:
        raise
    except Exception as exc:  # lxml's failures have no common base class worth naming
        raise DocumentError(f"unparseable HTML: {exc}") from exc


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


def page_meta(soup: BeautifulSoup) -> dict[str, str]:
    """ArticleTitle, PubDate, ContentSource... as published, plus the <title> text."""
    wanted = {name.lower(): name for name in META_NAMES}
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        name = wanted.get(str(tag.get("name", "")).lower())
        content = normalize_space(str(tag.get("content", "")))
        if name and content and name not in meta:
            meta[name] = content
    if soup.title and soup.title.string:
        title = normalize_space(soup.title.string)
        if title:
            meta["title"] = title
    return meta


def _blocks(node: Tag) -> list[Block]:
    out: list[Block] = []
    for item in iter_items(node, tables=True):
        if isinstance(item, str):
            out.append(TextBlock(item))
        else:
            out.extend(_table_blocks(item))
    return out


def _table_blocks(table: Tag) -> list[Block]:
    rows = own_rows(table)
    if _is_layout(table, rows):
        # A layout table only positions content: read its cells as running content.
        return [block for row in rows for cell in row for block in _blocks(cell)]
    grid = table_grid(rows)
    return [TableBlock(grid)] if grid else []


def _is_layout(table: Tag, rows: list[list[Tag]]) -> bool:
    if table.find("table") is not None:
        return True
    # No row with two filled cells: there are no columns to read.
    return all(sum(bool(cell.get_text(strip=True)) for cell in row) <= 1 for row in rows)
