"""Canonical keys of every table cell: what each means is in docs/codebook.md (`nianbao codebook`).

Every stage speaks of cells by these keys: parser output, database rows, exports
and tests. Keys are built from the tables below, never spelled out by hand elsewhere.
"""

from __future__ import annotations

from typing import Final

GENERATIONS: Final = ("2021", "2019", "legacy")

SECTION_KEYS: Final = (
    "overview",
    "proactive",
    "applications",
    "review_litigation",
    "problems",
    "other",
)

# Section 2, generation 2021: item -> measures.
PROACTIVE_2021: Final[dict[str, tuple[str, ...]]] = {
    "rules": ("issued", "repealed", "in_force"),
    "normative_documents": ("issued", "repealed", "in_force"),
    "licensing": ("decisions",),
    "penalties": ("decisions",),
    "coercive_measures": ("decisions",),
    "fees": ("amount_10k_cny",),
}

# Section 2, generation 2019.
PROACTIVE_2019: Final[dict[str, tuple[str, ...]]] = {
    "rules": ("newly_made", "newly_published", "total_published"),
    "normative_documents": ("newly_made", "newly_published", "total_published"),
    "licensing": ("prior_year_items", "change", "decisions"),
    "other_admin_services": ("prior_year_items", "change", "decisions"),
    "penalties": ("prior_year_items", "change", "decisions"),
    "coercive_measures": ("prior_year_items", "change", "decisions"),
    "fees": ("prior_year_items", "change"),
    "procurement": ("items", "amount"),
}

# Measures whose values are money (decimals); every other cell is an integer.
DECIMAL_MEASURES: Final = frozenset({"amount_10k_cny", "amount"})

APPLICANT_COLUMNS: Final = (
    "natural_person",
    "commercial",
    "research",
    "nonprofit",
    "legal_services",
    "other_org",
)
APPLICATION_COLUMNS: Final = (*APPLICANT_COLUMNS, "total")

# Result rows (三、本年度办理结果) in template order, without the total row.
RESULT_ROWS_COMMON: Final = (
    "granted",
    "partly_granted",
    "denied_state_secret",
    "denied_prohibited",
    "denied_security",
    "denied_third_party",
    "denied_internal",
    "denied_process",
    "denied_enforcement_file",
    "denied_inquiry",
    "unavailable_not_held",
    "unavailable_needs_creation",
    "unavailable_unclear",
    "unprocessed_petition",
    "unprocessed_repeat",
    "unprocessed_publication",
    "unprocessed_excessive",
    "unprocessed_confirmation",
)
OTHER_HANDLING_2019: Final = ("other_handling",)
OTHER_HANDLING_2021: Final = ("other_no_correction", "other_fee_unpaid", "other_misc")

APPLICATION_ROWS: Final = (
    "new",
    "carried_over",
    *RESULT_ROWS_COMMON,
    *OTHER_HANDLING_2019,
    *OTHER_HANDLING_2021,
    "results_total",
    "carried_forward",
)

REVIEW_GROUPS: Final = ("review", "suit_direct", "suit_after_review")
REVIEW_MEASURES: Final = ("upheld", "corrected", "other", "pending", "total")


def proactive_keys(generation: str) -> tuple[str, ...]:
    """Section 2 keys of one template generation, in template order."""
    table = PROACTIVE_2021 if generation == "2021" else PROACTIVE_2019
    return tuple(f"proactive.{item}.{m}" for item, ms in table.items() for m in ms)


def application_keys(generation: str) -> tuple[str, ...]:
    """Section 3 keys; generation 2019 has one (六)其他处理 row, 2021 has three."""
    other = OTHER_HANDLING_2021 if generation == "2021" else OTHER_HANDLING_2019
    rows = ("new", "carried_over", *RESULT_ROWS_COMMON, *other, "results_total", "carried_forward")
    return tuple(f"applications.{r}.{c}" for r in rows for c in APPLICATION_COLUMNS)


def review_keys() -> tuple[str, ...]:
    """Section 4 keys, the same in every generation."""
    return tuple(f"review_litigation.{g}.{m}" for g in REVIEW_GROUPS for m in REVIEW_MEASURES)


def template_keys(generation: str) -> tuple[str, ...]:
    """Every cell key the given generation's template has."""
    return (*proactive_keys(generation), *application_keys(generation), *review_keys())


ALL_KEYS: Final = frozenset(template_keys("2021")) | frozenset(template_keys("2019"))


def is_decimal_key(key: str) -> bool:
    """True when the cell holds money (a decimal) rather than a count."""
    return key.rsplit(".", 1)[-1] in DECIMAL_MEASURES
