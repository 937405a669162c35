"""`nianbao parse`: summaries, JSON lines, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from nianbao.cli import app

SEEDS = sorted((Path(__file__).parents[1] / "fixtures" / "seeds").glob("*.txt"))
runner = CliRunner()


def test_json_lines_for_every_seed() -> None:
    result = runner.invoke(app, ["parse", "--json", *map(str, SEEDS)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["path"] for line in lines] == [str(p) for p in SEEDS]
    first = lines[0]
    assert set(first) >= {"path", "status", "error", "agency", "year", "generation", "title", "published_on"}
    assert set(first) >= {"cells", "checks", "warnings", "sections"}
    assert (first["agency"], first["year"], first["published_on"]) == ("中卫市商务局", 2019, "2020-01-15")
    assert first["cells"]["proactive.other_admin_services.decisions"] == 160
    assert {c["rule"] for c in first["checks"]} == {"balance", "row_totals", "results_total", "review_totals"}
    assert [line["status"] for line in lines] == ["partial", "ok", "ok", "partial", "partial"]


def test_summary_and_missing_path_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(SEEDS[1]), str(tmp_path / "missing.pdf")])
    assert result.exit_code == 1
    assert f"{SEEDS[1]}: ok" in result.stdout
    assert "agency: 石嘴山市商务局  year: 2023  generation: 2021" in result.stdout
    assert "missing.pdf: error: cannot read" in result.stdout


def test_hints_from_options() -> None:
    result = runner.invoke(app, ["parse", "--json", "--agency", "安康市商务局", str(SEEDS[2])])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["agency"] == "安康市商务局"


def test_non_report_is_read_not_an_error(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("会议通知：明天开会。", encoding="utf-8")
    result = runner.invoke(app, ["parse", "--json", str(note)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["status"] == "not_a_report"


def test_help_via_the_installed_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nianbao.cli", "parse", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "--json" in done.stdout and "--agency" in done.stdout and "--year" in done.stdout


def test_a_newline_in_a_file_name_keeps_one_line_per_file(tmp_path: Path) -> None:
    odd = tmp_path / "年报\n2023: ok.txt"
    odd.write_bytes(SEEDS[1].read_bytes())
    broken = tmp_path / "坏\r文件.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    result = runner.invoke(app, ["parse", str(odd), str(broken)])
    first, *rest = result.stdout.splitlines()
    assert first == f"{tmp_path}/年报\\n2023: ok.txt: ok"
    assert rest[-1].startswith(f"{tmp_path}/坏\\r文件.pdf: error: ")
    assert all(line.startswith("  ") for line in rest[:-1])
