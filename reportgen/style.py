"""Presentation choices that vary between reports but are fixed for one truth.

Renderers must be pure functions of the truth, so every variation (thousands
separators, heading spellings, PDF header repetition) is drawn from a random
generator seeded by a hash of the truth's identity, never from global state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from decimal import Decimal

from reportgen.labels import APPLICATIONS_HEADING_2019_ALT, SECTION_HEADINGS
from reportgen.truth import ReportTruth


def variation(truth: ReportTruth, salt: str) -> random.Random:
    """A generator that depends only on the truth's identity and `salt`."""
    seed = f"{salt}|{truth.agency}|{truth.year}|{truth.generation}|{truth.published_on}"
    digest = hashlib.sha256(seed.encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


@dataclass(frozen=True)
class RenderStyle:
    """Per-report presentation choices shared by every format."""

    thousands: bool
    headings: dict[str, str]
    title_on_two_lines: bool
    repeat_table_header: bool
    publish_time: str


def _headings(truth: ReportTruth, rng: random.Random) -> dict[str, str]:
    chosen = {key: rng.choice(variants) for key, variants in SECTION_HEADINGS.items()}
    if truth.generation == "2019" and rng.random() < 0.3:
        chosen["applications"] = APPLICATIONS_HEADING_2019_ALT
    return chosen


def style_of(truth: ReportTruth) -> RenderStyle:
    """The presentation of one truth, identical on every call."""
    rng = variation(truth, "style")
    return RenderStyle(
        thousands=rng.random() < 0.6,
        headings=_headings(truth, rng),
        title_on_two_lines=rng.random() < 0.4,
        repeat_table_header=rng.random() < 0.5,
        publish_time=f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}",
    )


def format_value(value: int | Decimal | None, *, thousands: bool) -> str:
    """A cell as printed: '' when blank, '1,234' with separators when asked."""
    if value is None:
        return ""
    spec = ",f" if thousands else "f"
    if isinstance(value, Decimal):
        return format(value, spec)
    return format(value, "," if thousands else "d")


def chinese_date(day: dt.date) -> str:
    """2024年1月25日 style, as printed under the signature."""
    return f"{day.year}年{day.month}月{day.day}日"
