"""Flow runs for the notification test: `python tests/flows/notify_flows.py` against PREFECT_API_URL.

Flows with the names the automation watches, ending in each way that matters, with fixed run
names the test looks for in the webhook's messages; the quiet ones run first.
"""

from __future__ import annotations

from prefect import flow
from prefect.states import Completed, State

from flows.outcome import PARTIAL_STATE


@flow(name="reparse", flow_run_name="quiet-completed")
def clean() -> int:
    return 1


@flow(name="not-nianbao", flow_run_name="quiet-other-flow")
def other() -> None:
    raise RuntimeError("not one of nianbao's flows")


@flow(name="backfill", flow_run_name="loud-failed")
def failing() -> None:
    raise RuntimeError('portal "nxzw" unreachable')


@flow(name="collect", flow_run_name="loud-partial")
def partial() -> State[int]:
    return Completed(name=PARTIAL_STATE, message="8 failed, 1 portal unreachable", data=1)


def main() -> None:
    for fn in (clean, other, failing, partial):
        state = fn(return_state=True)
        print(fn.__name__, state.name, flush=True)


if __name__ == "__main__":
    main()
