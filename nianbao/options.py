"""Option parsing shared by CLI commands."""

from __future__ import annotations

import re

from nianbao.errors import SetupError, UsageError

_RANGE = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*$")


def parse_years(text: str) -> list[int]:
    """'2023' -> [2023]; '2019-2024' -> [2019, ..., 2024]; '2021,2023' -> [2021, 2023]."""
    years: list[int] = []
    for part in text.split(","):
        match = _RANGE.match(part)
        if not match:
            raise UsageError(f"--years: not a year or a range of years: {part!r} (use 2023 or 2019-2024)")
        first, last = int(match[1]), int(match[2] or match[1])
        if first > last:
            raise UsageError(f"--years: empty range {part!r}: {first} is after {last}")
        years += range(first, last + 1)
    return sorted(set(years))


def portal_base_urls(portals: list[str] | None, base_url: str | None) -> dict[str, str] | None:
    """Check the portal ids against their specs, before any run starts; map `--base-url` to its portal.

    `--base-url` re-points one portal (at the replica); with no portal named it would be
    ignored and every real portal crawled, so that is refused. An unknown or invalid spec
    raises SpecError (one line, exit 2); with no portal named, every spec is checked and an
    empty portals directory is refused (a run over no portal would succeed at nothing).
    """
    from nianbao.config import Settings
    from scrapers.spec import load_all, load_portal

    if base_url is not None and len(portals or []) != 1:
        raise UsageError(f"--base-url needs exactly one --portal (it re-points that portal); got {len(portals or [])}")
    portals_dir = Settings.from_env().portals_dir
    if not portals:
        if not load_all(portals_dir):
            raise SetupError(f"no portal specs (*.yaml) in {portals_dir}: set NIANBAO_PORTALS_DIR")
        return None
    for portal in portals:
        load_portal(portal, portals_dir, base_url=base_url)
    return {portals[0]: base_url} if base_url is not None else None
