"""Cell keys as the database stores them: a small number per key, not its 40-character name.

A report's cells are stored as one JSON object per version ({"17": "3", ...}); spelling out
every key there would make the key names most of the database. The number of a key is its
position in CELL_KEYS, so the tuple is append-only: a key added to parsers/keys.py goes at
the end (tests/db/test_cell_codes.py says so), and reordering it would misread every stored
report. A key missing here is stored under its own name, which is never all digits, so an
old database and a newer parser never misread each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Final

CELL_KEYS: Final[tuple[str, ...]] = (
    "proactive.rules.issued",
    "proactive.rules.repealed",
    "proactive.rules.in_force",
    "proactive.normative_documents.issued",
    "proactive.normative_documents.repealed",
    "proactive.normative_documents.in_force",
    "proactive.licensing.decisions",
    "proactive.penalties.decisions",
    "proactive.coercive_measures.decisions",
    "proactive.fees.amount_10k_cny",
    "applications.new.natural_person",
    "applications.new.commercial",
    "applications.new.research",
    "applications.new.nonprofit",
    "applications.new.legal_services",
    "applications.new.other_org",
    "applications.new.total",
    "applications.carried_over.natural_person",
    "applications.carried_over.commercial",
    "applications.carried_over.research",
    "applications.carried_over.nonprofit",
    "applications.carried_over.legal_services",
    "applications.carried_over.other_org",
    "applications.carried_over.total",
    "applications.granted.natural_person",
    "applications.granted.commercial",
    "applications.granted.research",
    "applications.granted.nonprofit",
    "applications.granted.legal_services",
    "applications.granted.other_org",
    "applications.granted.total",
    "applications.partly_granted.natural_person",
    "applications.partly_granted.commercial",
    "applications.partly_granted.research",
    "applications.partly_granted.nonprofit",
    "applications.partly_granted.legal_services",
    "applications.partly_granted.other_org",
    "applications.partly_granted.total",
    "applications.denied_state_secret.natural_person",
    "applications.denied_state_secret.commercial",
    "applications.denied_state_secret.research",
    "applications.denied_state_secret.nonprofit",
    "applications.denied_state_secret.legal_services",
    "applications.denied_state_secret.other_org",
    "applications.denied_state_secret.total",
    "applications.denied_prohibited.natural_person",
    "applications.denied_prohibited.commercial",
    "applications.denied_prohibited.research",
    "applications.denied_prohibited.nonprofit",
    "applications.denied_prohibited.legal_services",
    "applications.denied_prohibited.other_org",
    "applications.denied_prohibited.total",
    "applications.denied_security.natural_person",
    "applications.denied_security.commercial",
    "applications.denied_security.research",
    "applications.denied_security.nonprofit",
    "applications.denied_security.legal_services",
    "applications.denied_security.other_org",
    "applications.denied_security.total",
    "applications.denied_third_party.natural_person",
    "applications.denied_third_party.commercial",
    "applications.denied_third_party.research",
    "applications.denied_third_party.nonprofit",
    "applications.denied_third_party.legal_services",
    "applications.denied_third_party.other_org",
    "applications.denied_third_party.total",
    "applications.denied_internal.natural_person",
    "applications.denied_internal.commercial",
    "applications.denied_internal.research",
    "applications.denied_internal.nonprofit",
    "applications.denied_internal.legal_services",
    "applications.denied_internal.other_org",
    "applications.denied_internal.total",
    "applications.denied_process.natural_person",
    "applications.denied_process.commercial",
    "applications.denied_process.research",
    "applications.denied_process.nonprofit",
    "applications.denied_process.legal_services",
    "applications.denied_process.other_org",
    "applications.denied_process.total",
    "applications.denied_enforcement_file.natural_person",
    "applications.denied_enforcement_file.commercial",
    "applications.denied_enforcement_file.research",
    "applications.denied_enforcement_file.nonprofit",
    "applications.denied_enforcement_file.legal_services",
    "applications.denied_enforcement_file.other_org",
    "applications.denied_enforcement_file.total",
    "applications.denied_inquiry.natural_person",
    "applications.denied_inquiry.commercial",
    "applications.denied_inquiry.research",
    "applications.denied_inquiry.nonprofit",
    "applications.denied_inquiry.legal_services",
    "applications.denied_inquiry.other_org",
    "applications.denied_inquiry.total",
    "applications.unavailable_not_held.natural_person",
    "applications.unavailable_not_held.commercial",
    "applications.unavailable_not_held.research",
    "applications.unavailable_not_held.nonprofit",
    "applications.unavailable_not_held.legal_services",
    "applications.unavailable_not_held.other_org",
    "applications.unavailable_not_held.total",
    "applications.unavailable_needs_creation.natural_person",
    "applications.unavailable_needs_creation.commercial",
    "applications.unavailable_needs_creation.research",
    "applications.unavailable_needs_creation.nonprofit",
    "applications.unavailable_needs_creation.legal_services",
    "applications.unavailable_needs_creation.other_org",
    "applications.unavailable_needs_creation.total",
    "applications.unavailable_unclear.natural_person",
    "applications.unavailable_unclear.commercial",
    "applications.unavailable_unclear.research",
    "applications.unavailable_unclear.nonprofit",
    "applications.unavailable_unclear.legal_services",
    "applications.unavailable_unclear.other_org",
    "applications.unavailable_unclear.total",
    "applications.unprocessed_petition.natural_person",
    "applications.unprocessed_petition.commercial",
    "applications.unprocessed_petition.research",
    "applications.unprocessed_petition.nonprofit",
    "applications.unprocessed_petition.legal_services",
    "applications.unprocessed_petition.other_org",
    "applications.unprocessed_petition.total",
    "applications.unprocessed_repeat.natural_person",
    "applications.unprocessed_repeat.commercial",
    "applications.unprocessed_repeat.research",
    "applications.unprocessed_repeat.nonprofit",
    "applications.unprocessed_repeat.legal_services",
    "applications.unprocessed_repeat.other_org",
    "applications.unprocessed_repeat.total",
    "applications.unprocessed_publication.natural_person",
    "applications.unprocessed_publication.commercial",
    "applications.unprocessed_publication.research",
    "applications.unprocessed_publication.nonprofit",
    "applications.unprocessed_publication.legal_services",
    "applications.unprocessed_publication.other_org",
    "applications.unprocessed_publication.total",
    "applications.unprocessed_excessive.natural_person",
    "applications.unprocessed_excessive.commercial",
    "applications.unprocessed_excessive.research",
    "applications.unprocessed_excessive.nonprofit",
    "applications.unprocessed_excessive.legal_services",
    "applications.unprocessed_excessive.other_org",
    "applications.unprocessed_excessive.total",
    "applications.unprocessed_confirmation.natural_person",
    "applications.unprocessed_confirmation.commercial",
    "applications.unprocessed_confirmation.research",
    "applications.unprocessed_confirmation.nonprofit",
    "applications.unprocessed_confirmation.legal_services",
    "applications.unprocessed_confirmation.other_org",
    "applications.unprocessed_confirmation.total",
    "applications.other_no_correction.natural_person",
    "applications.other_no_correction.commercial",
    "applications.other_no_correction.research",
    "applications.other_no_correction.nonprofit",
    "applications.other_no_correction.legal_services",
    "applications.other_no_correction.other_org",
    "applications.other_no_correction.total",
    "applications.other_fee_unpaid.natural_person",
    "applications.other_fee_unpaid.commercial",
    "applications.other_fee_unpaid.research",
    "applications.other_fee_unpaid.nonprofit",
    "applications.other_fee_unpaid.legal_services",
    "applications.other_fee_unpaid.other_org",
    "applications.other_fee_unpaid.total",
    "applications.other_misc.natural_person",
    "applications.other_misc.commercial",
    "applications.other_misc.research",
    "applications.other_misc.nonprofit",
    "applications.other_misc.legal_services",
    "applications.other_misc.other_org",
    "applications.other_misc.total",
    "applications.results_total.natural_person",
    "applications.results_total.commercial",
    "applications.results_total.research",
    "applications.results_total.nonprofit",
    "applications.results_total.legal_services",
    "applications.results_total.other_org",
    "applications.results_total.total",
    "applications.carried_forward.natural_person",
    "applications.carried_forward.commercial",
    "applications.carried_forward.research",
    "applications.carried_forward.nonprofit",
    "applications.carried_forward.legal_services",
    "applications.carried_forward.other_org",
    "applications.carried_forward.total",
    "review_litigation.review.upheld",
    "review_litigation.review.corrected",
    "review_litigation.review.other",
    "review_litigation.review.pending",
    "review_litigation.review.total",
    "review_litigation.suit_direct.upheld",
    "review_litigation.suit_direct.corrected",
    "review_litigation.suit_direct.other",
    "review_litigation.suit_direct.pending",
    "review_litigation.suit_direct.total",
    "review_litigation.suit_after_review.upheld",
    "review_litigation.suit_after_review.corrected",
    "review_litigation.suit_after_review.other",
    "review_litigation.suit_after_review.pending",
    "review_litigation.suit_after_review.total",
    "proactive.rules.newly_made",
    "proactive.rules.newly_published",
    "proactive.rules.total_published",
    "proactive.normative_documents.newly_made",
    "proactive.normative_documents.newly_published",
    "proactive.normative_documents.total_published",
    "proactive.licensing.prior_year_items",
    "proactive.licensing.change",
    "proactive.other_admin_services.prior_year_items",
    "proactive.other_admin_services.change",
    "proactive.other_admin_services.decisions",
    "proactive.penalties.prior_year_items",
    "proactive.penalties.change",
    "proactive.coercive_measures.prior_year_items",
    "proactive.coercive_measures.change",
    "proactive.fees.prior_year_items",
    "proactive.fees.change",
    "proactive.procurement.items",
    "proactive.procurement.amount",
    "applications.other_handling.natural_person",
    "applications.other_handling.commercial",
    "applications.other_handling.research",
    "applications.other_handling.nonprofit",
    "applications.other_handling.legal_services",
    "applications.other_handling.other_org",
    "applications.other_handling.total",
)
_CODES: Final = {key: str(number) for number, key in enumerate(CELL_KEYS)}

# What a cell can hold: the numbers exports write as decimal128(20, 4), below 10^16 with four
# decimals (a larger value is a value_out_of_range finding, not a cell).
CELL_LIMIT: Final = Decimal(10) ** 16
_SCALE: Final = Decimal("0.0001")

Cells = dict[str, Decimal]
Diff = dict[str, Decimal | None]  # None: a cell the other side lacks


def cell_value(value: Decimal) -> Decimal:
    """A cell as stored: four decimals at most, no trailing zeros (12, 3.25, never 12.0000)."""
    return value.quantize(_SCALE).normalize()


def encode(cells: Mapping[str, Decimal | None]) -> dict[str, str | None]:
    """Cells as stored: key numbers to number texts (None marks a cell an alternate lacks)."""
    return {_CODES.get(key, key): None if value is None else cell_text(value) for key, value in sorted(cells.items())}


def decode(stored: Mapping[str, str | None] | None) -> Diff:
    """Stored cells back under their keys, as numbers."""
    return {_key(code): None if text is None else Decimal(text) for code, text in (stored or {}).items()}


def decode_cells(stored: Mapping[str, str | None] | None) -> Cells:
    """A version's cells by key, in key order."""
    return {key: value for key, value in sorted(decode(stored).items()) if value is not None}


def diff(cells: Mapping[str, Decimal], base: Mapping[str, Decimal]) -> Diff:
    """What `cells` changes of `base`: the cells it has otherwise, None for those it lacks."""
    changed: Diff = {k: v for k, v in cells.items() if base.get(k) != v}
    return changed | {k: None for k in base if k not in cells}


def apply(base: Mapping[str, Decimal], changes: Mapping[str, Decimal | None]) -> Cells:
    """`base` with `changes` made: the inverse of diff."""
    out = dict(base)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def cell_text(value: Decimal) -> str:
    """A stored number as text: 12, 3.25, -0.5."""
    return format(value, "f")


def _key(code: str) -> str:
    return CELL_KEYS[int(code)] if code.isdigit() else code
