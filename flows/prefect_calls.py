"""The value of a Prefect call that picks sync or async by its caller (Prefect's `async_dispatch`).

Such calls (`Block.save`, `create_progress_artifact`, ...) are typed as returning the value or a
coroutine (`Block.save` even as Any: its async twin is untyped); from our synchronous flow code they
run synchronously and return the value. It is checked here, so a caller on an event loop (a
coroutine) or a Prefect that returns something else fails with a message instead of passing it on.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TypeVar

T = TypeVar("T")


def ran_sync(value: object, kind: type[T], what: str) -> T:
    """`value`, a `kind`, as the sync call `what` returned it."""
    if isinstance(value, Coroutine):
        value.close()  # never awaited: closed so it is not reported as a leak later
        raise RuntimeError(f"{what} was called from an event loop and returned a coroutine; call it from sync code")
    if not isinstance(value, kind):
        raise TypeError(f"{what} returned {type(value).__name__}, expected {kind.__name__}")
    return value
