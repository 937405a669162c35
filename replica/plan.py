"""The replica site's structure as plain data: columns, departments, reports, other articles.

The planner (replica.planner) fills these in from a seed; renderers and the server
only read them. Paths are absolute on the site (`/zwgk/...`); directories end in `/`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from reportgen.truth import ReportTruth

Pagination = Literal["trs0", "trs6", "countpage", "listhtml"]
# How an article page prints its title, date, publisher, crumb and files (replica.article_dialects).
ArticleDialect = Literal["meta", "neiright", "font_title", "bracket", "fawen"]
ARTICLE_DIALECTS: tuple[ArticleDialect, ...] = ("meta", "neiright", "font_title", "bracket", "fawen")
Variant = Literal["html", "html_pdf", "pdf_only", "docx", "xlsx", "image"]
AttachmentKind = Literal["pdf", "docx", "xlsx", "image_pdf", "jpg", "ofd"]

PAGINATIONS: tuple[Pagination, ...] = ("trs0", "trs6", "countpage", "listhtml")
# How a listing prints its items (replica.listing): one TRS template per department.
ListingDialect = Literal["xxgk_list", "gl_table", "ul_list", "xxgkzd_box", "xxgk_wrap"]
LISTING_DIALECTS: tuple[ListingDialect, ...] = ("xxgk_list", "gl_table", "ul_list", "xxgkzd_box", "xxgk_wrap")
# How a department's pages link its articles and files: `./202009/t….html` (relative to the page),
# `/zwgk/…/t….html` (root-relative) or `http://host/zwgk/…` (absolute, on the host the request named).
LinkStyle = Literal["relative", "root", "absolute"]
LINK_STYLES: tuple[LinkStyle, ...] = ("relative", "root", "absolute")
# The extension a department's CMS gives article pages.
ArticleExt = Literal["html", "shtml", "htm"]
ARTICLE_EXTS: tuple[ArticleExt, ...] = ("html", "shtml", "htm")
# How the pager script of a pagination is printed: plain, or the variant real sites also print
# (trs0: inline createPageHTML definition; countpage: stale commented call, no currentPage;
# listhtml: createPageHTML(n, 0, "list", "html") instead of a visible 下一页).
PagerFlavour = Literal["plain", "variant"]


@dataclass
class Column:
    """A listing column: where it lives, how it paginates, what it lists (newest first)."""

    path: str
    name: str
    pagination: Pagination = "trs0"
    page_size: int = 10
    stub: bool = False  # index.html is a JS redirect stub to list.html
    repeat_beyond_end: bool = False  # index_N.html past the end answers page 1
    dialect: ListingDialect = "xxgk_list"
    pager_flavour: PagerFlavour = "plain"
    link_style: LinkStyle = "relative"
    article_ext: ArticleExt = "html"
    entries: list[Report | Article] = field(default_factory=list)

    @property
    def first_page(self) -> str:
        return "list.html" if self.pagination == "listhtml" else "index.html"

    @property
    def entry(self) -> str:
        """What links to the column: its directory, or list.html where no index.html exists."""
        return self.path + self.first_page if self.pagination == "listhtml" and not self.stub else self.path


@dataclass
class Department:
    """A department home with its five columns; `report_column` is the 年报 one."""

    name: str
    slug: str
    group: str
    report_column: Column
    other_columns: list[Column]
    root_relative_links: bool = False

    @property
    def home(self) -> str:
        return f"/zwgk/bmxxgkml/{self.slug}/"


@dataclass
class Attachment:
    """A file linked from an article (or, for PDF-only items, from the listing)."""

    path: str
    kind: AttachmentKind
    title: str
    in_script: bool = False  # link only inside a document.write script block
    oldsrc: str | None = None  # the dead /protect/ path printed next to the link
    embedded: bool = False  # shown with <img>, not linked as a download


@dataclass
class Article:
    """A published page that is not an annual report (false positives, guides, budgets)."""

    id: str
    title: str
    source: str
    column: str
    published: dt.datetime
    paragraphs: tuple[str, ...]
    false_positive: bool
    docid: int | None = None
    path: str = ""
    onclick: bool = False

    @property
    def link_path(self) -> str:
        return self.path

    @property
    def listed(self) -> dt.datetime:
        """The date its listing entry shows."""
        return self.published


@dataclass
class Report:
    """One published annual report: placement, variant, flags and its truth at this revision."""

    id: str
    agency: str
    year: int
    generation: str
    column: str
    department: str | None
    breadcrumb: tuple[tuple[str, str], ...]  # (href, name) steps, 首页 first
    published: dt.datetime
    variant: Variant
    folder: str
    title: str
    truth: ReportTruth
    deadline: dt.date
    flags: set[str] = field(default_factory=set)
    word_pasted: bool = False
    onclick: bool = False
    docid: int | None = None
    article: str | None = None
    continuation: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    revisions: list[int] = field(default_factory=list)
    article_dialect: ArticleDialect = "meta"
    link_style: LinkStyle = "relative"  # how its article page links its files (its column's)
    relisted: bool = False  # listed anew when revised: its entry shows the revision's date

    @property
    def listed(self) -> dt.datetime:
        """The date its listing entry shows: the publication, or the last revision's for a relisted report."""
        return self.published + dt.timedelta(days=30 * len(self.revisions)) if self.relisted else self.published

    @property
    def link_path(self) -> str:
        """What the listing links to: the article, or the PDF for PDF-only items."""
        return self.article or self.attachments[0].path

    @property
    def canonical(self) -> tuple[str, str]:
        """(kind, path) of the document that carries the full report."""
        if self.variant == "pdf_only":
            return "pdf", self.attachments[0].path
        if self.variant == "image":
            return "image_pdf", self.attachments[0].path
        if self.variant == "docx":
            return "docx", self.attachments[0].path
        assert self.article is not None
        return "html", self.article
