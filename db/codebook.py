"""The codebook: what every canonical cell key means, as the national template prints it.

Built from the two places that already know the template, never written by hand:
parsers/keys.py (which keys each generation has) and reportgen/labels.py (the printed
wording of every row and column, keyed by those same names; the parsers only hold
normalised aliases, not the printed labels). docs/codebook.md and docs/codebook.csv are
this module's output, checked in; tests/db/test_codebook.py fails when they are stale.

Comparability across generations: a key both templates have is the same row and the same
column in both (the keys were named so); every other key is "not comparable", because
where the templates differ they count different things (2019 counts reports newly made
and published, 2021 issued, repealed and in force; 2019 has one 其他处理 row where 2021
has three).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from functools import cache
from typing import Final

from parsers import keys
from reportgen import labels

TEMPLATE_GENERATIONS: Final = ("2021", "2019")  # legacy reports have no fixed table
NOT_COMPARABLE: Final = "not comparable"


@dataclass(frozen=True)
class CodebookEntry:
    """One canonical cell key and what the template prints for it."""

    key: str
    section: str
    table: str
    row_group: str
    row_label: str
    column_group: str
    column_label: str
    generations: str
    type: str
    unit: str
    comparable: str


COLUMNS: Final = tuple(f.name for f in fields(CodebookEntry))
# The six sections' headings as the template prints them, by section key.
SECTION_HEADINGS: Final = {key: headings[0] for key, headings in labels.SECTION_HEADINGS.items()}

_COUNT_UNIT: Final = "件"
_ITEM_UNIT: Final = "项"  # 项目数量: items of a list of services or purchases, not documents
_ITEM_MEASURES: Final = frozenset({"prior_year_items", "change", "items"})
_UNITS: Final = {"amount_10k_cny": "万元", "amount": "not printed by the template"}
_OTHER_HANDLING_NOTE: Final = (
    f"{NOT_COMPARABLE} (2021 splits 2019's (六)其他处理 into other_no_correction, other_fee_unpaid, other_misc)"
)


@cache
def entries() -> tuple[CodebookEntry, ...]:
    """Every canonical key of the 2019 and 2021 templates, section by section in template order."""
    return (*_proactive(), *_applications(), *_review())


def _generations_of(key: str) -> tuple[str, ...]:
    return tuple(g for g in TEMPLATE_GENERATIONS if key in _template_keys(g))


_TEMPLATE_KEYS: dict[str, frozenset[str]] = {}


def _template_keys(generation: str) -> frozenset[str]:
    if generation not in _TEMPLATE_KEYS:
        _TEMPLATE_KEYS[generation] = frozenset(keys.template_keys(generation))
    return _TEMPLATE_KEYS[generation]


def _comparable(key: str, generations: tuple[str, ...]) -> str:
    if len(generations) == len(TEMPLATE_GENERATIONS):
        return key  # the same key, printed as the same row and column by both templates
    row = key.split(".")[1] if key.startswith("applications.") else ""
    if row in (*keys.OTHER_HANDLING_2019, *keys.OTHER_HANDLING_2021):
        return _OTHER_HANDLING_NOTE
    return NOT_COMPARABLE


def _by_generation(label_of: dict[str, str]) -> str:
    """One label, or each generation's where they print it differently."""
    distinct = dict.fromkeys(label_of.values())
    if len(distinct) == 1:
        return next(iter(distinct))
    return " / ".join(f"{label}（{g}）" for g, label in label_of.items())


def _entry(key: str, section: str, row: tuple[str, str], column: tuple[str, str]) -> CodebookEntry:
    generations = _generations_of(key)
    measure = key.rsplit(".", 1)[-1]
    unit = _UNITS.get(measure, _ITEM_UNIT if section == "proactive" and measure in _ITEM_MEASURES else _COUNT_UNIT)
    return CodebookEntry(
        key=key,
        section=section,
        table=labels.SECTION_HEADINGS[section][0],
        row_group=row[0],
        row_label=row[1],
        column_group=column[0],
        column_label=column[1],
        generations=", ".join(generations),
        type="decimal" if keys.is_decimal_key(key) else "integer",
        unit=unit,
        comparable=_comparable(key, generations),
    )


def _proactive() -> Iterator[CodebookEntry]:
    seen: set[str] = set()
    for generation in TEMPLATE_GENERATIONS:
        table = labels.proactive_table(generation)
        for clause, items in labels.proactive_groups(generation):
            for item in items:
                for measure in table[item]:
                    key = f"proactive.{item}.{measure}"
                    if key in seen:
                        continue
                    seen.add(key)
                    gens = _generations_of(key)
                    row = _by_generation({g: labels.proactive_item_label(g, item) for g in gens})
                    column = _by_generation({g: labels.proactive_measure_label(g, measure) for g in gens})
                    yield _entry(key, "proactive", (clause, row), ("", column))


def _application_rows() -> Iterator[tuple[str, str, str]]:
    """(row, group label, row label) of section 3 in template order, both generations' rows."""
    top = labels.APPLICATION_TOP_ROW_LABELS
    yield "new", "", top["new"]
    yield "carried_over", "", top["carried_over"]
    groups = (
        *labels.RESULT_GROUPS_COMMON,
        labels.OTHER_HANDLING_GROUP_2019,
        labels.OTHER_HANDLING_GROUP_2021,
        labels.RESULTS_TOTAL_GROUP,
    )
    for group, rows in groups:
        for row, sub in rows:
            # A one-row group prints its label across both label columns: that is the row's label.
            yield row, labels.RESULTS_BLOCK_LABEL + (f" {group}" if sub else ""), sub or group
    yield "carried_forward", "", top["carried_forward"]


def _applications() -> Iterator[CodebookEntry]:
    for row, group, label in _application_rows():
        for column in keys.APPLICATION_COLUMNS:
            column_group = labels.APPLICANT_GROUP_LABEL
            if column not in ("natural_person", "total"):
                column_group += " " + labels.ORGANISATION_GROUP_LABEL
            column_label = labels.APPLICATION_COLUMN_LABELS[column]
            yield _entry(f"applications.{row}.{column}", "applications", (group, label), (column_group, column_label))


def _review() -> Iterator[CodebookEntry]:
    for group in keys.REVIEW_GROUPS:
        column_group = "" if group == "review" else labels.LITIGATION_LABEL
        for measure in keys.REVIEW_MEASURES:
            column = (
                f"{column_group} {labels.REVIEW_GROUP_LABELS[group]}".strip(),
                labels.REVIEW_MEASURE_LABELS[measure],
            )
            yield _entry(f"review_litigation.{group}.{measure}", "review_litigation", ("", ""), column)


@cache
def by_key() -> dict[str, CodebookEntry]:
    return {e.key: e for e in entries()}


# ---- renderings -------------------------------------------------------------------

FORMATS: Final = ("csv", "json", "md")


def render(fmt: str) -> str:
    """The codebook as csv, json or md text."""
    return {"csv": _csv, "json": _json, "md": _markdown}[fmt]()


def _csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([getattr(e, c) for c in COLUMNS] for e in entries())
    return out.getvalue()


def _json() -> str:
    return json.dumps([asdict(e) for e in entries()], ensure_ascii=False, indent=1) + "\n"


_MD_INTRO: Final = """\
# Codebook: the canonical cell keys

Generated by `nianbao codebook --format md` from parsers/keys.py and the template's printed
labels (reportgen/labels.py); do not edit (tests/db/test_codebook.py fails when it is stale).
The same table as CSV: docs/codebook.csv. Every export ships it beside its data.

A report's cells are `key -> number`. A cell the report leaves blank is absent, never 0.
Templates: `2021` (国办公开办函〔2021〕30号, report years 2021 on) and `2019`
(国办公开办函〔2019〕60号, 2019-2020); `legacy` reports (2008-2018) have no fixed table.
`comparable` names the key that measures the same thing in the other template (the same
key: both print the same row and column), or says `not comparable`.
`type` integer cells are counts; `decimal` cells are money. 本年增/减 (`change`) may be negative.
"""


def _markdown() -> str:
    parts = [_MD_INTRO]
    shown = ("key", "row_group", "row_label", "column_group", "column_label", "generations", "type", "unit",
             "comparable")  # fmt: skip
    for section in ("proactive", "applications", "review_litigation"):
        rows = [e for e in entries() if e.section == section]
        parts.append(f"\n## {rows[0].table} (`{section}.*`, {len(rows)} keys)\n\n")
        parts.append("| " + " | ".join(shown) + " |\n|" + "---|" * len(shown) + "\n")
        for e in rows:
            cells = [f"`{e.key}`" if c == "key" else _md_cell(getattr(e, c)) for c in shown]
            parts.append("| " + " | ".join(cells) + " |\n")
    return "".join(parts)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")
