"""Deterministic, recoverable HTTP faults for the replica server.

Each knob is a share of paths (or a fixed setting). Whether a path is faulty, and how
many attempts fail (1 or 2) before it succeeds, is decided by hashing (seed, path), so
a crawler that retries recovers everything except what is deliberately permanent:
off-host redirects (listed as unrecoverable in the manifest) and a host block.
Faults never touch `/__replica__/*` or `/robots.txt`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from dataclasses import dataclass, field
from typing import Final, Literal

BLOCK_KINDS: Final = ("412", "405", "521", "soft200")
FaultKind = Literal["none", "block", "offhost", "error", "rate_limit", "reset", "truncate", "slow"]
_RATES: Final = ("error_rate", "rate_limit_rate", "reset_rate", "truncate_rate", "slow_rate")
_KINDS: Final[tuple[FaultKind, ...]] = ("error", "rate_limit", "reset", "truncate", "slow")
# A slow answer sends its headers at once, then one body byte per this many seconds: only a
# client with a total deadline per exchange gets past it (a 10 KB page would take 17 min).
SLOW_BYTE_GAP_S: Final = 0.1


def _unit(*parts: object) -> tuple[float, bytes]:
    """A uniform number in [0, 1) and the digest it came from, for `parts`."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64, digest


@dataclass
class Faults:
    """The fault knobs; all off by default. See `Faults.parse` for the CLI form."""

    error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    latency_ms: int = 0
    reset_rate: float = 0.0
    truncate_rate: float = 0.0
    slow_rate: float = 0.0
    block: str | None = None
    block_after: int = 0
    offhost_redirect_rate: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        for name in (*_RATES, "offhost_redirect_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"fault knob {name} must be between 0 and 1, not {getattr(self, name)}")
        if sum(getattr(self, name) for name in _RATES) > 1.0:
            raise ValueError(f"the transient fault rates ({', '.join(_RATES)}) must sum to at most 1")
        if self.block is not None and self.block not in BLOCK_KINDS:
            raise ValueError(f"fault knob block must be one of {', '.join(BLOCK_KINDS)} or none, not {self.block!r}")
        if self.latency_ms < 0 or self.block_after < 0:
            raise ValueError("fault knobs latency_ms and block_after must not be negative")

    @classmethod
    def parse(cls, text: str) -> Faults:
        """`"error_rate=0.1,latency_ms=20,block=412"` -> Faults; ValueError names a bad knob."""
        known = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, object] = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            name, sep, raw = item.partition("=")
            name = name.strip()
            if name not in known:
                raise ValueError(f"unknown fault knob {name!r}; known knobs: {', '.join(known)}")
            if not sep:
                raise ValueError(f"fault knob {name!r} needs a value: {name}=...")
            values[name] = _convert(name, raw.strip())
        return cls(**values)  # type: ignore[arg-type]  # _convert gives each knob its field's type, by name

    def transient(self, path: str) -> tuple[FaultKind, int]:
        """The transient fault of `path` and how many attempts it fails, or ("none", 0)."""
        u, digest = _unit(self.seed, "transient", path)
        edge = 0.0
        for name, kind in zip(_RATES, _KINDS, strict=True):
            edge += getattr(self, name)
            if u < edge:
                return kind, 1 + digest[8] % 2
        return "none", 0

    def error_status(self, path: str) -> int:
        return (500, 503)[_unit(self.seed, "status", path)[1][0] % 2]

    def offhost(self, path: str) -> bool:
        """True when `path` always redirects off-host (documents only: a permanent fault)."""
        return _unit(self.seed, "offhost", path)[0] < self.offhost_redirect_rate

    def offhost_target(self, path: str, port: int) -> str:
        """Where an off-host redirect points: evil.example, a neighbouring localhost port, or
        that port disguised as this host (`\\@`: urlsplit reads this host, urllib3 the other)."""
        neighbour = port + 1 if port < 65535 else port - 1
        variant = _unit(self.seed, "target", path)[1][0] % 3
        if variant == 0:
            return f"http://evil.example{path}"
        if variant == 1:
            return f"http://127.0.0.1:{neighbour}{path}"
        return f"http://127.0.0.1:{neighbour}\\@127.0.0.1:{port}{path}"


def _convert(name: str, raw: str) -> object:
    if name == "block":
        return None if raw.lower() in ("", "none", "off") else raw
    try:
        return float(raw) if name.endswith("_rate") else int(raw)
    except ValueError:
        raise ValueError(f"fault knob {name!r} has a bad value {raw!r}") from None


@dataclass
class FaultState:
    """Per-server counters: requests seen (for block_after) and attempts per path."""

    faults: Faults
    requests: int = 0
    attempts: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def decide(self, path: str, *, document: bool) -> FaultKind:
        """Count this request and say which fault (if any) answers it."""
        with self.lock:
            self.requests += 1
            if self.faults.block is not None and self.requests > self.faults.block_after:
                return "block"
            if document and self.faults.offhost(path):
                return "offhost"
            kind, failing = self.faults.transient(path)
            if kind == "none":
                return "none"
            self.attempts[path] = self.attempts.get(path, 0) + 1
            return kind if self.attempts[path] <= failing else "none"
