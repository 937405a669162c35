"""A fixed run of the mutation fuzzer (tests/parsers/fuzz.py): damaged documents of every format
get a status and a message, never a crash, an exception or a hang. Before this session's fixes
the same run met pdfminer's complaints about damaged objects as parser crashes."""

from __future__ import annotations

import random

import pytest

from tests.parsers.fuzz import Finding, documents, run

pytestmark = pytest.mark.slow
MUTANTS = 400


def test_damaged_documents_of_every_format_are_answered_never_crashed() -> None:
    statuses: list[str] = []
    findings: list[Finding] = []
    for item in run(random.Random(20261201), documents(), lambda count: count < MUTANTS, slow_s=60.0):
        if isinstance(item, str):
            statuses.append(item)
        else:
            findings.append(item)
    assert [(f.what, f.name, f.mutation, f.detail) for f in findings] == []
    assert len(statuses) == MUTANTS
    # The run meets the failure modes as well as readable damage: errors, and reports still read.
    assert {"error", "ok"} <= set(statuses) and {"partial", "not_a_report"} & set(statuses)
