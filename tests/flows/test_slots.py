"""Portal slots across CLI processes on one PREFECT_HOME, each with its own temporary server.

The cases the issue reported: a run killed with -9 must not leave its portal occupied for
ever, a wait for a held portal ends with a message naming the holder and the command that
frees it, and `nianbao slots` shows who holds what. Real processes, real temporary servers.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.prefect_local import LOCK_NAME
from tests.flows.prefect_server import REPO

pytestmark = [pytest.mark.prefect, pytest.mark.slow]
HOLDER = str(REPO / "tests" / "flows" / "slot_holder.py")
NIANBAO = str(Path(sys.executable).with_name("nianbao"))


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a user's shell without PREFECT_API_URL: the CLI starts its own server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NIANBAO_"))}
    return env | {"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"} | extra


def start_holder(env: dict[str, str], log: Path, seconds: float = 900) -> subprocess.Popen[bytes]:
    # Its own session, so kill -9 takes the temporary server with it, as when a machine dies.
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, HOLDER, "nxzw", str(seconds)], env=env, cwd=REPO,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 240
    while "HELD" not in log.read_text(errors="replace"):
        assert proc.poll() is None and time.monotonic() < deadline, f"holder never held:\n{log.read_text()[-3000:]}"
        time.sleep(0.5)
    return proc


def kill_9(proc: subprocess.Popen[Any]) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def run(args: list[str], env: dict[str, str], timeout: float = 400) -> subprocess.CompletedProcess[str]:
    """Run a CLI process; one that hangs fails the test, and takes its temporary server with it."""
    proc = subprocess.Popen(args, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # fmt: skip
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_9(proc)
        out, err = proc.communicate()
        raise AssertionError(f"{args} still running after {timeout} s:\n{out[-2000:]}\n{err[-2000:]}") from None
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def test_killed_run_frees_its_portal_and_a_held_portal_is_named(tmp_path: Path) -> None:
    home = tmp_path / "prefect-home"
    env = cli_env(home)
    holder = start_holder(env, tmp_path / "holder.log")
    try:
        # A real backfill of the held portal: it says whom it waits for, then gives up in one line.
        waiter_env = cli_env(home, NIANBAO_SLOT_WAIT_SECONDS="8", NIANBAO_DATA_DIR=str(tmp_path / "data"))
        assert run([NIANBAO, "db", "upgrade"], waiter_env).returncode == 0
        waiter = run([NIANBAO, "backfill", "--portal", "nxzw", "--from", "2023", "--to", "2023"], waiter_env)
        out = waiter.stdout + waiter.stderr
        assert waiter.returncode == 3, out
        assert "waiting for portal-nxzw, held by flow run" in out and "Traceback" not in out, out
        error = [line for line in waiter.stderr.splitlines() if line.startswith("error: ")]
        assert len(error) == 1 and "gave up after 8 s waiting for portal-nxzw, held by flow run" in error[0], out
        assert "`nianbao slots release nxzw`" in error[0]
        assert "`prefect gcl update portal-nxzw --active-slots 0`" in error[0]

        listing = run([NIANBAO, "slots"], env)
        assert listing.returncode == 0, listing.stderr
        assert "portal-nxzw\t1/1\theld by flow run" in listing.stdout
    finally:
        kill_9(holder)

    # The dead run's lease lapses within a minute; the next run frees the slot and proceeds.
    after = run([sys.executable, HOLDER, "nxzw", "0"], cli_env(home, NIANBAO_SLOT_WAIT_SECONDS="300"))
    out = after.stdout + after.stderr
    assert after.returncode == 0, out
    assert "recovered stale slot: portal-nxzw" in out and "DONE" in out

    # Without waiting for the lease to lapse: free a dead run's slot by hand.
    kill_9(start_holder(env, tmp_path / "holder-2.log"))
    released = run([NIANBAO, "slots", "release", "nxzw"], env)
    assert released.returncode == 0, released.stdout + released.stderr
    assert "portal-nxzw: freed 1 slot(s), dropped 1 lease(s) of flow run '" in released.stdout
    listing = run([NIANBAO, "slots"], env)
    assert "portal-nxzw\t0/1\tfree" in listing.stdout, listing.stdout + listing.stderr


def test_two_first_runs_on_a_fresh_home_start_one_after_the_other(tmp_path: Path) -> None:
    # Unserialised, two first runs both migrated the new database; about one pair in four
    # printed "index ... already exists" and a failed server startup. Holding the start lock
    # here makes both wait, visibly, before either touches the database; then both go through.
    home = tmp_path / "fresh-home"
    home.mkdir()
    env = cli_env(home)
    with (home / LOCK_NAME).open("a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        procs = [subprocess.Popen([NIANBAO, "slots"], env=env, cwd=REPO, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
        for proc in procs:
            assert proc.stderr is not None
            assert "waiting for another nianbao run to start Prefect's temporary server" in proc.stderr.readline()
        assert not (home / "prefect.db").exists()
        fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    for proc in procs:
        out, err = proc.communicate(timeout=400)
        assert proc.returncode == 0, out + err
        assert "no portal limits yet" in out, out + err
        assert "already exists" not in err and "Application startup failed" not in err, err


def test_a_slot_leaked_before_file_leases_is_freed_at_start(tmp_path: Path) -> None:
    # The PREFECT_HOME: a slot counted in the database, its lease lost with the old
    # in-memory storage. Made with Prefect's own CLI, as a user's home would hold it.
    env = cli_env(tmp_path / "old-home")
    leaked = run([str(Path(sys.executable).with_name("prefect")), "gcl", "create", "portal-nxzw", "--limit", "1",
                  "--active-slots", "1"], env)  # fmt: skip
    assert leaked.returncode == 0, leaked.stdout + leaked.stderr
    after = run([sys.executable, HOLDER, "nxzw", "0"], cli_env(tmp_path / "old-home", NIANBAO_SLOT_WAIT_SECONDS="60"))
    out = after.stdout + after.stderr
    assert after.returncode == 0 and "DONE" in out, out
    assert "recovered stale slot: portal-nxzw: 1 slot(s) held by no live lease freed" in out


@pytest.mark.usefixtures("prefect_api", "data_dir")
def test_an_unusable_wait_bound_is_one_error_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_SLOT_WAIT_SECONDS", "half an hour")
    args = ["backfill", "--portal", "nxzw", "--from", "2024", "--to", "2024"]
    assert CliRunner().invoke(app, ["db", "upgrade"]).exit_code == 0
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 3, result.output
    assert "error: NIANBAO_SLOT_WAIT_SECONDS='half an hour' is not a number of seconds" in result.output
    assert "Traceback" not in result.output


@pytest.mark.usefixtures("prefect_api")
def test_releasing_a_portal_without_a_limit_is_one_error_line() -> None:
    result = CliRunner().invoke(app, ["slots", "release", "no-such-portal"])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == "error: no concurrency limit portal-no-such-portal (see `nianbao slots`)"


def test_a_manual_reset_does_not_free_the_next_holder_later(tmp_path: Path) -> None:
    # kill -9, then `prefect gcl update --active-slots 0` instead of waiting; a new run takes
    # the slot. When the dead run's lease expires, freeing "its" slot would free the new run's.
    home = tmp_path / "prefect-home"
    env = cli_env(home)
    kill_9(start_holder(env, tmp_path / "dead.log"))
    reset = run([str(Path(sys.executable).with_name("prefect")), "gcl", "update", "portal-nxzw", "--active-slots", "0"],
                env)  # fmt: skip
    assert reset.returncode == 0, reset.stdout + reset.stderr
    holder = start_holder(env, tmp_path / "holder.log")
    try:
        wait_for_an_expired_lease(home / "concurrency_leases")
        late = run([sys.executable, HOLDER, "nxzw", "0"], cli_env(home, NIANBAO_SLOT_WAIT_SECONDS="8"))
        out = late.stdout + late.stderr
        assert late.returncode != 0 and "HELD" not in out, out
        assert "gave up after 8 s waiting for portal-nxzw, held by flow run" in out
    finally:
        kill_9(holder)


def wait_for_an_expired_lease(leases: Path, timeout: float = 240) -> None:
    """Until one lease file (the dead run's: the live one is renewed) is past its expiration."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = dt.datetime.now(dt.UTC)
        for path in leases.glob("*.json"):
            if path.name == "expirations.json":
                continue
            try:
                if dt.datetime.fromisoformat(json.loads(path.read_text())["expiration"]) < now:
                    return
            except (OSError, ValueError, KeyError):
                continue  # being rewritten
        time.sleep(1)
    raise AssertionError(f"no lease in {leases} expired within {timeout} s")
