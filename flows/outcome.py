"""How a flow run ends in Prefect: a final state a person tells apart at a glance, and tags.

A clean run is plain Completed. A run with failed reports, unreachable portals, blocked
hosts or discovery problems is Completed too (what it stored is kept and its failures are
retried by the next run), but named `CompletedWithFailures` with a message of counts such
as "8 failed, 1 portal unreachable", and tagged `partial-failure` so the UI's Runs list can
filter it. A run that could collect nothing at all is Failed. Either is also tagged
`unreachable` or `blocked` when a portal could not be reached or a host blocked us.

Calling a flow returns the state's data, the `run_result` dict, as before; a Failed run
raises `NothingCollected`, which carries the same dict.
"""

from __future__ import annotations

from uuid import UUID

from prefect import State, get_run_logger
from prefect.client.orchestration import get_client
from prefect.runtime import flow_run
from prefect.states import Completed, Failed

from flows.summary import RunSummary

PARTIAL_STATE = "CompletedWithFailures"
TAG_PARTIAL = "partial-failure"
TAG_UNREACHABLE = "unreachable"
TAG_BLOCKED = "blocked"


class NothingCollected(RuntimeError):
    """No portal of the run could be crawled at all; `result` is the run's result dict."""

    def __init__(self, message: str, result: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.result = result or {}


def flow_result(returned: object) -> dict[str, object]:
    """What calling one of our flows gave: its `run_result` dict.

    The flows return their final State; called, Prefect hands back that state's data (and raises a
    Failed run's NothingCollected), while its types promise the State itself. Checked, not cast.
    """
    if not isinstance(returned, dict):
        raise TypeError(f"a flow call returned {type(returned).__name__}, not its result dict")
    return returned


def run_result(summary: RunSummary) -> dict[str, object]:
    """What the CLI and callers read: counts, problems and the terminal summary."""
    return {
        "outcomes": summary.outcome_counts,
        "discovered": summary.discovered,
        "requests": summary.requests,
        "downloads": summary.downloads,
        "writes": summary.writes,
        "blocked_hosts": summary.blocked_hosts,
        "unreachable": summary.unreachable,
        "failed": len(summary.failed),
        "findings": len(summary.findings),
        "issues": summary.issues(),
        "summary": summary.text(),
    }


def final_state(summary: RunSummary) -> State[dict[str, object]]:
    """The state the flow returns, and the tags it adds to its own run."""
    result = run_result(summary)
    issues = summary.issues()
    _tag_run(_tags(summary))
    if summary.nothing_possible():
        message = "nothing could be collected: " + ", ".join(issues)
        return Failed(message=message, data=NothingCollected(message, result))
    if not issues:
        return Completed(data=result)
    return Completed(name=PARTIAL_STATE, message=", ".join(issues), data=result)


def _tags(summary: RunSummary) -> list[str]:
    # A Failed run is told apart by its state already; partial-failure marks the Completed ones.
    tags = [TAG_PARTIAL] if summary.issues() and not summary.nothing_possible() else []
    tags += [TAG_UNREACHABLE] if summary.unreachable else []
    tags += [TAG_BLOCKED] if summary.blocked_hosts else []
    return tags


def _tag_run(tags: list[str]) -> None:
    """Add `tags` to the running flow run (a run's tags are otherwise fixed when it starts)."""
    run_id = flow_run.get_id()
    if not tags or run_id is None:
        return
    try:
        with get_client(sync_client=True) as client:
            current = client.read_flow_run(UUID(run_id)).tags
            client.update_flow_run(UUID(run_id), tags=sorted({*current, *tags}))
    except Exception as exc:  # the run's work is done and stored; a missing tag must not fail it
        get_run_logger().warning("could not tag flow run %s with %s: %s", run_id, ", ".join(tags), exc)
