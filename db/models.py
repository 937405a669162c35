"""SQLModel tables: what nianbao stores about portals, documents and reports.

One row per distinct thing: a document is distinct content (sha256), a report is one
(agency, year). URLs, sources and versions hang off those, so re-seeing the same bytes
or the same report never creates rows, only moves `last_seen_at`.

Text that comes from outside (names, titles, URLs, headers, errors) is CleanText: TEXT
with no length limit, because a limit there means nothing and PostgreSQL would refuse
what SQLite stores. Bounded VARCHARs are kept for our own vocabularies and digests.
URLs are unique through `url_key` (their SHA-256): no index can hold a long URL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.types import CleanText


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Portal(SQLModel, table=True):
    """A government website crawled for reports; the id is its spec file name."""

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(sa_type=CleanText)
    region_code: str | None = Field(default=None, max_length=12)
    base_url: str = Field(sa_type=CleanText)
    created_at: dt.datetime = Field(default_factory=utcnow)
    # When a discovery of the portal last ran (a rerun that finds nothing new leaves no other mark).
    last_discovered_at: dt.datetime | None = None


class Agency(SQLModel, table=True):
    """An administrative body publishing reports on a portal; `name` is normalised."""

    __table_args__ = (UniqueConstraint("portal_id", "name_key"),)
    id: int | None = Field(default=None, primary_key=True)
    portal_id: str = Field(foreign_key="portal.id", index=True, max_length=64)
    name_key: str = Field(max_length=64)  # SHA-256 of `name`: no index holds a name of any length
    name: str = Field(sa_type=CleanText)
    display_name: str = Field(sa_type=CleanText)
    region: str | None = Field(default=None, sa_type=CleanText)
    created_at: dt.datetime = Field(default_factory=utcnow)


class Document(SQLModel, table=True):
    """Distinct content: identical bytes from any number of URLs are one document."""

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(unique=True, max_length=64)
    size: int
    media_type: str = Field(sa_type=CleanText)
    blob_path: str = Field(max_length=200)
    # The parse cache: which parser version last read these bytes and what it said.
    parser_version: str | None = Field(default=None, max_length=40)
    parse_status: str | None = Field(default=None, max_length=20)
    created_at: dt.datetime = Field(default_factory=utcnow)


class DocumentUrl(SQLModel, table=True):
    """Every URL a document was seen at, with the state of fetching it."""

    id: int | None = Field(default=None, primary_key=True)
    url_key: str = Field(unique=True, max_length=64)
    url: str = Field(sa_type=CleanText)
    portal_id: str = Field(foreign_key="portal.id", index=True, max_length=64)
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    etag: str | None = Field(default=None, sa_type=CleanText)
    last_modified: str | None = Field(default=None, sa_type=CleanText)
    fetch_state: str = Field(default="pending", max_length=20)
    last_status: int | None = None
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_type=CleanText)
    first_seen_at: dt.datetime = Field(default_factory=utcnow)
    last_seen_at: dt.datetime = Field(default_factory=utcnow)
    last_fetched_at: dt.datetime | None = None


class Report(SQLModel, table=True):
    """One agency's report for one year; its cells come from the canonical document."""

    __table_args__ = (UniqueConstraint("agency_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id")  # unique (agency_id, year) is its index
    year: int = Field(index=True)
    generation: str | None = Field(default=None, max_length=10)
    title: str | None = Field(default=None, sa_type=CleanText)
    published_on: dt.date | None = None
    source_url: str | None = Field(default=None, sa_type=CleanText)
    canonical_document_id: int | None = Field(default=None, foreign_key="document.id")
    parse_status: str = Field(max_length=20)
    parser_version: str = Field(max_length=40)
    version: int = 1
    findings: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    warnings: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)


class ReportSource(SQLModel, table=True):
    """A document that carries a report: the canonical one, an alternate, or a superseded one."""

    __table_args__ = (UniqueConstraint("report_id", "document_id"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id")  # unique (report_id, document_id) is its index
    document_id: int = Field(foreign_key="document.id", index=True)
    url: str | None = Field(default=None, sa_type=CleanText)
    role: str = Field(max_length=20)
    parse_status: str = Field(max_length=20)
    parser_version: str = Field(max_length=40)
    cell_count: int = 0
    # An alternate's cells where they differ from the report's current ones (db/cell_codes.py
    # encoding; None for a cell it lacks); empty for the others, whose cells are a version's.
    cells: dict[str, str | None] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Further pages of an article split over several pages, read after this document.
    continuation_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow)


class ReportVersion(SQLModel, table=True):
    """Every version a report has had, the current one (report.version) included.

    The only place cells are stored: one JSON object per version, keys numbered as in
    db/cell_codes.py. Rows per cell cost 60-90 bytes each on PostgreSQL with their index.
    """

    __table_args__ = (UniqueConstraint("report_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id")  # unique (report_id, version) is its index
    version: int
    document_id: int | None = Field(default=None, foreign_key="document.id")
    parser_version: str = Field(max_length=40)
    cells: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    checks: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The narrative sections as read (section key -> text): 总体情况, 存在的主要问题及改进情况, …
    sections: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Where the text and cells came from (parsers.model.ReadSource): text, ocr or mixed.
    source: str = Field(default="text", max_length=8)
    created_at: dt.datetime = Field(default_factory=utcnow)


class Failure(SQLModel, table=True):
    """Work that failed (a fetch, a parse) and is retried by the next run."""

    __table_args__ = (UniqueConstraint("url_key", "stage"),)
    id: int | None = Field(default=None, primary_key=True)
    portal_id: str = Field(foreign_key="portal.id", index=True, max_length=64)
    url_key: str = Field(max_length=64)
    url: str = Field(sa_type=CleanText)
    stage: str = Field(max_length=20)
    error: str = Field(sa_type=CleanText)
    # The report a discovery-stage failure kept from being collected, so findings do not
    # call its agency missing; None for failures of a known document.
    agency: str | None = Field(default=None, sa_type=CleanText)
    year: int | None = None
    attempts: int = 1
    first_failed_at: dt.datetime = Field(default_factory=utcnow)
    last_failed_at: dt.datetime = Field(default_factory=utcnow)
    resolved_at: dt.datetime | None = None


class NotCollected(SQLModel, table=True):
    """A report discovery saw but did not collect on purpose (robots.txt disallows it).

    Not a failure (nothing to retry until the site changes its robots.txt), but an
    account of the report, so findings do not call its agency missing. Each discovery of
    a portal replaces that portal's rows.
    """

    id: int | None = Field(default=None, primary_key=True)
    portal_id: str = Field(foreign_key="portal.id", index=True, max_length=64)
    url_key: str = Field(unique=True, max_length=64)
    url: str = Field(sa_type=CleanText)
    agency: str | None = Field(default=None, sa_type=CleanText)
    year: int | None = None
    reason: str = Field(sa_type=CleanText)
    seen_at: dt.datetime = Field(default_factory=utcnow)


class ListingEntry(SQLModel, table=True):
    """What a listing said of an article (or bare file) when discovery last read it from the site.

    A rerun compares the listing with it: an entry that says the same is read from the store.
    """

    id: int | None = Field(default=None, primary_key=True)
    url_key: str = Field(unique=True, max_length=64)
    url: str = Field(sa_type=CleanText)
    portal_id: str = Field(foreign_key="portal.id", index=True, max_length=64)
    title: str = Field(sa_type=CleanText)
    published_on: dt.date | None = None
    read_at: dt.datetime = Field(default_factory=utcnow)
