"""Whose report a document is and which year it covers: what it prints, else what the crawler guessed.

The crawler's `Hints` come from listing titles, bylines, breadcrumbs and publication dates
(its year may be the publication year minus one). The document's own title and text are
better evidence, so a hint only fills what print leaves blank, and a hint that disagrees
with print is a warning, never an override. Every caller goes through `fill_from_hints`
(the report reader, the failed-document report) and names a report by `identity_of`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from parsers.model import Hints, ParsedReport


class Described(Protocol):
    """What a parse says about the report (parsers.metadata.Metadata and ParsedReport fit)."""

    title: str | None
    agency: str | None
    year: int | None
    published_on: dt.date | None
    region: str | None
    warnings: list[str]


@dataclass(frozen=True)
class Identity:
    """The key a report is stored under (with its portal): the agency and the year reported on."""

    agency: str
    year: int


def fill_from_hints(described: Described, hints: Hints | None) -> None:
    """Fill what print leaves blank from `hints`, in place; printed values always stay.

    `region` is not filled here: it follows from the agency (parsers.metadata.region_of),
    so the caller derives it after this and falls back to `hints.region` itself.
    """
    if hints is None:
        return
    if hints.year and described.year and hints.year != described.year:
        described.warnings.append(f"hinted year {hints.year} differs from the printed year {described.year}")
    if hints.agency and described.agency and _key(hints.agency) != _key(described.agency):
        described.warnings.append(f"hinted agency {hints.agency} differs from the printed agency {described.agency}")
    described.agency = described.agency or hints.agency
    described.year = described.year or hints.year
    described.title = described.title or hints.title
    described.published_on = described.published_on or hints.published_on


def identity_of(report: ParsedReport) -> Identity | None:
    """The report's agency and year, printed or hinted; None when neither says (it cannot be stored)."""
    if not report.agency or not report.year:
        return None
    return Identity(report.agency, report.year)


def _key(name: str) -> str:
    return "".join(name.split())
