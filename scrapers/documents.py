"""Fetching a found report's documents: the article page(s) and the attachments.

This is what the flows call after discovery. Attachments try their URLs in priority
order (href, then the oldsrc fallback), and a download whose bytes prove it is an
error page (HTML where a file was promised, or tinier than `min_bytes`) is rejected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from formats.magic import media_type as sniffed_media_type
from scrapers.discovery.models import FoundAttachment, FoundReport
from scrapers.http import PoliteClient
from scrapers.results import FetchResult, ValidatorStore


@dataclass
class FetchedDocument:
    """One fetched document of a report; `rejected` says why its bytes are not usable."""

    role: Literal["article", "attachment", "picture"]
    url: str
    result: FetchResult
    media_type: str | None
    part: int = 0
    title: str = ""
    rejected: str | None = None
    # A body picture too small to hold a table (an icon whose size the page did not declare):
    # rejected, but no failure of the report.
    negligible: bool = False

    @property
    def usable(self) -> bool:
        return self.result.outcome in ("ok", "not_modified") and self.rejected is None


def _get(client: PoliteClient, url: str, validators: ValidatorStore | None) -> FetchResult:
    return client.get(url, validators=validators.validators_for(url) if validators else None)


def _rejection(result: FetchResult, media_type: str | None, min_bytes: int) -> tuple[str | None, bool]:
    """Why the bytes are not usable (None when they are), and whether only for being too small."""
    if not result.ok or result.content is None:
        return None, False
    if media_type == "text/html":
        return "an HTML page where a file was expected (an error page?)", False
    if len(result.content) < min_bytes:
        return f"only {len(result.content)} bytes (below min_bytes {min_bytes})", True
    return None, False


def _attachment(
    client: PoliteClient, attachment: FoundAttachment, validators: ValidatorStore | None
) -> FetchedDocument:
    min_bytes = client.spec.detail.attachments.min_bytes
    document: FetchedDocument | None = None
    for url in (attachment.url, *attachment.fallbacks):
        result = _get(client, url, validators)
        media_type = sniffed_media_type(result.content or b"") or result.media_type
        rejected, too_small = _rejection(result, media_type, min_bytes)
        role: Literal["attachment", "picture"] = "picture" if attachment.picture else "attachment"
        negligible = attachment.picture and too_small
        document = FetchedDocument(
            role, url, result, media_type, title=attachment.title, rejected=rejected, negligible=negligible
        )
        if document.usable or result.outcome in ("blocked", "disallowed", "refused"):
            break
    assert document is not None
    return document


def _article(
    client: PoliteClient, url: str, part: int, validators: ValidatorStore | None, held: Mapping[str, FetchResult]
) -> FetchedDocument:
    result = held.get(url) or _get(client, url, validators)
    # The charset travels with the media type: a page may declare it only in the HTTP header.
    return FetchedDocument("article", url, result, result.content_type or "text/html", part=part)


def fetch_report_documents(
    client: PoliteClient,
    report: FoundReport,
    validators: ValidatorStore | None = None,
    held: Mapping[str, FetchResult] | None = None,
) -> list[FetchedDocument]:
    """Fetch the report's article pages and attachments, conditionally when validators exist.

    `held` are article pages already fetched in this run (by discovery, `report.copies`
    with their bodies), by URL: they are used as fetched, so no body is downloaded twice.
    """
    pages = held or {}
    documents = [_article(client, url, part, validators, pages) for part, url in enumerate(report.pages)]
    documents += [_attachment(client, attachment, validators) for attachment in report.attachments]
    return documents


def parse_groups(documents: list[FetchedDocument]) -> list[list[FetchedDocument]]:
    """The documents as the parser reads them: an article split over pages is one (its pages in
    order, the first page first, then the pictures of its body), each attachment another.

    A picture that could not be fetched, or whose bytes are no picture (an error page), is left
    out: the article is read without it rather than not at all (`unread_pictures` says which)."""
    pages = sorted((d for d in documents if d.role == "article"), key=lambda d: d.part)
    pictures = [d for d in documents if d.role == "picture" and d.usable]
    files = [[d] for d in documents if d.role == "attachment"]
    return ([pages + pictures] if pages else []) + files


def unread_pictures(documents: list[FetchedDocument]) -> list[FetchedDocument]:
    """The body pictures left out of the article that the report misses: fetches that failed, error
    pages. An icon too small to be a picture of the report is no loss."""
    return [d for d in documents if d.role == "picture" and not d.usable and not d.negligible]
