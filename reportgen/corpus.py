"""A reproducible, varied set of report truths for the benchmark and the replica portal."""

from __future__ import annotations

import itertools
import random

from reportgen.rules import RULES
from reportgen.truth import AGENCIES, ReportTruth, TruthOptions, generation_for_year, random_truth

BROKEN_SHARE = 0.2
BLANK_SHARE = 0.25
MIXED_SHARE = 0.15
# Some agencies keep printing the 2019 template after 2021.
OUTDATED_TEMPLATE_SHARE = 0.05


def _generation(rng: random.Random, year: int) -> str:
    """The template of one corpus member: its year's, or now and then the outdated one."""
    generation = generation_for_year(year)
    if generation == "2021" and rng.random() < OUTDATED_TEMPLATE_SHARE:
        generation = "2019"
    return generation


def _options(rng: random.Random, generation: str) -> TruthOptions:
    """The other knobs of one corpus member, drawn after its template: broken rule, blanks, mixed layout."""
    return {
        "break_rule": rng.choice(RULES) if rng.random() < BROKEN_SHARE else None,
        "blank_cells": rng.random() < BLANK_SHARE,
        "mixed_other_handling": generation == "2021" and rng.random() < MIXED_SHARE,
    }


def corpus(seed: int, n: int, *, years: range = range(2019, 2026)) -> list[ReportTruth]:
    """`n` truths with unique (agency, year) pairs; the same seed gives the same list."""
    pairs = list(itertools.product(AGENCIES, years))
    if not 0 <= n <= len(pairs):
        raise ValueError(f"n must be between 0 and {len(pairs)} for {len(years)} years, not {n}")
    rng = random.Random(seed)
    chosen = rng.sample(pairs, n)
    truths = []
    for index, (agency, year) in enumerate(chosen):
        member = random.Random(f"{seed}:{index}:{agency}:{year}")
        generation = _generation(member, year)
        options = _options(member, generation)
        truths.append(random_truth(member, agency=agency, year=year, generation=generation, **options))
    return truths
