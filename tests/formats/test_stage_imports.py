"""The stage rule of docs/architecture.md: scrapers/ and parsers/ never import each other, and the
rules both need live in formats/, which imports no stage."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STAGES = ("scrapers", "parsers", "db", "flows", "nianbao", "replica", "reportgen")
FORBIDDEN = {"scrapers": {"parsers"}, "parsers": {"scrapers"}, "formats": set(STAGES)}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_stage_imports_a_stage_it_must_not(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package}/ has no modules"
    offenders = {str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[package]) for path in files}
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_old_homes_of_the_shared_rules_are_gone() -> None:
    old = ["scrapers/decode.py", "scrapers/sniff.py", "parsers/html/decode.py", "parsers/html/container.py"]
    assert [path for path in old if (ROOT / path).exists()] == []
