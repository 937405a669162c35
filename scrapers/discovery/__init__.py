"""Discovery of annual reports on TRS-family portals, and fetching what was found.

`discover_reports` walks a portal; `fetch_report_documents` fetches one found report's
article pages and attachments.
"""

from __future__ import annotations

from scrapers.discovery.engine import discover_reports
from scrapers.discovery.models import ColumnSummary, Discovery, FoundAttachment, FoundReport, Problem, Unreached
from scrapers.documents import FetchedDocument, fetch_report_documents

__all__ = [
    "ColumnSummary",
    "Discovery",
    "FetchedDocument",
    "FoundAttachment",
    "FoundReport",
    "Problem",
    "Unreached",
    "discover_reports",
    "fetch_report_documents",
]
