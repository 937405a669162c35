"""Section 4 (行政复议、行政诉讼): one row of fifteen numbers under a two-level header."""

from __future__ import annotations

from parsers.keys import ALL_KEYS, REVIEW_GROUPS, REVIEW_MEASURES
from parsers.labels import LabelMatcher
from parsers.report.assign import Column
from parsers.report.spec import HeaderHit, TableSpec, has_grid

HEADER = LabelMatcher(
    [
        ("行政复议", "group:review"),
        ("未经复议直接起诉", "group:suit_direct"),
        ("复议后起诉", "group:suit_after_review"),
        ("结果维持", "measure:upheld"),
        ("结果纠正", "measure:corrected"),
        ("其他结果", "measure:other"),
        ("尚未审结", "measure:pending"),
        ("总计", "measure:total"),
        ("合计", "measure:total"),
        ("行政诉讼", None),
    ]
)


def _name(key: str) -> str:
    return key.split(":", 1)[1]


def build_columns(hits: list[HeaderHit]) -> tuple[list[Column], list[str]]:
    """Columns `group.measure`: by grid (the group and measure printed above each
    column) or, in flattened text, five measures per group in the groups' printed order."""
    if has_grid(hits):
        return _by_grid(hits), []
    return _by_sequence(hits)


def _by_grid(hits: list[HeaderHit]) -> list[Column]:
    groups: dict[int, str] = {}
    measures: dict[int, str] = {}
    for hit in hits:
        if hit.col is not None:  # always, by has_grid
            target = groups if hit.key.startswith("group:") else measures
            target[hit.col] = _name(hit.key)
    owner: dict[int, str] = {}
    for c, m in sorted(measures.items()):
        # A measure cell merged over two grid columns repeats in the second, which its group's
        # cell may not reach (LibreOffice splits the grid so): it is the column it continues.
        group = groups.get(c) or (owner.get(c - 1) if measures.get(c - 1) == m else None)
        if group is not None:
            owner[c] = group
    return [Column(f"{owner[c]}.{m}", c) for c, m in sorted(measures.items()) if c in owner]


def _by_sequence(hits: list[HeaderHit]) -> tuple[list[Column], list[str]]:
    groups = list(dict.fromkeys(_name(h.key) for h in hits if h.key.startswith("group:")))
    measure_hits = [h for h in hits if h.key.startswith("measure:")]
    measures = [_name(h.key) for h in measure_hits]
    issues: list[str] = []
    if len(measures) == len(REVIEW_MEASURES) * len(REVIEW_GROUPS) and groups != list(REVIEW_GROUPS):
        issues.append("group labels unreadable; template group order assumed")
        groups = list(REVIEW_GROUPS)
    if len(measures) == len(REVIEW_MEASURES) and len(groups) == len(REVIEW_GROUPS):
        measures = measures * len(groups)  # the measure labels printed once for all groups
        measure_hits = [HeaderHit(h.key) for h in measure_hits * len(groups)]
    if not groups or len(measures) != len(REVIEW_MEASURES) * len(groups):
        return [], [f"header unreadable ({len(groups)} groups, {len(measures)} measure labels)"]
    per_group = len(REVIEW_MEASURES)
    columns = [
        Column(f"{groups[i // per_group]}.{m}", pos=hit.pos)
        for i, (m, hit) in enumerate(zip(measures, measure_hits, strict=True))
    ]
    return columns, issues


def cell_key(row: str, column: str) -> str | None:
    key = f"review_litigation.{column}"
    return key if key in ALL_KEYS else None


SPEC = TableSpec(
    kind="review_litigation",
    title="行政复议、行政诉讼 table",
    header=HEADER,
    rows=LabelMatcher([]),
    build_columns=build_columns,
    cell_key=cell_key,
    anchors=("结果维持", "未经复议直接起诉", "复议后起诉", "尚未审结"),
    min_header=2,
    total_last=True,
    implicit_row="",
)
