"""What discovery finds: plain dataclasses, no behaviour."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from scrapers.errors import PageUnavailable
from scrapers.http import RequestStats
from scrapers.results import FetchResult

if TYPE_CHECKING:
    from scrapers.discovery.items import ListingItem

# Where a report's year was read from, and how the report was found (kept with the report, shown to people).
YearSource = Literal["title", "body_statistics_period", "pubdate_minus_one", "listing_date"]
Via = Literal["column", "search"]


@dataclass(frozen=True)
class FoundAttachment:
    """A report file linked from an article; `fallbacks` are lower-priority URLs (oldsrc).

    `picture`: an image in the article's body (a 图片版 page, a table pasted as a picture),
    read with the article rather than as a file of its own."""

    url: str
    title: str
    kind: str
    fallbacks: tuple[str, ...] = ()
    picture: bool = False


@dataclass(frozen=True)
class PageCopy:
    """An article page as discovery received it, so fetching the report does not download it again.

    `result` is the answer (a 304 stays `not_modified`, without a body); `sha256` names the
    body, which `result.content` holds until the caller moves it to its own store.
    """

    result: FetchResult
    sha256: str | None = None

    @classmethod
    def of(cls, result: FetchResult) -> PageCopy:
        return cls(result, hashlib.sha256(result.content).hexdigest() if result.content is not None else None)

    def without_body(self) -> PageCopy:
        return replace(self, result=replace(self.result, content=None))

    def with_body(self, content: bytes) -> PageCopy:
        return replace(self, result=replace(self.result, content=content))


@dataclass
class FoundReport:
    """One annual report: where it is, whose it is, which year it covers.

    `url` is the article page, or the file itself for list items that link straight to
    a PDF; `pages` holds the article page and its continuation pages (`_1.html`...), and
    `copies` those pages as discovery fetched them (by URL), for the fetch to reuse.
    `recalled`: read from the caller's store without a request, nothing saying it changed
    since (its documents need not be asked for either).
    """

    portal_id: str
    agency: str | None
    year: int
    title: str
    url: str
    published_on: dt.date | None = None
    attachments: list[FoundAttachment] = field(default_factory=list)
    column_url: str | None = None
    pages: list[str] = field(default_factory=list)
    year_source: YearSource = "title"
    via: Via = "column"
    copies: dict[str, PageCopy] = field(default_factory=dict)
    recalled: bool = False

    @property
    def is_file_only(self) -> bool:
        """True for reports published as a bare file with no article page."""
        return not self.pages

    @property
    def parts(self) -> list[str]:
        """What is read as the article: its pages, then the pictures of its body."""
        return self.pages + [a.url for a in self.attachments if a.picture]

    @property
    def files(self) -> list[FoundAttachment]:
        """The attachments read as documents of their own (every one but the body's pictures)."""
        return [a for a in self.attachments if not a.picture]


@dataclass(frozen=True)
class Problem:
    """Something discovery could not do; `kind` is a short machine-readable tag."""

    kind: str
    url: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.url}: {self.detail}"


@dataclass(frozen=True)
class Unreached:
    """A report (or a listing page of reports) discovery could not read.

    `agency` and `year` come from the listing title or the column's department (None
    when they do not say; a listing page has no year), so what it hides is recorded as
    not collected rather than silently missing.
    """

    url: str
    title: str
    agency: str | None
    year: int | None
    outcome: str  # disallowed | refused | blocked | failed ...
    detail: str


@dataclass
class ColumnSummary:
    """One 年报 column as crawled: its listing pages and how many items it listed."""

    url: str
    department: str | None
    pages: list[str] = field(default_factory=list)
    items: int = 0


@dataclass
class Discovery:
    """The outcome of discovering one portal.

    `problems` need attention (layout drift, failed pages, blocks); `notes` are expected
    skips and flags (robots.txt exclusions, reports found only by search); `unreached`
    are the reports among those pages, as far as their listing item tells. `listed` are
    the listing entries (or search hits) whose report was read from the site this run: what
    the caller keeps to tell next time whether the listing changed.
    """

    portal_id: str
    reports: list[FoundReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    unreached: list[Unreached] = field(default_factory=list)
    blocked_hosts: dict[str, str] = field(default_factory=dict)
    columns: list[ColumnSummary] = field(default_factory=list)
    stats: RequestStats = field(default_factory=RequestStats)
    listed: list[ListingItem] = field(default_factory=list)


@dataclass
class ColumnCrawl:
    """Everything read from one column.

    `problems` are the pages that could not be fetched; `issues` what the pages read
    showed wrong (a page without items, items left unread).
    """

    url: str
    pages: list[str] = field(default_factory=list)
    items: list[ListingItem] = field(default_factory=list)
    problems: list[PageUnavailable] = field(default_factory=list)
    issues: list[Problem] = field(default_factory=list)
