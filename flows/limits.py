"""Prefect global concurrency limits: one slot per portal across all runs.

The in-process client already paces requests per host; this limit keeps two flow runs
(say the scheduled collection and a manual backfill) from crawling one portal at once.
A run never waits silently for a slot: it frees slots of dead runs where it can see the leases
(flows/slots.py), says every minute whom it waits for, and gives up after
NIANBAO_SLOT_WAIT_SECONDS with the command that frees the slot.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.client.schemas.objects import ConcurrencyLeaseHolder
from prefect.concurrency.sync import concurrency
from prefect.context import FlowRunContext
from prefect.exceptions import ObjectNotFound

from flows.slots import LIMIT_PREFIX, read_slots, recover_stale
from nianbao.config import ConfigError

WAIT_ENV = "NIANBAO_SLOT_WAIT_SECONDS"
DEFAULT_WAIT_SECONDS = 30 * 60
# Prefect's shortest lease (renewed every 45 s): a killed run's slot is free a minute later.
LEASE_SECONDS = 60
REPORT_EVERY_SECONDS = 60
POLL_SECONDS = 2.0
TAKE_SECONDS = 30.0

log = logging.getLogger("nianbao.limits")


class PortalBusyError(RuntimeError):
    """The wait for a portal's slot passed its bound."""


SlotProblem = (PortalBusyError, ConfigError)  # end a run with their message, not a traceback


def portal_limit_name(portal_id: str) -> str:
    return f"{LIMIT_PREFIX}{portal_id}"


def ensure_portal_limits(portal_ids: list[str], limit: int = 1) -> None:
    """Create missing per-portal limits (concurrency() would otherwise run unthrottled)."""
    with get_client(sync_client=True) as client:
        for portal_id in portal_ids:
            name = portal_limit_name(portal_id)
            try:
                client.read_global_concurrency_limit_by_name(name)
            except ObjectNotFound:
                client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=limit))


def wait_bound() -> float:
    raw = os.environ.get(WAIT_ENV, "").strip()
    try:
        bound = float(raw) if raw else DEFAULT_WAIT_SECONDS
    except ValueError:
        bound = -1.0
    if not 0 <= bound < float("inf"):
        raise ConfigError(f"{WAIT_ENV}={raw!r} is not a number of seconds (default {DEFAULT_WAIT_SECONDS})")
    return bound


@contextmanager
def portal_slots(portal_ids: list[str], wait_seconds: float | None = None) -> Iterator[None]:
    """Hold one slot of each portal's limit for the body; wait at most `wait_seconds` for them."""
    ensure_portal_limits(portal_ids)
    names = [portal_limit_name(p) for p in portal_ids]
    bound = wait_bound() if wait_seconds is None else wait_seconds
    with ExitStack() as stack:
        _acquire(stack, names, bound)
        yield


def _acquire(stack: ExitStack, names: list[str], bound: float) -> None:
    """Look before taking: concurrency()'s own wait is silent and logs an error per timeout."""
    start = time.monotonic()
    report_every = max(1.0, min(REPORT_EVERY_SECONDS, bound / 4))
    next_report = start
    while True:
        with get_client(sync_client=True) as client:
            full = [state.name for state in read_slots(client, names, holders=False) if state.full]
            if full and _report_recovered(recover_stale(client, full)):
                continue
            if not full:
                try:
                    stack.enter_context(concurrency(names, occupy=1, strict=True, lease_duration=LEASE_SECONDS,
                                                    holder=_holder(), timeout_seconds=TAKE_SECONDS))  # fmt: skip
                    return
                except TimeoutError:
                    continue  # another run took a slot between the look and the take
            waited = time.monotonic() - start
            if waited >= bound or time.monotonic() >= next_report:
                held = _held_text(client, full)
                if waited >= bound:
                    raise PortalBusyError(_busy_message(held, full[0], bound))
                _logger().warning("waiting for %s (%.0f of %.0f s, %s)", held, waited, bound, WAIT_ENV)
                next_report += report_every
        time.sleep(POLL_SECONDS)


def _report_recovered(lines: list[str]) -> bool:
    for line in lines:
        _logger().warning("recovered stale slot: %s", line)
    return bool(lines)


def _holder() -> ConcurrencyLeaseHolder | None:
    ctx = FlowRunContext.get()
    return ConcurrencyLeaseHolder(type="flow_run", id=ctx.flow_run.id) if ctx and ctx.flow_run else None


def _held_text(client: SyncPrefectClient, full: list[str]) -> str:
    parts = []
    for state in read_slots(client, full):
        who = ", ".join(state.holders) if state.holders else "a run whose lease is not visible here"
        parts.append(f"{state.name}, held by {who}")
    return "; ".join(parts) or ", ".join(full)


def _busy_message(held: str, name: str, bound: float) -> str:
    return (
        f"gave up after {bound:.0f} s waiting for {held}. If that run is finished or dead, free the slot with "
        f"`nianbao slots release {name.removeprefix(LIMIT_PREFIX)}` (or `prefect gcl update {name} --active-slots 0`); "
        f"`nianbao slots` lists every portal's holders; {WAIT_ENV} sets the wait."
    )


def _logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    from prefect import get_run_logger
    from prefect.exceptions import MissingContextError

    try:
        return get_run_logger()
    except MissingContextError:
        return log
