"""Who holds a portal's concurrency slot, and recovering slots whose holder is gone.

A slot is taken with a lease that the holder renews; Prefect's repossessor service frees the
slot when the lease expires. The temporary server `nianbao` starts when PREFECT_API_URL is
unset runs no repossessor, and by default keeps leases in its own memory, so a run killed
with -9 left the slot (stored in PREFECT_HOME's database) occupied for ever. The CLI therefore
keeps leases in PREFECT_HOME as files (nianbao.prefect_local), where every later run can see
them, and does the repossessor's work here: at start and while it waits.

With a real `prefect server` (PREFECT_API_URL set) its leases are out of reach; the server's
own repossessor frees expired ones, and `nianbao slots release` frees the rest by hand.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.actions import GlobalConcurrencyLimitUpdate
from prefect.exceptions import ObjectNotFound
from prefect.settings import get_current_settings
from prefect.utilities.asyncutils import run_coro_as_sync

from nianbao.prefect_local import FILE_LEASES

if TYPE_CHECKING:
    from prefect.client.schemas.responses import GlobalConcurrencyLimitResponse
    from prefect.server.concurrency.lease_storage import ConcurrencyLeaseStorage, ConcurrencyLimitLeaseMetadata
    from prefect.server.utilities.leasing import ResourceLease

    Lease = ResourceLease[ConcurrencyLimitLeaseMetadata]

LIMIT_PREFIX = "portal-"
ORPHAN_RECHECK_SECONDS = 1.0

T = TypeVar("T")


@dataclass
class SlotState:
    """One portal limit: its slots and, when the leases are readable here, who holds them."""

    name: str
    limit_id: UUID
    limit: int
    active_slots: int
    holders: list[str] = field(default_factory=list)
    leases_visible: bool = False

    @property
    def full(self) -> bool:
        return self.active_slots >= self.limit


def _sync(coro: Coroutine[Any, Any, T]) -> T:
    return run_coro_as_sync(coro)


def local_lease_storage() -> ConcurrencyLeaseStorage | None:
    """The lease storage of the temporary server, when it is files in PREFECT_HOME; else None."""
    settings = get_current_settings()
    if settings.api.url or settings.server.concurrency.lease_storage != FILE_LEASES:
        return None
    from prefect.server.concurrency.lease_storage.filesystem import ConcurrencyLeaseStorage

    return ConcurrencyLeaseStorage()


def _leases_of(storage: ConcurrencyLeaseStorage, limit_id: UUID) -> tuple[list[Lease], list[UUID]]:
    """(live leases, expired lease ids) of one limit."""
    now = dt.datetime.now(dt.UTC)
    live: list[Lease] = []
    for lease_id in _sync(storage.read_active_lease_ids(limit=10_000)):
        lease = _sync(storage.read_lease(lease_id))
        if lease and limit_id in lease.resource_ids and lease.expiration > now:
            live.append(lease)
    expired: list[UUID] = []
    for lease_id in _sync(storage.read_expired_lease_ids(limit=10_000)):
        lease = _sync(storage.read_lease(lease_id))
        if lease is None:
            _sync(storage.revoke_lease(lease_id))  # an index entry without its lease file: holds nothing
        elif limit_id in lease.resource_ids:
            expired.append(lease_id)
    return live, expired


def _holder_text(client: SyncPrefectClient, lease: Lease) -> str:
    holder = lease.metadata.holder if lease.metadata else None
    if holder is None:
        return f"lease {lease.id} (no holder recorded)"
    if holder.type == "flow_run":
        try:
            run = client.read_flow_run(holder.id)
            return f"flow run '{run.name}' ({holder.id}, {run.state_name})"
        except ObjectNotFound:  # deleted from this API; the id still identifies it
            pass
    return f"{holder.type} {holder.id}"


def _all_limits(client: SyncPrefectClient) -> list[GlobalConcurrencyLimitResponse]:
    page = 200  # the API's largest page
    limits: list[GlobalConcurrencyLimitResponse] = []
    while True:
        batch = client.read_global_concurrency_limits(limit=page, offset=len(limits))
        limits.extend(batch)
        if len(batch) < page:
            return limits


def read_slots(client: SyncPrefectClient, names: list[str] | None = None, holders: bool = True) -> list[SlotState]:
    """The portal limits (or the named ones), with their holders where leases are readable."""
    storage = local_lease_storage()
    chosen = [g for g in _all_limits(client) if (g.name in names if names else g.name.startswith(LIMIT_PREFIX))]
    states = []
    for gcl in chosen:
        state = SlotState(gcl.name, gcl.id, gcl.limit, gcl.active_slots, leases_visible=storage is not None)
        if storage is not None and holders:
            live, _ = _leases_of(storage, gcl.id)
            state.holders = [_holder_text(client, lease) for lease in live]
        states.append(state)
    return states


def recover_stale(client: SyncPrefectClient, names: list[str]) -> list[str]:
    """Free slots no live lease holds (a killed run's); returns one line per recovery.

    Expired leases are dropped, then each limit's count is brought down to its live leases:
    reconciling with the leases, rather than decrementing per expired lease as the repossessor
    does, stays right after a manual `prefect gcl update --active-slots 0` and for slots whose
    lease was lost with a server's memory.
    """
    storage = local_lease_storage()
    if storage is None:
        return []
    recovered = []
    for name in names:
        gcl = client.read_global_concurrency_limit_by_name(name)
        if gcl.active_slots == 0:
            continue
        _, expired = _leases_of(storage, gcl.id)
        for lease_id in expired:
            _sync(storage.revoke_lease(lease_id))
            recovered.append(f"{name}: dropped expired lease {lease_id}")
        orphans = _orphaned_slots(client, storage, name, gcl.id)
        if orphans:
            # The API wants a positive occupancy; unknown here, and it only feeds retry hints.
            client.release_concurrency_slots([name], slots=orphans, occupancy_seconds=1.0)
            recovered.append(f"{name}: {orphans} slot(s) held by no live lease freed")
    return recovered


def _orphaned_slots(client: SyncPrefectClient, storage: ConcurrencyLeaseStorage, name: str, limit_id: UUID) -> int:
    """Slots counted beyond the live leases, seen twice ORPHAN_RECHECK_SECONDS apart.

    The server counts a slot a moment before it writes the lease: the count is read before the
    leases (a slot taken in between then has its lease), and a first sighting is checked again.
    """
    seen = []
    for pause in (0.0, ORPHAN_RECHECK_SECONDS):
        time.sleep(pause)
        active = client.read_global_concurrency_limit_by_name(name).active_slots
        live, _ = _leases_of(storage, limit_id)
        seen.append(active - len(live))
        if seen[-1] <= 0:
            return 0
    return min(seen)


def release(client: SyncPrefectClient, name: str) -> list[str]:
    """Free every slot of `name` and drop its leases here; returns what was dropped."""
    gcl = client.read_global_concurrency_limit_by_name(name)
    dropped = []
    storage = local_lease_storage()
    if storage is not None:
        live, expired = _leases_of(storage, gcl.id)
        for lease_id in [lease.id for lease in live] + expired:
            _sync(storage.revoke_lease(lease_id))
            dropped.append(str(lease_id))
    client.update_global_concurrency_limit(name, GlobalConcurrencyLimitUpdate(active_slots=0))
    return dropped
