"""The benchmark/replica corpus: reproducible and varied."""

from __future__ import annotations

import pytest

from reportgen.corpus import corpus
from reportgen.truth import AGENCIES

from .conftest import rule_outcomes


@pytest.fixture(scope="module")
def big() -> list:
    return corpus(2024, 150)


def test_same_seed_same_corpus() -> None:
    assert corpus(3, 20) == corpus(3, 20)
    assert corpus(3, 20) != corpus(4, 20)


def test_pairs_are_unique_and_years_in_range(big: list) -> None:
    pairs = [(t.agency, t.year) for t in big]
    assert len(set(pairs)) == len(pairs) == 150
    assert all(2019 <= t.year <= 2025 for t in big)
    assert len({t.agency for t in big}) >= 20


def test_corpus_is_varied(big: list) -> None:
    generations = [t.generation for t in big]
    assert {"2019", "2021"} <= set(generations)
    broken = [t for t in big if t.broken_rules]
    assert 0.1 <= len(broken) / len(big) <= 0.3
    assert len({r for t in broken for r in t.broken_rules}) == 4
    assert any(t.mixed_other_handling for t in big)
    assert any(len(t.cells) < 150 for t in big if t.generation == "2021")  # some blanks


def test_corpus_truths_honour_their_rule_outcomes(big: list) -> None:
    for truth in big:
        assert rule_outcomes(truth.cells) == truth.expected_checks()


def test_years_argument_is_respected() -> None:
    assert {t.year for t in corpus(1, 10, years=range(2021, 2022))} == {2021}


def test_impossible_size_is_a_clear_error() -> None:
    with pytest.raises(ValueError):
        corpus(1, len(AGENCIES) + 1, years=range(2023, 2024))
    with pytest.raises(ValueError):
        corpus(1, -1)
