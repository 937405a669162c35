"""The format-neutral intermediate between format readers and the report reader.

Format readers (text, HTML, PDF, DOCX) turn bytes into a `Document`: an ordered list of
text blocks and tables with their cells as printed. The report reader maps that onto the
template by labels. Keeping this seam plain data lets every format share one reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TextBlock:
    """A paragraph or line of running text, in reading order."""

    text: str
    page: int | None = None
    # Set when the format marks the text as a heading (markdown #, <h2>, Word Heading 2);
    # section splitting uses it to tell an unknown heading from a numbered paragraph.
    heading_level: int | None = None


@dataclass
class TableBlock:
    """One table as rows of cell strings.

    A merged cell's text is repeated in every grid position it covers, so each row is
    self-describing (a vertical label such as （三）不予公开 appears in each of its rows).
    A table that continues on the next page is one TableBlock when the reader can join it,
    otherwise consecutive TableBlocks; the report reader copes with both.
    """

    rows: list[list[str]]
    page: int | None = None
    # Where the grid's column borders lie (x, left to right; PDF only), so the pieces of a table
    # broken across pages can be laid on one set of columns.
    columns: tuple[float, ...] = ()
    # Rows printed first on a new page (a joined table's page breaks): a cell cut by the break
    # has its tail in that row.
    breaks: tuple[int, ...] = ()


Block = TextBlock | TableBlock


@dataclass
class Document:
    """A document reduced to blocks, with what the reader learnt about it."""

    blocks: list[Block]
    media_type: str
    pages: int = 0
    has_text_layer: bool = True
    warnings: list[str] = field(default_factory=list)
    ocr_pages: int = 0  # pages whose blocks OCR read from images
    # Page-level metadata the format carries besides the body (HTML <meta> ArticleTitle,
    # PubDate, ContentSource...), so the report reader can use it as hints.
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile input from costing unbounded time or memory."""

    max_bytes: int = 40 * 1024 * 1024
    max_pages: int = 200
    max_html_bytes: int = 20 * 1024 * 1024
    max_decompressed_bytes: int = 100 * 1024 * 1024
    # One PDF stream inflated (a page's content, a font); real ones are KBs to a few MB.
    max_stream_bytes: int = 64 * 1024 * 1024
    # OCR costs seconds a page: pages past the cap or the time budget are left unread and
    # said so, so a 200-page scan ends as a partial report within the parse guard's limit.
    max_ocr_pages: int = 20
    ocr_seconds: float = 80.0
    ocr_page_seconds: float = 30.0
    # Pixels of one image attachment or rendered page (a 300 dpi A3 sheet is 17 Mpx).
    max_image_pixels: int = 40_000_000
    # LibreOffice converting a legacy .doc/.xls (a few seconds; its start-up is most of it).
    convert_seconds: float = 60.0

    def __post_init__(self) -> None:
        for name in (
            "max_bytes",
            "max_pages",
            "max_html_bytes",
            "max_decompressed_bytes",
            "max_stream_bytes",
            "max_ocr_pages",
            "ocr_seconds",
            "ocr_page_seconds",
            "max_image_pixels",
            "convert_seconds",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"Limits.{name} must be positive")
