"""`nianbao portal list`: the portals directory with family, level, hosts and the database's last run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from db.blobs import BlobStore
from db.database import Database
from nianbao.cli import app
from scrapers.spec import DEFAULT_PORTALS_DIR, load_all
from tests.db.helpers import store_portal_runs


def portal_list(env: dict[str, str]) -> tuple[int, list[dict[str, Any]]]:
    result = CliRunner().invoke(app, ["portal", "list", "--json"], env=env)
    return result.exit_code, json.loads(result.stdout)


def test_without_a_database_every_portal_was_never_run(tmp_path: Path) -> None:
    code, portals = portal_list({"NIANBAO_DATA_DIR": str(tmp_path)})
    assert code == 0
    specs = load_all()
    assert [p["id"] for p in portals] == [s.id for s in specs]
    for line, spec in zip(portals, specs, strict=True):
        assert (line["family"], line["level"], line["hosts"]) == (spec.cms_family, spec.level, spec.allowed_hosts)
        assert line["last_run"] == "never run" and line["error"] is None
    assert list(tmp_path.iterdir()) == []  # listing creates no database

    table = CliRunner().invoke(app, ["portal", "list"], env={"NIANBAO_DATA_DIR": str(tmp_path)}).stdout
    assert "hanweb-replica  hanweb_jcms   prefecture  never run" in table


def test_the_last_run_outcome_comes_from_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nianbao.db'}"
    database = Database(url)
    database.upgrade()
    blobs = BlobStore(tmp_path / "blobs")
    store_portal_runs(database, blobs)  # nxzw 1 report and 1 open failure, yinchuan unreachable, wuzhong ok
    database.dispose()

    code, portals = portal_list({"NIANBAO_DATA_DIR": str(tmp_path), "NIANBAO_DATABASE_URL": url})
    by_id = {p["id"]: p for p in portals}
    assert code == 0
    assert (by_id["nxzw"]["last_run"], by_id["nxzw"]["reports"]) == ("1 open failures", 1)
    assert by_id["yinchuan"]["last_run"] == "unreachable"
    assert by_id["wuzhong"]["last_run"] == "ok" and by_id["wuzhong"]["last_run_at"] is not None
    assert by_id["shizuishan"]["last_run"] == "never run" and by_id["shizuishan"]["last_run_at"] is None


def test_an_invalid_spec_is_listed_with_its_error(tmp_path: Path) -> None:
    portals_dir = tmp_path / "portals"
    portals_dir.mkdir()
    shutil.copy(DEFAULT_PORTALS_DIR / "nxzw.yaml", portals_dir / "nxzw.yaml")
    (portals_dir / "broken.yaml").write_text("name: x\nlevel: city\n", encoding="utf-8")
    code, portals = portal_list({"NIANBAO_DATA_DIR": str(tmp_path), "NIANBAO_PORTALS_DIR": str(portals_dir)})
    assert code == 1
    assert [p["id"] for p in portals] == ["broken", "nxzw"]
    assert "broken.yaml" in portals[0]["error"] and portals[1]["error"] is None
