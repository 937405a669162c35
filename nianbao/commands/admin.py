"""`nianbao slots` and `nianbao notify`: the Prefect side of running nianbao.

`slots` shows and frees the per-portal concurrency slots (flows/limits.py) when a run died
holding one; `notify` creates the automation that posts to a webhook when a run fails
(flows/automations.py). Both talk to PREFECT_API_URL, or to the temporary server on
PREFECT_HOME when it is unset, like collect and backfill.
"""

from __future__ import annotations

from typing import Annotated

import typer

slots_app = typer.Typer(help="Per-portal concurrency slots: who holds them; free a dead run's slot.")


@slots_app.callback(invoke_without_command=True)
def slots_command(ctx: typer.Context) -> None:
    """List portal limits, their active slots and holders (leases are visible without PREFECT_API_URL)."""
    if ctx.invoked_subcommand is not None:
        return
    from nianbao.commands.flows import prefect_env

    prefect_env()  # before Prefect is imported: it reads its settings then
    from prefect.client.orchestration import get_client

    from flows.slots import read_slots

    with get_client(sync_client=True) as client:
        states = read_slots(client)
    if not states:
        typer.echo("no portal limits yet (the first collect or backfill creates them)")
    for state in states:
        if state.holders:
            who = "held by " + ", ".join(state.holders)
        elif state.active_slots and state.leases_visible:
            who = "held by no live lease (stale: the next run frees it)"
        elif state.active_slots:
            who = "holders not visible from here (the server's own leases)"
        else:
            who = "free"
        typer.echo(f"{state.name}\t{state.active_slots}/{state.limit}\t{who}")


@slots_app.command("release")
def release_command(
    portal: Annotated[str, typer.Argument(help="Portal id, e.g. nxzw (or the limit name portal-nxzw).")],
) -> None:
    """Free every slot of a portal (same as `prefect gcl update portal-ID --active-slots 0`).

    Only for a run that is gone: a live holder keeps crawling, and a second run would crawl
    the same portal at once.
    """
    from nianbao.commands.flows import prefect_env
    from nianbao.errors import UsageError

    prefect_env()  # before Prefect is imported: it reads its settings then
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    from flows.limits import portal_limit_name
    from flows.slots import LIMIT_PREFIX, read_slots, release

    name = portal if portal.startswith(LIMIT_PREFIX) else portal_limit_name(portal)
    with get_client(sync_client=True) as client:
        try:
            before = read_slots(client, [name])
            dropped = release(client, name)
        except ObjectNotFound:
            raise UsageError(f"no concurrency limit {name} (see `nianbao slots`)") from None
    holders = ", ".join(h for state in before for h in state.holders) or "no live holder"
    freed = before[0].active_slots if before else 0
    leases = f", dropped {len(dropped)} lease(s) of {holders}" if dropped else ""
    typer.echo(f"{name}: freed {freed} slot(s){leases}")


def notify_command(
    webhook: Annotated[str | None, typer.Option(help="URL to POST a JSON message to (Slack, ntfy, your own).")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Delete the automation instead.")] = False,
) -> None:
    """Notify a webhook when a collect, backfill or reparse run fails, crashes or ends with failures.

    Creates (or updates) the Prefect automation "nianbao: run failed or ended with failures" and
    its Webhook block `nianbao-notify`. Automations run in the Prefect server: use a long-running
    `prefect server start` with PREFECT_API_URL set, or nothing is sent after the CLI's own
    temporary server stops.
    """
    from nianbao.commands.flows import prefect_env
    from nianbao.errors import UsageError

    if not remove and not (webhook or "").startswith(("http://", "https://")):
        raise UsageError("give --webhook http(s)://... (or --remove)")
    prefect_env()  # before Prefect is imported: it reads its settings then
    from prefect.settings import get_current_settings

    from flows.automations import AUTOMATION_NAME, create_notification, remove_notification

    if not get_current_settings().api.url:
        typer.echo("warning: PREFECT_API_URL is unset; the automation is stored in PREFECT_HOME but fires only "
                   "while a Prefect server runs (`prefect server start`)", err=True)  # fmt: skip
    if remove:
        typer.echo(f"removed {remove_notification()} automation(s) named {AUTOMATION_NAME!r}")
        return
    assert webhook is not None
    automation_id = create_notification(webhook)
    typer.echo(f"automation {AUTOMATION_NAME!r} ({automation_id}) posts to {webhook}")


def register(app: typer.Typer) -> None:
    app.add_typer(slots_app, name="slots")
    app.command("notify")(notify_command)
