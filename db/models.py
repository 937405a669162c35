"""SQLModel tables: what nianbao stores about portals, documents and reports.

One row per distinct thing: a document is distinct content (sha256), a report is one
(agency, year). URLs, sources and versions hang off those, so re-seeing the same bytes
or the same report never creates rows, only moves `last_seen_at`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, Numeric, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Portal(SQLModel, table=True):
    """A government website crawled for reports; the id is its spec file name."""

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    region_code: str | None = Field(default=None, max_length=12)
    base_url: str = Field(max_length=500)
    created_at: dt.datetime = Field(default_factory=utcnow)


class Agency(SQLModel, table=True):
    """An administrative body publishing reports on a portal; `name` is normalised."""

    __table_args__ = (UniqueConstraint("portal_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    portal_id: str = Field(foreign_key="portal.id", index=True, max_length=64)
    name: str = Field(max_length=200)
    display_name: str = Field(max_length=200)
    region: str | None = Field(default=None, max_length=200)
    created_at: dt.datetime = Field(default_factory=utcnow)


class Document(SQLModel, table=True):
    """Distinct content: identical bytes from any number of URLs are one document."""

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(unique=True, max_length=64)
    size: int
    media_type: str = Field(max_length=120)
    blob_path: str = Field(max_length=200)
    # The parse cache: which parser version last read these bytes and what it said.
    parser_version: str | None = Field(default=None, max_length=40)
    parse_status: str | None = Field(default=None, max_length=20)
    created_at: dt.datetime = Field(default_factory=utcnow)


class DocumentUrl(SQLModel, table=True):
    """Every URL a document was seen at, with the state of fetching it."""

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True, max_length=2000)
    portal_id: str = Field(foreign_key="portal.id", index=True, max_length=64)
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    etag: str | None = Field(default=None, max_length=300)
    last_modified: str | None = Field(default=None, max_length=100)
    fetch_state: str = Field(default="pending", max_length=20)
    last_status: int | None = None
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_type=Text)
    first_seen_at: dt.datetime = Field(default_factory=utcnow)
    last_seen_at: dt.datetime = Field(default_factory=utcnow)
    last_fetched_at: dt.datetime | None = None


class Report(SQLModel, table=True):
    """One agency's report for one year; its cells come from the canonical document."""

    __table_args__ = (UniqueConstraint("agency_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    year: int = Field(index=True)
    generation: str | None = Field(default=None, max_length=10)
    title: str | None = Field(default=None, max_length=500)
    published_on: dt.date | None = None
    source_url: str | None = Field(default=None, max_length=2000)
    canonical_document_id: int | None = Field(default=None, foreign_key="document.id")
    parse_status: str = Field(max_length=20)
    parser_version: str = Field(max_length=40)
    version: int = 1
    findings: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    warnings: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)


class ReportSource(SQLModel, table=True):
    """A document that carries a report: the canonical one or an alternate."""

    __table_args__ = (UniqueConstraint("report_id", "document_id"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    url: str | None = Field(default=None, max_length=2000)
    role: str = Field(max_length=20)
    parse_status: str = Field(max_length=20)
    parser_version: str = Field(max_length=40)
    cell_count: int = 0
    cells: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Further pages of an article split over several pages, read after this document.
    continuation_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow)


class ReportCell(SQLModel, table=True):
    """One table cell of a report's current version, by canonical key."""

    report_id: int = Field(foreign_key="report.id", primary_key=True)
    key: str = Field(primary_key=True, max_length=80)
    value: Decimal = Field(sa_column=Column(Numeric(20, 4), nullable=False))


class ReportVersion(SQLModel, table=True):
    """Every version a report has had; the current one included."""

    __table_args__ = (UniqueConstraint("report_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    version: int
    document_id: int | None = Field(default=None, foreign_key="document.id")
    parser_version: str = Field(max_length=40)
    cells: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    checks: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow)


class Failure(SQLModel, table=True):
    """Work that failed (a fetch, a parse) and is retried by the next run."""

    __table_args__ = (UniqueConstraint("url", "stage"),)
    id: int | None = Field(default=None, primary_key=True)
    portal_id: str = Field(foreign_key="portal.id", index=True, max_length=64)
    url: str = Field(max_length=2000)
    stage: str = Field(max_length=20)
    error: str = Field(sa_type=Text)
    attempts: int = 1
    first_failed_at: dt.datetime = Field(default_factory=utcnow)
    last_failed_at: dt.datetime = Field(default_factory=utcnow)
    resolved_at: dt.datetime | None = None
