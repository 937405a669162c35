"""constraints.txt pins every package an install of nianbao pulls in, within pyproject.toml's ranges.

`make test` / `make demo` install with `pip install -c constraints.txt`. A dependency added to
pyproject.toml without `make lock` would install unpinned (a constraint only narrows what is
asked for), and a range tightened without it would make the install fail: both are caught here,
not on a fresh machine.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]


def pins() -> dict[str, str]:
    lines = (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines()
    entries = [line.split("==", 1) for line in lines if line.strip() and not line.startswith("#")]
    assert all(len(entry) == 2 for entry in entries), "constraints.txt holds only name==version lines"
    return {canonicalize_name(name): version.strip() for name, version in entries}


def declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(text) for text in [*project["dependencies"], *project["optional-dependencies"]["test"]]]


def installed_closure(roots: list[Requirement]) -> dict[str, Requirement]:
    """Every requirement reached from `roots` through the installed packages' metadata, by name."""
    seen: dict[str, Requirement] = {}
    todo = [(req, frozenset[str]()) for req in roots]
    while todo:
        req, parent_extras = todo.pop()
        if req.marker and not any(req.marker.evaluate({"extra": e}) for e in parent_extras or {""}):
            continue
        name = canonicalize_name(req.name)
        if name in seen and req.extras <= seen[name].extras:
            continue
        seen[name] = req
        todo += [(Requirement(text), frozenset(req.extras)) for text in metadata.requires(req.name) or []]
    return seen


def test_direct_dependencies_are_pinned_within_their_ranges() -> None:
    pinned = pins()
    for req in declared():
        version = pinned.get(canonicalize_name(req.name))
        assert version, f"{req.name} is in pyproject.toml but not in constraints.txt: run `make lock`"
        assert req.specifier.contains(version, prereleases=True), (
            f"constraints.txt pins {req.name}=={version}, outside pyproject.toml's {req}: run `make lock`"
        )


def test_every_installed_dependency_is_pinned() -> None:
    pinned = pins()
    closure = installed_closure(declared())
    missing = sorted(name for name in closure if name not in pinned)
    assert not missing, f"installed but not pinned in constraints.txt (run `make lock`): {missing}"
    for name, req in closure.items():
        assert metadata.version(req.name) == pinned[name], (
            f"{req.name} {metadata.version(req.name)} is installed, constraints.txt pins {pinned[name]}: "
            "reinstall with `make` (the install stamp depends on constraints.txt)"
        )
