"""`nianbao replica serve|manifest`: run the offline replica portal, or print its truth."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from replica.faults import Faults
    from replica.server import Family

# The ports portals/nxzw-replica.yaml and portals/hanweb-replica.yaml name: the replica served on
# them is crawlable with the spec as it is (no --base-url), and a rerun against the same URLs
# downloads nothing.
DEFAULT_PORT = 8080
DEFAULT_PORTS: dict[str, int] = {"trs": DEFAULT_PORT, "hanweb": 8081}

replica_app = typer.Typer(
    help="The offline replica of a Ningxia portal (TRS, or the same world on Hanweb), for crawler tests and demos."
)
_FAMILY_HELP = "CMS family of the site: trs (nxzw's structure) or hanweb (大汉 jcms: /col/col…, jpage, jsearchfront)."


@replica_app.command("serve")
def serve(
    port: int | None = typer.Option(
        None,
        help="Port on 127.0.0.1 (0 = any free port); default the one the family's replica spec names "
        "(nxzw-replica 8080, hanweb-replica 8081).",
    ),
    seed: int = typer.Option(1, help="Site seed; the same seed gives the same site."),
    faults: str = typer.Option("", help='Fault knobs, e.g. "error_rate=0.1,latency_ms=20,block=412".'),
    departments: int = typer.Option(16, help="Number of departments (the site holds ~7 reports each)."),
    revision: int = typer.Option(0, help="Start at this revision of the site."),
    family: str = typer.Option("trs", help=_FAMILY_HELP),
) -> None:
    """Serve the replica until Ctrl-C; prints the base URL and what the site holds."""
    from replica.server import ReplicaServer

    kind = _family(family)
    port = DEFAULT_PORTS[kind] if port is None else port
    server = ReplicaServer(
        seed, faults=_faults(faults), port=port, departments=departments, revision=revision, family=kind
    )
    with server:
        site = server.site
        years = site.plan.years
        typer.echo(f"replica portal ({kind}) at {server.base_url}/")
        typer.echo(
            f"seed {seed}, revision {site.revision}: {len(site.reports)} reports, "
            f"{len(site.departments)} departments, years {years[0]}-{years[-1]}"
        )
        typer.echo(f"manifest: {server.base_url}/__replica__/manifest.json  (Ctrl-C to stop)")
        _wait_forever()


def _family(text: str) -> Family:
    from replica.server import FAMILIES

    if text not in FAMILIES:
        raise typer.BadParameter(f"must be one of {', '.join(FAMILIES)}, not {text!r}", param_hint="--family")
    return text


def _faults(text: str) -> Faults:
    from replica.faults import Faults

    try:
        return Faults.parse(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--faults") from None


def _wait_forever() -> None:
    import threading

    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        typer.echo("stopped")


@replica_app.command("manifest")
def manifest(
    seed: int = typer.Option(1, help="Site seed."),
    departments: int = typer.Option(16, help="Number of departments."),
    revision: int = typer.Option(0, help="Revision of the site."),
    faults: str = typer.Option("", help="Fault knobs, to list what they make unrecoverable."),
    family: str = typer.Option("trs", help=_FAMILY_HELP),
) -> None:
    """Print the manifest of the site for SEED as JSON (what `serve` publishes at /__replica__/)."""
    import json

    from replica.server import ReplicaServer

    kind = _family(family)
    server = ReplicaServer(seed, faults=_faults(faults), departments=departments, revision=revision, family=kind)
    typer.echo(json.dumps(server.manifest(), ensure_ascii=False, indent=1))


def register(app: typer.Typer) -> None:
    app.add_typer(replica_app, name="replica")
