"""ReportTruth and random_truth: plausible values, exact rule outcomes, valid keys."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.keys import SECTION_KEYS, application_keys, is_decimal_key, proactive_keys, review_keys, template_keys
from reportgen.truth import AGENCIES, ReportTruth, random_truth

from .conftest import rule_outcomes

RULE_NAMES = ("balance", "row_totals", "results_total", "review_totals")


def _valid_keys(truth: ReportTruth) -> set[str]:
    apps = application_keys("2019" if truth.mixed_other_handling else truth.generation)
    return {*proactive_keys(truth.generation), *apps, *review_keys()}


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    year=st.integers(2019, 2025),
    rule=st.sampled_from((None, *RULE_NAMES)),
    blank=st.booleans(),
)
def test_rules_hold_except_the_broken_one(seed: int, year: int, rule: str | None, blank: bool) -> None:
    truth = random_truth(random.Random(seed), year=year, break_rule=rule, blank_cells=blank)
    outcomes = rule_outcomes(truth.cells)
    assert outcomes == {name: name != rule for name in RULE_NAMES}
    assert truth.expected_checks() == outcomes
    assert truth.broken_rules == (frozenset({rule}) if rule else frozenset())


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32), year=st.integers(2019, 2025), mixed=st.booleans())
def test_keys_are_the_generation_template(seed: int, year: int, mixed: bool) -> None:
    mixed = mixed and year >= 2021
    truth = random_truth(random.Random(seed), year=year, mixed_other_handling=mixed)
    assert set(truth.cells) == _valid_keys(truth)
    if not mixed:
        assert tuple(truth.cells) == template_keys(truth.generation)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32), year=st.integers(2019, 2025))
def test_value_types_and_signs(seed: int, year: int) -> None:
    truth = random_truth(random.Random(seed), year=year, blank_cells=True)
    assert set(truth.cells) <= _valid_keys(truth)
    for key, value in truth.cells.items():
        if is_decimal_key(key):
            assert isinstance(value, Decimal) and value >= 0
            exponent = value.as_tuple().exponent
            assert isinstance(exponent, int) and -exponent <= 4
        else:
            assert type(value) is int
            assert value >= 0 or key.endswith(".change"), key


def test_blank_cells_are_only_former_zeros() -> None:
    full = random_truth(random.Random(11), year=2022)
    blanked = random_truth(random.Random(11), year=2022, blank_cells=True)
    missing = set(full.cells) - set(blanked.cells)
    assert missing, "blank_cells should leave some cells out"
    assert all(full.cells[k] == 0 for k in missing)
    assert all(blanked.cells[k] == full.cells[k] for k in blanked.cells)


def test_generation_defaults_from_year() -> None:
    rng = random.Random(1)
    assert random_truth(rng, year=2019).generation == "2019"
    assert random_truth(rng, year=2020).generation == "2019"
    assert random_truth(rng, year=2021).generation == "2021"
    assert random_truth(rng, year=2025).generation == "2021"
    assert random_truth(rng, year=2022, generation="2019").generation == "2019"


def test_metadata_is_consistent() -> None:
    truth = random_truth(random.Random(5), year=2023, agency="中卫市财政局")
    assert truth.title == "中卫市财政局2023年政府信息公开工作年度报告"
    assert truth.published_on.year == 2024 and truth.published_on.month == 1
    assert 15 <= truth.published_on.day <= 29
    assert truth.region is not None and "中卫市" in truth.region
    assert set(truth.sections) == set(SECTION_KEYS)
    assert truth.sections["overview"].startswith("2023年")


def test_mixed_other_handling_uses_the_single_row() -> None:
    truth = random_truth(random.Random(2), year=2023, mixed_other_handling=True)
    assert truth.generation == "2021" and truth.mixed_other_handling
    assert "applications.other_handling.total" in truth.cells
    assert not any(k.startswith("applications.other_misc.") for k in truth.cells)
    assert "proactive.rules.issued" in truth.cells


def test_scales_vary_across_reports() -> None:
    rng = random.Random(42)
    totals = [int(random_truth(rng, year=2023).cells["applications.new.total"]) for _ in range(150)]
    assert totals.count(0) >= 20, "many departments receive no applications"
    assert max(totals) >= 1000, "some bodies receive thousands"


def test_2019_change_can_be_negative() -> None:
    rng = random.Random(3)
    changes = [v for _ in range(80) for k, v in random_truth(rng, year=2019).cells.items() if k.endswith(".change")]
    assert min(changes) < 0


def test_same_seed_same_truth() -> None:
    assert random_truth(random.Random(9), year=2021) == random_truth(random.Random(9), year=2021)


def test_agencies_are_many_and_realistic() -> None:
    assert len(AGENCIES) >= 20 and len(set(AGENCIES)) == len(AGENCIES)
    assert "中卫市财政局" in AGENCIES and "中卫市人民政府办公室" in AGENCIES
    assert any("县" in a for a in AGENCIES)


def test_published_on_is_a_date() -> None:
    assert isinstance(random_truth(random.Random(0)).published_on, dt.date)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"generation": "legacy"},
        {"break_rule": "nonsense"},
        {"year": 2020, "mixed_other_handling": True},
        {"year": 1990},
    ],
)
def test_bad_arguments_raise_value_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        random_truth(random.Random(0), **kwargs)  # type: ignore[arg-type]  # each case sets other keywords, of other types
