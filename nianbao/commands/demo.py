"""`nianbao demo`: the main job end to end against the offline replica portal."""

from __future__ import annotations

from typing import Annotated

import typer

from nianbao.commands.flows import prefect_env
from nianbao.commands.replica import DEFAULT_PORT

REPLICA_PORTAL = "nxzw-replica"
YEARS = list(range(2019, 2026))


def demo_command(
    seed: Annotated[int, typer.Option(help="Replica site seed (same seed, same site).")] = 1,
    departments: Annotated[int, typer.Option(help="Departments on the replica site.")] = 16,
    port: Annotated[
        int,
        typer.Option(
            help="Replica port. URLs include it: keep it the same between runs and a rerun downloads nothing."
        ),
    ] = DEFAULT_PORT,
) -> None:
    """Start the replica portal, run the `collect` flow against it into the configured database
    (default ./data/nianbao.db), and print what was stored.

    Running it again shows the incremental behaviour: nothing is downloaded twice.
    """
    prefect_env()
    from flows.collect import collect
    from flows.outcome import flow_result
    from nianbao.config import Settings
    from nianbao.progress import progress_bar
    from replica.server import ReplicaServer

    settings = Settings.from_env()
    server = ReplicaServer(seed, departments=departments, port=port)
    try:
        server.start()
    except OSError as exc:
        typer.echo(f"error: cannot serve the replica on port {port}: {exc.strerror}; try --port", err=True)
        raise typer.Exit(2) from exc
    with server:
        published = len(server.manifest()["reports"])
        typer.echo(f"replica portal serving {published} reports at {server.base_url}", err=True)
        typer.echo("running the collect flow (the first Prefect run starts a local API: ~20 s)", err=True)
        with progress_bar():
            returned = collect(portals=[REPLICA_PORTAL], years=YEARS, base_urls={REPLICA_PORTAL: server.base_url})
    result = flow_result(returned)
    typer.echo("\n" + str(result["summary"]))
    typer.echo(_next_steps(settings.database_url))


def _next_steps(database_url: str) -> str:
    return f"""
Stored in {database_url}. Look at the data:
  .venv/bin/nianbao reports              # every report: agency, year, template, status
  .venv/bin/nianbao findings             # failed checks, late, missing, outdated template
  .venv/bin/nianbao export --format csv --out reports.csv
Look at the run in the Prefect UI:
  .venv/bin/prefect server start --analytics-off   # then open http://127.0.0.1:4200 -> Runs -> collect
                                                   # (Artifacts tab: the per-agency table and the summary)"""


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
