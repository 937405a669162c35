"""The outer guard: a document that overruns its time or memory, or crashes its worker,
becomes status error with the reason, and the next document is parsed as usual."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from parsers.dispatch import parse_document, parse_path
from parsers.isolated import MIB, GuardLimits, ParserPool
from parsers.model import Hints
from parsers.sniff import TEXT
from tests.parsers.guard_readers import parse_with, read_misbehaving

SEED = sorted((Path(__file__).parents[1] / "fixtures" / "seeds").glob("*.txt"))[1]

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def pool() -> Iterator[ParserPool]:
    pool = ParserPool(GuardLimits(timeout_s=3, memory_bytes=512 * MIB, workers=1), parse_with(TEXT, read_misbehaving))
    yield pool
    pool.close()


def test_a_batch_goes_on_past_a_slow_a_hungry_and_a_crashing_document(pool: ParserPool) -> None:
    seed = SEED.read_bytes()
    expected = parse_document(seed, filename=SEED.name)
    assert expected.status == "ok"

    batch = [seed, b"SLEEP\n", seed, b"EAT\n", seed, b"CRASH\n", seed]
    reports = [pool.parse(data, filename="report.txt") for data in batch]

    assert [(r.status, r.error) for r in reports[1::2]] == [
        ("error", "parser exceeded 3 s"),
        ("error", "parser exceeded 512 MiB memory"),
        ("error", "parser crashed: worker killed by SIGSEGV (memory limit 512 MiB)"),
    ]
    # None of them is a verdict on the bytes: the parse cache must read them again.
    assert [(r.crashed, r.cache_version) for r in reports[1::2]] == [(True, None)] * 3
    # Every good document after a bad one reads exactly as in-process.
    for report in reports[0::2]:
        assert report == expected


def test_hints_survive_a_killed_parse(pool: ParserPool) -> None:
    from parsers.model import Hints

    report = pool.parse(b"SLEEP\n", hints=Hints(agency="中卫市商务局", year=2019))
    assert (report.status, report.agency, report.year) == ("error", "中卫市商务局", 2019)


def test_parse_path_through_the_guard(pool: ParserPool) -> None:
    assert parse_path(SEED, parse=pool.parse) == parse_path(SEED)


def test_a_worker_that_cannot_import_its_readers_fails_the_document_as_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.parsers.unimportable_reader import BREAK, read_unreachable

    monkeypatch.setenv(BREAK, "1")  # the worker's import of the reader's module fails
    pool = ParserPool(GuardLimits(timeout_s=30, memory_bytes=512 * MIB, workers=1), parse_with(TEXT, read_unreachable))
    try:
        report = pool.parse(b"text", hints=Hints(year=2020))
    finally:
        pool.close()
    assert (report.status, report.crashed, report.cache_version, report.year) == ("error", True, None, 2020)
    # Its own exit, not a kill by the parent: the reason points at the installation.
    assert report.error == "parser crashed: worker failed to start: worker exited with code 1 (memory limit 512 MiB)"


def test_limits_from_environment() -> None:
    env = {"NIANBAO_PARSE_TIMEOUT": "7.5", "NIANBAO_PARSE_MEMORY_MB": "1024", "NIANBAO_PARSE_WORKERS": "3"}
    limits = GuardLimits.from_env(env)
    assert (limits.timeout_s, limits.memory_bytes, limits.workers) == (7.5, 1024 * MIB, 3)
    assert limits.describe_memory() == "1 GiB"
    assert GuardLimits.from_env({}) == GuardLimits()
    with pytest.raises(ValueError, match="NIANBAO_PARSE_TIMEOUT='soon' is not a number"):
        GuardLimits.from_env({"NIANBAO_PARSE_TIMEOUT": "soon"})
    with pytest.raises(ValueError, match="NIANBAO_PARSE_WORKERS='0' must be positive"):
        GuardLimits.from_env({"NIANBAO_PARSE_WORKERS": "0"})


def test_malformed_settings_make_each_document_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from parsers import isolated
    from parsers.model import Hints

    monkeypatch.setattr(isolated, "_default", None)
    monkeypatch.setenv("NIANBAO_PARSE_MEMORY_MB", "lots")
    report = isolated.parse_isolated(b"text", hints=Hints(year=2020))
    assert (report.status, report.year) == ("error", 2020)
    assert report.error == "parser guard not started: NIANBAO_PARSE_MEMORY_MB='lots' is not a number"


def test_close_does_not_wait_for_a_busy_worker(pool: ParserPool) -> None:
    import threading

    busy = threading.Thread(target=pool.parse, args=(b"SLEEP\n",))
    busy.start()
    try:
        for _ in range(500):  # until the busy thread holds the only worker slot
            if pool._idle.empty():
                break
            time.sleep(0.01)
        assert pool._idle.empty()
        pool.close()  # returns at once although the only worker is sleeping
        assert busy.is_alive()
    finally:
        busy.join(30)
    assert pool.parse(SEED.read_bytes(), filename=SEED.name).status == "ok"


def test_many_threads_share_a_small_pool() -> None:
    # The pipeline parses from several task threads at once; each gets its own report.
    from concurrent.futures import ThreadPoolExecutor

    seeds = sorted((Path(__file__).parents[1] / "fixtures" / "seeds").glob("*.txt"))
    expected = [parse_path(seed) for seed in seeds]
    pool = ParserPool(GuardLimits(timeout_s=30, memory_bytes=512 * MIB, workers=2))
    try:
        with ThreadPoolExecutor(max_workers=4) as threads:
            reports = list(threads.map(lambda seed: parse_path(seed, parse=pool.parse), seeds * 3))
    finally:
        pool.close()
    assert reports == expected * 3
