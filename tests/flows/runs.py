"""Reading back what a flow run left in the Prefect API: its name, final state, tags, artifacts."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any

from prefect.states import State


@dataclass(frozen=True)
class RunRecord:
    name: str
    state_type: str
    state_name: str
    message: str | None
    tags: set[str]
    artifacts: dict[str, Any]  # key -> artifact (description, data)


def run_record(state: State[Any]) -> RunRecord:
    """The flow run that ended in `state`, as the API (and so the UI) shows it."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    run_id = state.state_details.flow_run_id
    assert run_id is not None
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(run_id)
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]))
        )
    assert run.state is not None
    artifacts = {a.key: a for a in found if a.key}
    return RunRecord(run.name, run.state.type.value, run.state.name, run.state.message, set(run.tags), artifacts)


def closed_port_url() -> str:
    """A loopback URL nothing listens on: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
