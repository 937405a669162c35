"""Parse documents in worker processes with a memory and a wall-clock limit.

The readers bound what they know to be costly (spans, merges, nesting, decompressed
bytes, drawn objects), but a file can always find a cost nobody thought of, and one
stuck parse must not stall a crawl. So a document is parsed in a persistent worker
process whose address space is capped (RLIMIT_AS) and which is killed when it overruns
its time; either way the document becomes status `error` with the reason, and the next
document goes to a fresh worker. Workers are reused across documents, so the cost per
document is one round trip of its bytes and the report through a pipe.

Limits come from the environment (read when the default pool first starts):

    NIANBAO_PARSE_TIMEOUT    seconds one document may take          (default 120)
    NIANBAO_PARSE_MEMORY_MB  address space of a worker, in MiB      (default 2048)
    NIANBAO_PARSE_WORKERS    worker processes parsing at once        (default 2)
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import queue
import resource
import signal
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from typing import Any

from parsers.dispatch import DEFAULT_LIMITS, OUT_OF_MEMORY, Parse, failed_report, parse_document
from parsers.document import Limits
from parsers.model import Hints, ParsedReport, ParseStatus

__all__ = ["GuardLimits", "ParserPool", "parse_isolated"]

ENV_TIMEOUT = "NIANBAO_PARSE_TIMEOUT"
ENV_MEMORY = "NIANBAO_PARSE_MEMORY_MB"
ENV_WORKERS = "NIANBAO_PARSE_WORKERS"
MIB = 1024 * 1024
_KILL_WAIT_S = 10.0
_START_WAIT_S = 60.0


@dataclass(frozen=True)
class GuardLimits:
    """The outer bounds of one document's parse, whatever its reader does."""

    timeout_s: float = 120.0
    memory_bytes: int = 2048 * MIB
    workers: int = 2

    def __post_init__(self) -> None:
        if self.timeout_s <= 0 or self.memory_bytes < 64 * MIB or self.workers < 1:
            raise ValueError(f"invalid parser guard limits: {self}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> GuardLimits:
        """Limits from NIANBAO_PARSE_*; a malformed value is a ValueError naming the variable."""
        default = cls()
        return cls(
            timeout_s=_env_number(environ, ENV_TIMEOUT, default.timeout_s, float),
            memory_bytes=int(_env_number(environ, ENV_MEMORY, default.memory_bytes // MIB, int)) * MIB,
            workers=int(_env_number(environ, ENV_WORKERS, default.workers, int)),
        )

    def describe_memory(self) -> str:
        mib = self.memory_bytes // MIB
        return f"{mib // 1024} GiB" if mib % 1024 == 0 else f"{mib} MiB"


def _env_number(environ: Mapping[str, str], name: str, default: float, kind: Callable[[str], float]) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number") from None
    if value <= 0:
        raise ValueError(f"{name}={raw!r} must be positive")
    return value


@dataclass
class _Request:
    # Everything parse_document takes: plain, picklable data.
    data: bytes
    filename: str | None
    media_type: str | None
    hints: Hints | None
    limits: Limits
    continuation: list[bytes] = field(default_factory=list)


@dataclass
class _Answer:
    report: ParsedReport
    spent: bool  # the worker hit its memory limit: replace it


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, ctx: Any, limits: GuardLimits, parse: Parse) -> None:
        self._conn, child = ctx.Pipe()
        # `parse` goes to the worker pickled (by name): unpickling it there imports the parsers.
        self.process = ctx.Process(target=_serve, args=(child, limits, parse), name="nianbao-parser", daemon=True)
        self.process.start()
        child.close()
        # The worker says it is ready once its readers are imported; a worker that cannot
        # even start (a reader that cannot be imported) is a crash of the document that asked for it.
        if not self._conn.poll(_START_WAIT_S):
            self.kill()
            raise _WorkerDied(f"worker did not start within {_START_WAIT_S:g} s")
        try:
            self._receive()
        except _WorkerDied as exc:
            raise _WorkerDied(f"worker failed to start: {exc}") from exc

    def parse(self, request: _Request, timeout_s: float) -> _Answer:
        """The worker's answer; _Overrun or _WorkerDied."""
        try:
            self._conn.send(request)
        except (BrokenPipeError, ConnectionError, EOFError, OSError) as exc:
            raise _WorkerDied(self._death(exc)) from exc
        if not self._conn.poll(timeout_s):
            self.kill()
            raise _Overrun
        answer = self._receive()
        if not isinstance(answer, _Answer):
            self.kill()
            raise _WorkerDied(f"worker answered {type(answer).__name__}, not a report")
        return answer

    def _receive(self) -> object:
        try:
            return self._conn.recv()
        except (EOFError, ConnectionError, OSError) as exc:
            # The pipe closes while a dying worker still exits: its own exit code, not our kill's.
            reason = self._death(exc)
            self.kill()
            raise _WorkerDied(reason) from exc

    def _death(self, exc: BaseException) -> str:
        self.process.join(_KILL_WAIT_S)
        code = self.process.exitcode
        if code is not None and code < 0:
            return f"worker killed by {signal.Signals(-code).name}"
        if code is not None:
            return f"worker exited with code {code}"
        return f"lost the worker ({type(exc).__name__})"

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(_KILL_WAIT_S)
        self._conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self._conn.send(None)
        self.process.join(1.0)
        self.kill()


class _Overrun(Exception):
    pass


class _WorkerDied(Exception):
    pass


class ParserPool:
    """A few persistent worker processes; `parse` is safe to call from many threads.

    The workers run `parse_with` (parsers.dispatch.parse_document; tests give one whose reader is
    deliberately slow or hungry): a top-level function or a partial of one, as it is pickled.
    """

    def __init__(self, limits: GuardLimits | None = None, parse_with: Parse = parse_document):
        self.limits = limits or GuardLimits.from_env()
        self._parse_with = parse_with
        self._ctx = multiprocessing.get_context("spawn")  # no fork of a threaded parent
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(self.limits.workers):
            self._idle.put(None)  # a slot whose worker starts on first use
        # A caller waits for a free worker at most as long as every worker's parse can last.
        self._wait_s = self.limits.timeout_s * (self.limits.workers + 1) + _START_WAIT_S

    def parse(
        self,
        data: bytes,
        *,
        filename: str | None = None,
        media_type: str | None = None,
        hints: Hints | None = None,
        limits: Limits = DEFAULT_LIMITS,
        continuation: Sequence[bytes] = (),
    ) -> ParsedReport:
        """Like parsers.dispatch.parse_document, in a worker; overruns and crashes become status error."""
        request = _Request(data, filename, media_type, hints, limits, list(continuation))
        try:
            worker = self._idle.get(timeout=self._wait_s)
        except queue.Empty:
            return failed_report(
                ParseStatus.ERROR, f"no parser worker became free within {self._wait_s:g} s", hints, crashed=True
            )
        try:
            report, worker = self._run(worker, request)
        finally:
            self._idle.put(worker)
        return report

    def _run(self, worker: _Worker | None, request: _Request) -> tuple[ParsedReport, _Worker | None]:
        try:
            worker = worker or _Worker(self._ctx, self.limits, self._parse_with)
            answer = worker.parse(request, self.limits.timeout_s)
        except _Overrun:
            return failed_report(
                ParseStatus.ERROR, f"parser exceeded {self.limits.timeout_s:g} s", request.hints, crashed=True
            ), None
        except _WorkerDied as exc:
            # A C library (pdfium) that cannot allocate under the limit aborts: say the limit.
            reason = f"parser crashed: {exc} (memory limit {self.limits.describe_memory()})"
            return failed_report(ParseStatus.ERROR, reason, request.hints, crashed=True), None
        if answer.spent:  # it hit its memory limit: its heap is not worth keeping
            worker.stop()
            worker = None
        return answer.report, worker

    def close(self) -> None:
        """Stop the idle workers; the pool can be used again (workers restart on demand).

        A worker busy with a document is left to its parse (and to multiprocessing's own
        clean-up of daemon processes at exit): closing must not wait out a stuck parse.
        """
        for _ in range(self.limits.workers):
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if worker is not None:
                worker.stop()
            self._idle.put(None)


def _serve(conn: Connection, limits: GuardLimits, parse: Parse) -> None:
    # The worker's loop: one request in, one _Answer out, until None or EOF. The parsers were
    # imported when `parse` was unpickled, so the first document pays no import.
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, hard))
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        conn.send(_answer(parse, request, limits))


def _answer(parse: Parse, request: _Request, limits: GuardLimits) -> _Answer:
    report = parse(
        request.data,
        filename=request.filename,
        media_type=request.media_type,
        hints=request.hints,
        limits=request.limits,
        continuation=request.continuation,
    )
    if report.status == ParseStatus.ERROR and report.error == OUT_OF_MEMORY:
        return _Answer(replace(report, error=f"parser exceeded {limits.describe_memory()} memory"), spent=True)
    return _Answer(report, spent=False)


_default: ParserPool | None = None
_default_lock = threading.Lock()


def default_pool() -> ParserPool:
    """The process-wide pool, limits from the environment, started on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = ParserPool()
            atexit.register(_default.close)
        return _default


def parse_isolated(
    data: bytes,
    *,
    filename: str | None = None,
    media_type: str | None = None,
    hints: Hints | None = None,
    limits: Limits = DEFAULT_LIMITS,
    continuation: Sequence[bytes] = (),
) -> ParsedReport:
    """parsers.dispatch.parse_document in the default pool's workers: bounded time and memory.

    Malformed NIANBAO_PARSE_* settings make every document an error naming the variable.
    """
    try:
        pool = default_pool()
    except ValueError as exc:
        return failed_report(ParseStatus.ERROR, f"parser guard not started: {exc}", hints, crashed=True)
    return pool.parse(
        data, filename=filename, media_type=media_type, hints=hints, limits=limits, continuation=continuation
    )
