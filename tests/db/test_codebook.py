"""The codebook covers every canonical key, and the checked-in copies are its current output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from db.codebook import NOT_COMPARABLE, by_key, entries, render
from nianbao.cli import app
from parsers.keys import ALL_KEYS

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_canonical_key_once() -> None:
    keys = [e.key for e in entries()]
    assert len(keys) == len(set(keys))
    assert set(keys) == ALL_KEYS


@pytest.mark.parametrize(("fmt", "name"), [("md", "codebook.md"), ("csv", "codebook.csv")])
def test_checked_in_codebook_is_current(fmt: str, name: str) -> None:
    checked_in = (DOCS / name).read_text(encoding="utf-8")
    assert checked_in == render(fmt), f"docs/{name} is stale: run `nianbao codebook --format {fmt} --out docs/{name}`"


def test_labels_units_and_comparability() -> None:
    book = by_key()
    fees = book["proactive.fees.amount_10k_cny"]
    assert (fees.row_label, fees.column_label, fees.type, fees.unit) == ("行政事业性收费", "本年收费金额（单位：万元）",
                                                                         "decimal", "万元")  # fmt: skip
    assert fees.generations == "2021" and fees.comparable == NOT_COMPARABLE
    new = book["applications.new.total"]
    assert (new.row_label, new.column_label, new.unit) == ("一、本年新收政府信息公开申请数量", "总计", "件")
    assert new.comparable == "applications.new.total" and new.generations == "2021, 2019"
    decisions = book["proactive.licensing.decisions"]
    assert decisions.column_label == "本年处理决定数量（2021） / 处理决定数量（2019）"
    assert book["proactive.rules.newly_made"].comparable == NOT_COMPARABLE
    assert book["applications.other_handling.total"].comparable.startswith(NOT_COMPARABLE)
    secret = book["applications.denied_state_secret.commercial"]
    assert (secret.row_group, secret.row_label) == ("三、本年度办理结果 （三）不予公开", "1.属于国家秘密")
    suit = book["review_litigation.suit_direct.upheld"]
    assert (suit.column_group, suit.column_label) == ("行政诉讼 未经复议直接起诉", "结果维持")


def test_codebook_command_formats() -> None:
    runner = CliRunner()
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["codebook", "--format", "csv"]).stdout)))
    assert len(rows) == len(ALL_KEYS)
    parsed = json.loads(runner.invoke(app, ["codebook", "--format", "json"]).stdout)
    assert {r["key"] for r in parsed} == ALL_KEYS
    bad = runner.invoke(app, ["codebook", "--format", "xml"])
    assert bad.exit_code == 2 and "unknown --format 'xml'" in bad.stderr
