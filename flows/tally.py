"""The words a run's outcomes are spelled with, and how they rank.

A document's outcome is what storing and reading it came to; a report's is the most
significant outcome of the documents that carry it. The upsert's words are db's
(`db.changes.Change`) and the parser's are its statuses: they are reused here, not respelled,
so a stored or logged word means one thing everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from db.changes import Change
from parsers.model import ParseStatus


class Outcome(StrEnum):
    """What one document or report came to in a run, most significant first."""

    FAILED = "failed"  # recorded as a failure and retried next run
    NEW = Change.NEW.value
    REVISED = Change.REVISED.value
    PROMOTED = Change.PROMOTED.value
    REPARSED = Change.REPARSED.value
    ALTERNATE = Change.ALTERNATE.value
    UNCHANGED = Change.UNCHANGED.value
    NOT_COLLECTED = "not_collected"  # robots.txt excludes it
    NOT_A_REPORT = ParseStatus.NOT_A_REPORT.value

    @property
    def changed(self) -> bool:
        """True when the run wrote new numbers or a new version of the report."""
        return self in (Outcome.NEW, Outcome.REVISED, Outcome.PROMOTED, Outcome.REPARSED)

    @property
    def updated(self) -> bool:
        """A report stored before that the run changed (not a new one)."""
        return self in (Outcome.REVISED, Outcome.PROMOTED, Outcome.REPARSED)


def of_change(change: Change) -> Outcome:
    return Outcome(change)  # by value: the same word


def of_unstored_parse(status: ParseStatus) -> Outcome | None:
    """The outcome of a parse that stores no report (unreadable, or not a report); None for the others."""
    if status == ParseStatus.ERROR:
        return Outcome.FAILED
    if status == ParseStatus.NOT_A_REPORT:
        return Outcome.NOT_A_REPORT
    return None


def most_significant(outcomes: Iterable[Outcome]) -> Outcome:
    """The outcome that speaks for them all (a report with no documents read is unchanged)."""
    order = list(Outcome)
    return min(outcomes, key=order.index, default=Outcome.UNCHANGED)
