"""A run crawling a real portal with the placeholder contact says so in the flow's log, as the UI shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

SPECS = Path(__file__).resolve().parents[2] / "portals"


def _real_portal(directory: Path) -> str:
    """A spec of a real-looking portal under .invalid (RFC 2606: never resolves, so it is unreachable at once)."""
    data = yaml.safe_load((SPECS / "nxzw.yaml").read_text(encoding="utf-8"))
    data.update(base_url="http://www.portal.invalid", allowed_hosts=["www.portal.invalid"])
    data["politeness"] = {**data["politeness"], "retries": 0}
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "unnamed.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return "unnamed"


def _flow_run_logs(flow_run_id: object) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=30)  # logs reach the API in batches, in the background
    with get_client(sync_client=True) as client:
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
    return [log.message for log in logs]


@pytest.mark.prefect
@pytest.mark.slow
@pytest.mark.usefixtures("prefect_api")
@pytest.mark.parametrize("contact", ["", "ops@example.net"])
def test_the_placeholder_contact_is_a_warning_in_the_flow_log(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, contact: str
) -> None:
    from flows.collect import collect

    portal = _real_portal(tmp_path / "portals")
    monkeypatch.setenv("NIANBAO_PORTALS_DIR", str(tmp_path / "portals"))
    monkeypatch.setenv("NIANBAO_CONTACT", contact)
    state = collect(portals=[portal], years=[2024], return_state=True)
    messages = _flow_run_logs(state.state_details.flow_run_id)
    warned = [m for m in messages if "placeholder contact nianbao@example.org" in m]
    assert len(warned) == (0 if contact else 1), messages
    assert any("unreachable" in m for m in messages)  # the run went on to the portal: a warning, not an error
