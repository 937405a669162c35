"""Option parsing shared by CLI commands."""

from __future__ import annotations

import re

import typer

_RANGE = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*$")


def parse_years(text: str) -> list[int]:
    """'2023' -> [2023]; '2019-2024' -> [2019, ..., 2024]; '2021,2023' -> [2021, 2023]."""
    years: list[int] = []
    for part in text.split(","):
        match = _RANGE.match(part)
        if not match:
            raise typer.BadParameter(f"not a year or a range of years: {part!r} (use 2023 or 2019-2024)")
        first, last = int(match[1]), int(match[2] or match[1])
        if first > last:
            raise typer.BadParameter(f"empty range {part!r}: {first} is after {last}")
        years += range(first, last + 1)
    return sorted(set(years))
