"""Prefect global concurrency limits: one slot per portal across all runs.

The in-process client already paces requests per host; this limit keeps two flow runs
(say the scheduled collection and a manual backfill) from crawling one portal at once.
"""

from __future__ import annotations

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.exceptions import ObjectNotFound


def portal_limit_name(portal_id: str) -> str:
    return f"portal-{portal_id}"


def ensure_portal_limits(portal_ids: list[str], limit: int = 1) -> None:
    """Create missing per-portal limits (concurrency() would otherwise run unthrottled)."""
    with get_client(sync_client=True) as client:
        for portal_id in portal_ids:
            name = portal_limit_name(portal_id)
            try:
                client.read_global_concurrency_limit_by_name(name)
            except ObjectNotFound:
                client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=limit))
