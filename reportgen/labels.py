"""Printed labels of the national template, as real reports print them.

The wording follows 国办公开办函〔2019〕60号 and 〔2021〕30号 as seen in the seed
reports (tests/fixtures/seeds). Labels are keyed by the canonical names of
parsers.keys so every renderer prints the same words for the same cell.
"""

from __future__ import annotations

from typing import Final

from parsers.keys import PROACTIVE_2019, PROACTIVE_2021

# Section headings: the first spelling is the template's, the others occur in print.
SECTION_HEADINGS: Final[dict[str, tuple[str, ...]]] = {
    "overview": ("一、总体情况",),
    "proactive": ("二、主动公开政府信息情况",),
    "applications": ("三、收到和处理政府信息公开申请情况",),
    "review_litigation": ("四、政府信息公开行政复议、行政诉讼情况",),
    "problems": ("五、存在的主要问题及改进情况", "五、存在主要问题及改进情况"),
    "other": ("六、其他需要报告的事项",),
}
# Generation 2019 reports sometimes title section 3 the old way.
APPLICATIONS_HEADING_2019_ALT: Final = "三、政府信息依申请公开工作情况"

# ---- Section 2 (主动公开) ------------------------------------------------------------

PROACTIVE_ITEM_LABELS: Final[dict[str, str]] = {
    "rules": "规章",
    "normative_documents": "行政规范性文件",
    "licensing": "行政许可",
    "other_admin_services": "其他对外管理服务事项",
    "penalties": "行政处罚",
    "coercive_measures": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}
# Generation 2019 says 规范性文件 without 行政.
PROACTIVE_ITEM_LABELS_2019: Final[dict[str, str]] = {
    **PROACTIVE_ITEM_LABELS,
    "normative_documents": "规范性文件",
}

PROACTIVE_MEASURE_LABELS: Final[dict[str, str]] = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量",
    "amount_10k_cny": "本年收费金额（单位：万元）",
    "newly_made": "本年新制作数量",
    "newly_published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "prior_year_items": "上一年项目数量",
    "change": "本年增/减",
    "items": "采购项目数量",
    "amount": "采购总金额",
}
# Generation 2019 prints 处理决定数量 (no 本年).
PROACTIVE_MEASURE_LABELS_2019: Final[dict[str, str]] = {
    **PROACTIVE_MEASURE_LABELS,
    "decisions": "处理决定数量",
}

PROACTIVE_ITEM_COLUMN_LABEL: Final = "信息内容"

# Each group: the 条款 heading and the items it holds, in template order.
PROACTIVE_GROUPS_2021: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("第二十条第（一）项", ("rules", "normative_documents")),
    ("第二十条第（五）项", ("licensing",)),
    ("第二十条第（六）项", ("penalties", "coercive_measures")),
    ("第二十条第（八）项", ("fees",)),
)
PROACTIVE_GROUPS_2019: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("第二十条第（一）项", ("rules", "normative_documents")),
    ("第二十条第（五）项", ("licensing", "other_admin_services")),
    ("第二十条第（六）项", ("penalties", "coercive_measures")),
    ("第二十条第（八）项", ("fees",)),
    ("第二十条第（九）项", ("procurement",)),
)

# ---- Section 3 (依申请公开) ----------------------------------------------------------

APPLICATIONS_CORNER: Final = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_GROUP_LABEL: Final = "申请人情况"
ORGANISATION_GROUP_LABEL: Final = "法人或其他组织"

APPLICATION_COLUMN_LABELS: Final[dict[str, str]] = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "nonprofit": "社会公益组织",
    "legal_services": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}

# Rows printed across the whole label area (no group).
APPLICATION_TOP_ROW_LABELS: Final[dict[str, str]] = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "carried_forward": "四、结转下年度继续办理",
}
RESULTS_BLOCK_LABEL: Final = "三、本年度办理结果"

# Result groups: printed group label and its (row, sub-label) pairs. A group with a
# single row whose sub-label is empty prints the group label across both label columns.
RESULT_GROUPS_COMMON: Final[tuple[tuple[str, tuple[tuple[str, str], ...]], ...]] = (
    ("（一）予以公开", (("granted", ""),)),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", (("partly_granted", ""),)),
    (
        "（三）不予公开",
        (
            ("denied_state_secret", "1.属于国家秘密"),
            ("denied_prohibited", "2.其他法律行政法规禁止公开"),
            ("denied_security", "3.危及“三安全一稳定”"),
            ("denied_third_party", "4.保护第三方合法权益"),
            ("denied_internal", "5.属于三类内部事务信息"),
            ("denied_process", "6.属于四类过程性信息"),
            ("denied_enforcement_file", "7.属于行政执法案卷"),
            ("denied_inquiry", "8.属于行政查询事项"),
        ),
    ),
    (
        "（四）无法提供",
        (
            ("unavailable_not_held", "1.本机关不掌握相关政府信息"),
            ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
            ("unavailable_unclear", "3.补正后申请内容仍不明确"),
        ),
    ),
    (
        "（五）不予处理",
        (
            ("unprocessed_petition", "1.信访举报投诉类申请"),
            ("unprocessed_repeat", "2.重复申请"),
            ("unprocessed_publication", "3.要求提供公开出版物"),
            ("unprocessed_excessive", "4.无正当理由大量反复申请"),
            ("unprocessed_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
        ),
    ),
)
OTHER_HANDLING_GROUP_2019: Final = ("（六）其他处理", (("other_handling", ""),))
OTHER_HANDLING_GROUP_2021: Final = (
    "（六）其他处理",
    (
        ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other_misc", "3.其他"),
    ),
)
RESULTS_TOTAL_GROUP: Final = ("（七）总计", (("results_total", ""),))

# ---- Section 4 (复议诉讼) ------------------------------------------------------------

REVIEW_GROUP_LABELS: Final[dict[str, str]] = {
    "review": "行政复议",
    "suit_direct": "未经复议直接起诉",
    "suit_after_review": "复议后起诉",
}
LITIGATION_LABEL: Final = "行政诉讼"
REVIEW_MEASURE_LABELS: Final[dict[str, str]] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}


def proactive_groups(generation: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The 条款 groups of section 2 for a generation."""
    return PROACTIVE_GROUPS_2021 if generation == "2021" else PROACTIVE_GROUPS_2019


def proactive_item_label(generation: str, item: str) -> str:
    """Row label of a section 2 item as the generation prints it."""
    table = PROACTIVE_ITEM_LABELS if generation == "2021" else PROACTIVE_ITEM_LABELS_2019
    return table[item]


def proactive_measure_label(generation: str, measure: str) -> str:
    """Column label of a section 2 measure as the generation prints it."""
    table = PROACTIVE_MEASURE_LABELS if generation == "2021" else PROACTIVE_MEASURE_LABELS_2019
    return table[measure]


def result_groups(
    generation: str, *, mixed_other_handling: bool = False
) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Result groups of section 3, （一） to （七）, for a generation.

    A 2021 report with `mixed_other_handling` prints the single 2019 （六）其他处理 row.
    """
    single = generation != "2021" or mixed_other_handling
    other = OTHER_HANDLING_GROUP_2019 if single else OTHER_HANDLING_GROUP_2021
    return (*RESULT_GROUPS_COMMON, other, RESULTS_TOTAL_GROUP)


def all_labels(generation: str, *, mixed_other_handling: bool = False) -> tuple[str, ...]:
    """Every row and column label the three tables of a generation print."""
    labels: list[str] = [PROACTIVE_ITEM_COLUMN_LABEL]
    table = proactive_table(generation)
    for clause, items in proactive_groups(generation):
        labels.append(clause)
        for item in items:
            labels.append(proactive_item_label(generation, item))
            labels.extend(proactive_measure_label(generation, m) for m in table[item])
    labels += [APPLICATIONS_CORNER, APPLICANT_GROUP_LABEL, ORGANISATION_GROUP_LABEL]
    labels += list(APPLICATION_COLUMN_LABELS.values()) + list(APPLICATION_TOP_ROW_LABELS.values())
    labels.append(RESULTS_BLOCK_LABEL)
    for group, rows in result_groups(generation, mixed_other_handling=mixed_other_handling):
        labels.append(group)
        labels.extend(sub for _, sub in rows if sub)
    labels += [LITIGATION_LABEL, *REVIEW_GROUP_LABELS.values(), *REVIEW_MEASURE_LABELS.values()]
    return tuple(dict.fromkeys(labels))


def proactive_table(generation: str) -> dict[str, tuple[str, ...]]:
    """The item -> measures table of parsers.keys for a generation."""
    return PROACTIVE_2021 if generation == "2021" else PROACTIVE_2019
