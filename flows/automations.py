"""The notification automation: a webhook call when a nianbao run fails or ends with failures.

Created (idempotently, by name) by `nianbao notify --webhook URL` or `create_notification()`:
a Webhook block and a Prefect automation that reacts to the flow-run state events of the
nianbao flows. Prefect evaluates automations in the server, so they need a server that is
running when the run ends: a `prefect server` (PREFECT_API_URL), not the temporary one the
CLI starts and stops with each run.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from prefect.blocks.webhook import Webhook
from prefect.client.orchestration import get_client
from prefect.events.actions import CallWebhook
from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture
from pydantic import SecretStr

from flows.outcome import PARTIAL_STATE
from flows.prefect_calls import ran_sync

AUTOMATION_NAME = "nianbao: run failed or ended with failures"
BLOCK_NAME = "nianbao-notify"
FLOWS = ("collect", "backfill", "reparse")
STATES = ("Failed", "Crashed", PARTIAL_STATE)

# The webhook body (JSON). Values go through tojson: a state message may hold quotes.
PAYLOAD = """{
  "text": {{ ("nianbao " ~ flow.name ~ " run " ~ flow_run.name ~ " ended " ~ flow_run.state.name
              ~ ": " ~ (flow_run.state.message or "")) | tojson }},
  "flow": {{ flow.name | tojson }},
  "flow_run": {{ flow_run.name | tojson }},
  "flow_run_id": {{ (flow_run.id | string) | tojson }},
  "state": {{ flow_run.state.name | tojson }},
  "message": {{ (flow_run.state.message or "") | tojson }},
  "tags": {{ flow_run.tags | list | tojson }}
}"""


def notification_trigger() -> EventTrigger:
    """Any nianbao flow run entering Failed, Crashed or CompletedWithFailures, once per run."""
    return EventTrigger(
        expect={f"prefect.flow-run.{state}" for state in STATES},
        match_related={"prefect.resource.role": "flow", "prefect.resource.name": list(FLOWS)},
        for_each={"prefect.resource.id"},
        posture=Posture.Reactive,
        threshold=1,
        within=timedelta(0),
    )


def save_webhook(url: str) -> UUID:
    """The Webhook block the automation calls, created or pointed at `url`."""
    block = Webhook(method="POST", url=SecretStr(url), headers={"Content-Type": "application/json"})
    return ran_sync(block.save(BLOCK_NAME, overwrite=True), UUID, "saving the webhook block")


def create_notification(url: str) -> UUID:
    """Create or update the automation (one, by name) and its webhook block; returns its id."""
    block_id = save_webhook(url)
    wanted = AutomationCore(
        name=AUTOMATION_NAME,
        description="Posts a JSON message to the nianbao-notify webhook when a nianbao flow run fails, "
        "crashes or completes with failed reports (created by `nianbao notify`).",
        trigger=notification_trigger(),
        actions=[CallWebhook(block_document_id=block_id, payload=PAYLOAD)],
    )
    with get_client(sync_client=True) as client:
        existing = client.read_automations_by_name(AUTOMATION_NAME)
        if not existing:
            return client.create_automation(wanted)
        for extra in existing[1:]:
            client.delete_automation(extra.id)
        client.update_automation(existing[0].id, wanted)
        return existing[0].id


def remove_notification() -> int:
    """Delete the automation (the block stays, harmless); how many were deleted."""
    with get_client(sync_client=True) as client:
        existing = client.read_automations_by_name(AUTOMATION_NAME)
        for automation in existing:
            client.delete_automation(automation.id)
    return len(existing)
