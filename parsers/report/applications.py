"""Section 3 (收到和处理政府信息公开申请情况): rows by outcome, columns by applicant."""

from __future__ import annotations

from parsers.keys import ALL_KEYS, APPLICATION_COLUMNS
from parsers.labels import LabelMatcher
from parsers.report.assign import Column
from parsers.report.spec import HeaderHit, TableSpec, columns_by_grid, has_grid

COLUMN_NAMES = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "nonprofit": "社会公益组织",
    "legal_services": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}

HEADER = LabelMatcher(
    [
        *((name, key) for key, name in COLUMN_NAMES.items()),
        ("社会组织", "nonprofit"),
        ("合计", "total"),
        ("申请人情况", None),
        ("法人或其他组织", None),
        ("本列数据的勾稽关系为", None),
    ]
)

ROWS = LabelMatcher(
    [
        ("本年新收政府信息公开申请数量", "new"),
        ("上年结转政府信息公开申请数量", "carried_over"),
        ("本年度办理结果", "heading:results"),
        ("予以公开", "granted"),
        ("部分公开", "partly_granted"),
        ("不予公开", "group:denied"),
        ("属于国家秘密", "denied_state_secret"),
        ("其他法律行政法规禁止公开", "denied_prohibited"),
        ("危及三安全一稳定", "denied_security"),
        ("保护第三方合法权益", "denied_third_party"),
        ("属于三类内部事务信息", "denied_internal"),
        ("属于四类过程性信息", "denied_process"),
        ("属于行政执法案卷", "denied_enforcement_file"),
        ("属于行政查询事项", "denied_inquiry"),
        ("无法提供", "group:unavailable"),
        ("本机关不掌握相关政府信息", "unavailable_not_held"),
        ("没有现成信息需要另行制作", "unavailable_needs_creation"),
        ("补正后申请内容仍不明确", "unavailable_unclear"),
        ("不予处理", "group:unprocessed"),
        ("信访举报投诉类申请", "unprocessed_petition"),
        ("重复申请", "unprocessed_repeat"),
        ("要求提供公开出版物", "unprocessed_publication"),
        ("无正当理由大量反复申请", "unprocessed_excessive"),
        ("要求行政机关确认或重新出具已获取信息", "unprocessed_confirmation"),
        # Printed as one row (2019) or as the group of three rows (2021).
        ("其他处理", "other_handling"),
        ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_no_correction"),
        ("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_fee_unpaid"),
        ("总计", "results_total"),
        ("结转下年度继续办理", "carried_forward"),
    ]
)

# The group a row label puts the reader in; (六)'s 3.其他 is only known by its group.
ROW_GROUPS = {
    "group:denied": "denied",
    "group:unavailable": "unavailable",
    "group:unprocessed": "unprocessed",
    **{key: key.split("_", 1)[0] for key in ROWS.known_keys() if not key.startswith(("group:", "heading:"))},
    "other_handling": "other",
    "other_no_correction": "other",
    "other_fee_unpaid": "other",
    "other_misc": "other",
}


def build_columns(hits: list[HeaderHit]) -> tuple[list[Column], list[str]]:
    """Applicant columns under their grid column; in flattened text the template order.

    Flattened text loses where a two-level header's cells sit (总计 is printed before
    商业企业), so its order cannot be read; the header only confirms the columns.
    """
    if has_grid(hits):
        return columns_by_grid(hits), []
    missing = [COLUMN_NAMES[k] for k in APPLICATION_COLUMNS if k not in {h.key for h in hits}]
    issues = [f"header lacks {'、'.join(missing)}; template positions assumed"] if missing else []
    return [Column(k) for k in APPLICATION_COLUMNS], issues


def header_as_row(key: str, group: str | None) -> str | None:
    """A lone 总计/其他 is a row label ((七)总计, (六)3.其他), not a header."""
    if key == "total":
        return "results_total"
    if key == "other_org" and group == "other":
        return "other_misc"
    return None


def cell_key(row: str, column: str) -> str | None:
    key = f"applications.{row}.{column}"
    return key if key in ALL_KEYS else None


SPEC = TableSpec(
    kind="applications",
    title="收到和处理政府信息公开申请情况 table",
    header=HEADER,
    rows=ROWS,
    build_columns=build_columns,
    cell_key=cell_key,
    anchors=("本列数据的勾稽关系", "申请人情况", "本年新收政府信息公开申请数量", "自然人"),
    min_header=2,
    total_last=True,
    row_groups=ROW_GROUPS,
    group_aliases={("other", "其他"): "other_misc"},
    header_as_row=header_as_row,
)
