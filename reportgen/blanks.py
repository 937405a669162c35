"""Cells that a report leaves blank instead of printing 0.

Real reports often fill only the 总计 column of section 3 (seed 000) or only the last
cell of section 4 (seed 003). Only zero cells are ever blanked, so a blank is still
read as "nothing" and the consistency rules keep their outcome.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Final

from reportgen.values import Cells

Pattern = Callable[[Cells, random.Random], set[str]]


def _zero_keys(cells: Cells, prefix: str) -> list[str]:
    return [key for key, value in cells.items() if key.startswith(prefix) and value == 0]


def only_total_column(cells: Cells, rng: random.Random) -> set[str]:
    """Section 3 prints only the 总计 column where the applicant columns are zero."""
    return {k for k in _zero_keys(cells, "applications.") if not k.endswith(".total")}


def scattered(cells: Cells, rng: random.Random) -> set[str]:
    """Some zero cells of sections 3 and 4 left empty, totals kept."""
    zeros = _zero_keys(cells, "applications.") + _zero_keys(cells, "review_litigation.")
    return {k for k in zeros if not k.endswith(".total") and rng.random() < 0.35}


def only_last_review_cell(cells: Cells, rng: random.Random) -> set[str]:
    """Section 4 prints a single 0 in its last cell."""
    zeros = _zero_keys(cells, "review_litigation.")
    return {k for k in zeros if k != "review_litigation.suit_after_review.total"}


def proactive_zeros(cells: Cells, rng: random.Random) -> set[str]:
    """Section 2 leaves about half of its zeros empty."""
    return {k for k in _zero_keys(cells, "proactive.") if rng.random() < 0.5}


PATTERNS: Final[tuple[Pattern, ...]] = (only_total_column, scattered, only_last_review_cell, proactive_zeros)


def blank_out(cells: Cells, rng: random.Random) -> Cells:
    """Drop the zero cells of one or two blanking patterns, chosen at random."""
    chosen = rng.sample(PATTERNS, k=rng.choice((1, 2)))
    dropped: set[str] = set()
    for pattern in chosen:
        dropped |= pattern(cells, rng)
    return {k: v for k, v in cells.items() if k not in dropped}
