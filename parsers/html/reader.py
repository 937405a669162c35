"""HTML bytes -> Document: the article body's lines and tables, plus page metadata."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from formats.charset import decode_html
from formats.cms_body import article_body
from parsers.document import Block, Document, Limits, TableBlock, TextBlock
from parsers.errors import DocumentError
from parsers.html.flow import iter_items
from parsers.html.markup import check_markup
from parsers.html.meta import page_meta
from parsers.html.tables import own_rows, table_grid

MEDIA_TYPE = "text/html"


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
