"""A CLI-like process that holds portal slots: `python tests/flows/slot_holder.py PORTAL SECONDS`.

It prepares Prefect exactly as `nianbao collect` does (nianbao.commands.flows.prefect_env), so
without PREFECT_API_URL it starts the same temporary server on PREFECT_HOME; it prints HELD
once the slot is taken, so a test can kill it -9 mid-run.
"""

from __future__ import annotations

import sys
import time

from nianbao.commands.flows import prefect_env


def main(portal: str, seconds: float) -> None:
    prefect_env(verbose=True)
    from prefect import flow

    from flows.limits import portal_slots

    @flow(name="hold-slot")
    def hold() -> None:
        with portal_slots([portal]):
            print("HELD", flush=True)
            time.sleep(seconds)

    hold()
    print("DONE", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
