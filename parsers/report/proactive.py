"""Section 2 (主动公开政府信息情况): rows are items of art. 20, columns are measures."""

from __future__ import annotations

from parsers.keys import ALL_KEYS
from parsers.labels import LabelMatcher
from parsers.report.assign import Column
from parsers.report.spec import HeaderHit, TableSpec, columns_by_grid, has_grid

ROWS = LabelMatcher(
    [
        ("规章", "rules"),
        ("行政规范性文件", "normative_documents"),
        ("规范性文件", "normative_documents"),
        ("行政许可", "licensing"),
        ("其他对外管理服务事项", "other_admin_services"),
        ("行政处罚", "penalties"),
        ("行政强制", "coercive_measures"),
        ("行政事业性收费", "fees"),
        ("政府集中采购", "procurement"),
    ]
)

MEASURES = LabelMatcher(
    [
        ("本年制发件数", "issued"),
        ("本年废止件数", "repealed"),
        ("现行有效件数", "in_force"),
        ("本年处理决定数量", "decisions"),
        ("处理决定数量", "decisions"),
        ("本年收费金额", "amount_10k_cny"),
        ("本年新制作数量", "newly_made"),
        ("本年新公开数量", "newly_published"),
        ("对外公开总数量", "total_published"),
        ("上一年项目数量", "prior_year_items"),
        ("上年项目数量", "prior_year_items"),
        ("本年增/减", "change"),
        ("本年增减", "change"),
        ("采购项目数量", "items"),
        ("采购总金额", "amount"),
        ("信息内容", None),
        ("第二十条第", None),
    ]
)

# Header texts only one template generation prints (report-schema.md).
GENERATION_MARKERS: dict[str, str] = {
    "本年制发件数": "2021",
    "本年废止件数": "2021",
    "现行有效件数": "2021",
    "本年处理决定数量": "2021",
    "本年收费金额": "2021",
    "本年新制作数量": "2019",
    "本年新公开数量": "2019",
    "对外公开总数量": "2019",
    "上一年项目数量": "2019",
    "本年增/减": "2019",
    "采购项目数量": "2019",
    "政府集中采购": "2019",
}


def build_columns(hits: list[HeaderHit]) -> tuple[list[Column], list[str]]:
    """Measures in the order printed (or under their grid column)."""
    if has_grid(hits):
        return columns_by_grid(hits), []
    return [Column(h.key, pos=h.pos) for h in hits], []


def cell_key(row: str, column: str) -> str | None:
    key = f"proactive.{row}.{column}"
    return key if key in ALL_KEYS else None


SPEC = TableSpec(
    kind="proactive",
    title="主动公开政府信息情况 table",
    header=MEASURES,
    rows=ROWS,
    build_columns=build_columns,
    cell_key=cell_key,
    anchors=("第二十条", "信息内容", "本年制发件数", "本年新制作数量", "上一年项目数量", "本年处理决定数量"),
    min_header=1,
)
