"""The temporary Prefect server the CLI starts when PREFECT_API_URL is unset.

Two things make it safe to share one PREFECT_HOME between CLI runs:
- concurrency leases live in PREFECT_HOME as files, not in the server's memory, so a later
  run sees (and frees, flows/slots.py) the slot of a run that was killed;
- the first start, which migrates PREFECT_HOME's database, is serialised by a file lock:
  two runs on a fresh home would otherwise both migrate it and one fails.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from pathlib import Path

FILE_LEASES = "prefect.server.concurrency.lease_storage.filesystem"
LEASE_STORAGE_ENV = "PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE"
LOCK_NAME = ".nianbao-server-start.lock"
START_LOCK_TIMEOUT_SECONDS = 300


def use_file_leases() -> None:
    """Keep the temporary server's leases in PREFECT_HOME (an explicit setting wins).

    Before the first `import prefect`: Prefect reads its settings from the environment then.
    """
    os.environ.setdefault(LEASE_STORAGE_ENV, FILE_LEASES)


def start_local_api() -> None:
    """Start the temporary server now, one process at a time per PREFECT_HOME; no-op with an API URL."""
    from prefect.client.orchestration import get_client
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    if settings.api.url:
        _require_reachable(str(settings.api.url))
        return
    home = Path(settings.home)
    home.mkdir(parents=True, exist_ok=True)
    with (home / LOCK_NAME).open("a") as lock:
        _lock(lock.fileno(), home / LOCK_NAME)
        try:
            # The server stays up for the rest of the process; the flow run reuses it.
            with get_client(sync_client=True) as client:
                client.api_healthcheck()
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _require_reachable(url: str) -> None:
    """A configured API that does not answer is one line (exit 3), not Prefect's traceback when the flow starts."""
    from prefect.client.orchestration import get_client

    from nianbao.errors import SetupError

    with get_client(sync_client=True) as client:
        error = client.api_healthcheck()
    if error is not None:
        raise SetupError(f"cannot reach the Prefect API at {url} (PREFECT_API_URL): {error}")


def _lock(fd: int, path: Path) -> None:
    deadline = time.monotonic() + START_LOCK_TIMEOUT_SECONDS
    said = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if not said:
                print(f"waiting for another nianbao run to start Prefect's temporary server ({path})", file=sys.stderr)
                said = True
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"another nianbao run has been starting Prefect's temporary server for "
                    f"{START_LOCK_TIMEOUT_SECONDS} s (lock {path}); if none is running, delete the lock file"
                ) from None
            time.sleep(0.5)
