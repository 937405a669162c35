"""parsers' ParsedReport meets db's ParsedLike protocol, as mypy sees it.

flows/ hands a ParsedReport to db as a ParsedLike; the configured mypy run checks parsers/
and db/ but not that hand-over, so a protocol the parser's type stopped meeting (a field
made a StrEnum, a dataclass frozen) would go unnoticed. mypy checks it here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

REPO = Path(__file__).resolve().parents[2]

PROBE = """
from db.reports import CheckLike, ParsedLike
from parsers.model import CheckResult, ParsedReport

def as_parsed(report: ParsedReport) -> ParsedLike:
    return report

def as_check(check: CheckResult) -> CheckLike:
    return check
"""


def test_parsed_report_meets_parsed_like(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    monkeypatch.chdir(REPO)  # mypy finds db/ and parsers/ here, and the strict [tool.mypy] of pyproject.toml
    out, err, _ = api.run(["--config-file", str(REPO / "pyproject.toml"), str(probe)])
    assert "error:" in out or "Success" in out, f"mypy did not check the probe: {out}{err}"
    probe_errors = [line for line in out.splitlines() if line.startswith(str(probe))]
    assert probe_errors == [], "\n".join(probe_errors)
