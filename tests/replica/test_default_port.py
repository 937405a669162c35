"""The replica's default port is the one its portal spec names, so `nianbao replica serve` and
`nianbao demo` are crawlable with portals/nxzw-replica.yaml (and `replica serve --family hanweb`
with portals/hanweb-replica.yaml) as they are, without --base-url."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import typer

from nianbao.cli import app
from nianbao.commands.replica import DEFAULT_PORTS
from scrapers.spec import load_portal


def _default_port(command: Any) -> int:
    return next(param.default for param in command.params if param.name == "port")


def test_replica_commands_serve_where_the_replica_spec_points() -> None:
    cli: Any = typer.main.get_command(app)
    replica = cli.commands["replica"]
    spec = load_portal("nxzw-replica")
    spec_port = urlsplit(spec.base_url).port
    assert f"127.0.0.1:{spec_port}" in spec.allowed_hosts
    assert _default_port(replica.commands["serve"]) is None  # the family's port, below
    assert DEFAULT_PORTS["trs"] == spec_port
    assert _default_port(cli.commands["demo"]) == spec_port


def test_hanweb_replica_serves_where_its_spec_points() -> None:
    spec = load_portal("hanweb-replica")
    spec_port = urlsplit(spec.base_url).port
    assert spec.cms_family == "hanweb_jcms" and f"127.0.0.1:{spec_port}" in spec.allowed_hosts
    assert DEFAULT_PORTS["hanweb"] == spec_port != DEFAULT_PORTS["trs"]
