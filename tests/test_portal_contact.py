"""The User-Agent's contact is configuration (NIANBAO_CONTACT); the placeholder is called out for real portals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.config import ConfigError, Settings, contact_warning
from replica.server import ReplicaServer
from scrapers.spec import DEFAULT_PORTALS_DIR, PLACEHOLDER_CONTACT, load_all, load_portal

CONTACT = "crawler-ops@example.net"


def test_the_contact_replaces_the_placeholder_in_every_shipped_spec() -> None:
    for spec in load_all(contact=CONTACT):
        assert CONTACT in spec.http.user_agent and PLACEHOLDER_CONTACT not in spec.http.user_agent, spec.id
    assert all(PLACEHOLDER_CONTACT in spec.http.user_agent for spec in load_all())


def _spec_dir(tmp_path: Path, portal_id: str, base_url: str, **http: object) -> Path:
    data = yaml.safe_load((DEFAULT_PORTALS_DIR / "nxzw.yaml").read_text(encoding="utf-8"))
    data.update(base_url=base_url, allowed_hosts=[base_url.split("//")[1]])
    data["http"] = {**data["http"], **http}
    data["politeness"] = {**data["politeness"], "retries": 0, "min_delay_s": 2.0}
    (tmp_path / f"{portal_id}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


def test_a_contact_field_in_the_user_agent_is_filled(tmp_path: Path) -> None:
    _spec_dir(tmp_path, "placed", "https://www.example.gov.cn", user_agent="nianbao/0.1 (mailto:{contact})")
    assert load_portal("placed", tmp_path, contact=CONTACT).http.user_agent == f"nianbao/0.1 (mailto:{CONTACT})"
    unset = load_portal("placed", tmp_path)
    assert unset.http.user_agent == f"nianbao/0.1 (mailto:{PLACEHOLDER_CONTACT})"
    assert contact_warning(unset) is not None


def test_the_warning_is_for_real_portals_with_the_placeholder_only() -> None:
    warning = contact_warning(load_portal("nxzw"))
    assert warning is not None and PLACEHOLDER_CONTACT in warning and "NIANBAO_CONTACT" in warning
    assert contact_warning(load_portal("nxzw", contact=CONTACT)) is None
    assert contact_warning(load_portal("nxzw-replica")) is None  # loopback: nobody to reach


@pytest.mark.parametrize("value", ["nobody", "ops@", "联系@example.org", "ftp://example.org"])
def test_a_contact_that_is_no_address_is_a_config_error(value: str) -> None:
    with pytest.raises(ConfigError, match="NIANBAO_CONTACT: expected an e-mail address or an http"):
        Settings.from_env({"NIANBAO_CONTACT": value})
    assert (
        Settings.from_env({"NIANBAO_CONTACT": "https://example.org/crawler"}).contact == "https://example.org/crawler"
    )


def test_crawl_sends_the_configured_contact(replica: Callable[..., ReplicaServer], tmp_path: Path) -> None:
    server = replica(departments=2, years=range(2023, 2025))
    env = {"NIANBAO_CONTACT": CONTACT, "NIANBAO_DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(
        app, ["crawl", "nxzw-replica", "--base-url", server.base_url, "--dry-run", "--no-search"], env=env
    )
    agents = {entry.headers.get("User-Agent") for entry in server.request_log}
    assert len(agents) == 1 and CONTACT in agents.pop(), result.output
    assert "warning" not in result.output


def test_crawling_a_real_portal_with_the_placeholder_warns_at_start_up(tmp_path: Path) -> None:
    # A name under .invalid never resolves (RFC 2606): the crawl fails at once, after the warning.
    directory = _spec_dir(tmp_path, "unnamed", "http://www.portal.invalid")
    env = {"NIANBAO_PORTALS_DIR": str(directory), "NIANBAO_DATA_DIR": str(tmp_path), "NIANBAO_CONTACT": ""}
    result = CliRunner().invoke(app, ["crawl", "unnamed", "--dry-run", "--no-search"], env=env)
    first = result.stderr.splitlines()[0]
    assert first.startswith("warning: unnamed: the User-Agent gives the placeholder contact nianbao@example.org")
    assert result.exit_code == 1  # the crawl went on: a warning, not an error
