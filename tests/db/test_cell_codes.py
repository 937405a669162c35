"""Cell keys are stored by number: the numbering never changes under a stored database."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from db.cell_codes import CELL_KEYS, apply, decode, decode_cells, diff, encode
from parsers.keys import ALL_KEYS

# The first 226 numbers as released with migration 0005. Appending keys leaves this digest as it is;
# renumbering a key would make every stored report read another key's value.
RELEASED = 226
RELEASED_DIGEST = "38d83abef98dfb432bc4ba3dce7456732636bf034d7f1b3e2ce4e7bc7c0507c7"


def test_numbers_of_released_keys_never_change() -> None:
    assert len(CELL_KEYS) >= RELEASED and len(set(CELL_KEYS)) == len(CELL_KEYS)
    assert hashlib.sha256("\n".join(CELL_KEYS[:RELEASED]).encode()).hexdigest() == RELEASED_DIGEST


def test_every_parser_key_has_a_number() -> None:
    """A key the parsers gained goes at the end of CELL_KEYS (else it is stored under its long name)."""
    assert sorted(ALL_KEYS - set(CELL_KEYS)) == []


def test_cells_read_back_as_written_and_unknown_keys_by_name() -> None:
    cells = {"applications.new.total": Decimal(12), "proactive.fees.amount_10k_cny": Decimal("3.25"),
             "legacy.custom_row": Decimal("-1")}  # fmt: skip
    stored = encode(cells)
    assert "legacy.custom_row" in stored and all(k.isdigit() for k in stored if k != "legacy.custom_row")
    assert decode_cells(stored) == cells


def test_an_alternate_is_its_difference_from_the_current_cells() -> None:
    current = {"a.x": Decimal(1), "a.y": Decimal(2), "a.z": Decimal(3)}
    other = {"a.x": Decimal(1), "a.y": Decimal(5), "a.w": Decimal(7)}
    changes = diff(other, current)
    assert changes == {"a.y": Decimal(5), "a.w": Decimal(7), "a.z": None}
    assert apply(current, decode(encode(changes))) == other
