"""Values Prefect hands back typed otherwise are checked where we take them (flows.prefect_calls, flows.outcome)."""

from __future__ import annotations

import asyncio
import inspect
import uuid

import pytest
from prefect.blocks.webhook import Webhook
from prefect.states import Completed
from pydantic import SecretStr

from flows.outcome import flow_result
from flows.prefect_calls import ran_sync


def _webhook() -> Webhook:
    return Webhook(method="POST", url=SecretStr("http://127.0.0.1:9/hook"))


def test_a_dispatched_call_made_on_an_event_loop_fails_by_name_and_its_coroutine_is_closed() -> None:
    async def save_on_a_loop() -> object:
        return _webhook().save("never-saved")  # on a loop Prefect hands back the coroutine, not run yet

    returned = asyncio.run(save_on_a_loop())
    assert inspect.iscoroutine(returned)
    with pytest.raises(RuntimeError, match="saving the webhook block was called from an event loop"):
        ran_sync(returned, uuid.UUID, "saving the webhook block")
    assert inspect.getcoroutinestate(returned) == inspect.CORO_CLOSED


def test_a_dispatched_value_of_another_type_is_an_error_and_the_expected_one_passes() -> None:
    block_id = uuid.uuid4()
    assert ran_sync(block_id, uuid.UUID, "saving") is block_id
    with pytest.raises(TypeError, match="saving returned str, expected UUID"):
        ran_sync(str(block_id), uuid.UUID, "saving")


def test_a_flow_call_gives_its_result_dict_and_a_state_in_its_place_is_an_error() -> None:
    result: dict[str, object] = {"failed": 0, "summary": "clean"}
    assert flow_result(result) is result
    with pytest.raises(TypeError, match="a flow call returned State, not its result dict"):
        flow_result(Completed(data=result))
