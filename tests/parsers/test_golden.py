"""The parser reads the golden documents exactly as checked in, and the version says so.

When one of these fails because the parser's output changed on purpose, run `make golden`
and commit the rewritten tests/fixtures/golden/*.json with parsers/version.py: that
changes PARSER_VERSION, so every stored document is read again by the new parser.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers.version import GOLDEN_DIGEST, PARSER_VERSION
from tests.parsers.golden import GOLDEN, canonical, digest, documents, output_path, parse

REGENERATE = "the parser's output changed: run `make golden` and commit the golden files with parsers/version.py"


@pytest.mark.parametrize("document", documents(), ids=lambda p: p.name)
def test_the_parser_reads_each_golden_document_as_checked_in(document: Path) -> None:
    expected = output_path(document)
    assert expected.exists(), f"no golden output for {document.name}: {REGENERATE}"
    assert canonical(parse(document)) == expected.read_text(encoding="utf-8"), f"{document.name}: {REGENERATE}"


def test_every_golden_output_has_its_document() -> None:
    stale = {p.name for p in GOLDEN.glob("*.json")} - {output_path(d).name for d in documents()}
    assert not stale, f"golden outputs without a document: {sorted(stale)}; {REGENERATE}"


def test_the_parser_version_is_derived_from_the_golden_outputs() -> None:
    actual = digest(list(GOLDEN.glob("*.json")))
    assert actual == GOLDEN_DIGEST, f"golden files edited without a new GOLDEN_DIGEST: {REGENERATE}"
    assert PARSER_VERSION.endswith(f"+{actual[:12]}")


def test_the_golden_set_covers_every_reader_and_status() -> None:
    # A golden set that lost a format or a failure mode would stop guarding it.
    assert {d.suffix for d in documents()} == {".txt", ".pdf", ".html", ".docx", ".ofd"}
    statuses = {json.loads(p.read_text(encoding="utf-8"))["status"] for p in GOLDEN.glob("*.json")}
    assert {"ok", "partial", "needs_ocr", "error"} <= statuses
