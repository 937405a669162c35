"""`nianbao failures` lists what the next run will retry, with a meaningful exit code."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from db.database import Database
from db.documents import ensure_portal
from db.failures import record_failure
from nianbao.cli import app
from nianbao.config import Settings


def test_failures_command_lists_open_failures(data_dir: Path) -> None:
    database = Database(Settings.from_env().database_url)
    database.upgrade()
    assert CliRunner().invoke(app, ["failures"]).exit_code == 0
    with database.transaction() as session:
        ensure_portal(session, "nxzw", "中卫市人民政府", "https://www.nxzw.gov.cn", "640500")
        record_failure(session, "nxzw", "https://www.nxzw.gov.cn/a.pdf", "fetch", "failed: HTTP 503")
    database.dispose()
    result = CliRunner().invoke(app, ["failures", "--portal", "nxzw"])
    assert result.exit_code == 1
    assert "fetch\tnxzw\t1 attempts\thttps://www.nxzw.gov.cn/a.pdf\tfailed: HTTP 503" in result.output
