"""The report reader on hand-built TableBlock documents (the PDF/HTML/DOCX shape).

Tables are built the way the format readers deliver them: a merged cell's text repeated
in every position it covers, pages split into several TableBlocks.
"""

from __future__ import annotations

from decimal import Decimal

from parsers.document import Document, TableBlock, TextBlock
from parsers.keys import APPLICATION_COLUMNS
from parsers.model import ParsedReport
from parsers.report import read_report

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
RESULTS = "三、本年度办理结果"
APP_HEADER = [
    [NOTE] * 3 + ["申请人情况"] * 7,
    [NOTE] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"],
    [NOTE] * 3 + ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
]
# Row key -> the three label cells of the template.
APP_LABELS: dict[str, list[str]] = {
    "new": ["一、本年新收政府信息公开申请数量"] * 3,
    "carried_over": ["二、上年结转政府信息公开申请数量"] * 3,
    "granted": [RESULTS, "（一）予以公开", "（一）予以公开"],
    "partly_granted": [RESULTS, *["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] * 2],
    "denied_state_secret": [RESULTS, "（三）不予公开", "1．属于国家秘密"],
    "denied_third_party": [RESULTS, "（三）不予公开", "4．保护第三方合法权益"],
    "unavailable_not_held": [RESULTS, "（四）无法提供", "1．本机关不掌握相关政府信息"],
    "unprocessed_repeat": [RESULTS, "（五）不予处理", "2．重复申请"],
    "other_handling": [RESULTS, "（六）其他处理", "（六）其他处理"],
    "other_no_correction": [
        RESULTS,
        "（六）其他处理",
        "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ],
    "other_misc": [RESULTS, "（六）其他处理", "3．其他"],
    "results_total": [RESULTS, "（七）总计", "（七）总计"],
    "carried_forward": ["四、结转下年度继续办理"] * 3,
}
PROACTIVE_2021 = [
    ["第二十条第（一）项"] * 4,
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "0", "1", "5"],
    ["行政规范性文件", "2", "0", "17"],
    ["第二十条第（五）项"] * 4,
    ["信息内容"] + ["本年处理决定数量"] * 3,
    ["行政许可"] + ["1,204"] * 3,  # a merged value cell, repeated
    ["第二十条第（六）项"] * 4,
    ["信息内容"] + ["本年处理决定数量"] * 3,
    ["行政处罚", "35", "", ""],
    ["行政强制", "—", "", ""],
    ["第二十条第（八）项"] * 4,
    ["信息内容"] + ["本年收费金额（单位：万元）"] * 3,
    ["行政事业性收费"] + ["12.5"] * 3,
]
REVIEW = [
    ["行政复议"] * 5 + ["行政诉讼"] * 10,
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3,
    ["1", "0", "0", "1", "2", "0", "0", "0", "0", "0", "0", "1", "0", "0", "1"],
]


def app_row(key: str, values: list[str]) -> list[str]:
    return [*APP_LABELS[key], *values]


def report_of(*tables: list[list[str]], title: str = "某市统计局2023年政府信息公开工作年度报告") -> ParsedReport:
    blocks: list[TextBlock | TableBlock] = [TextBlock(title), TextBlock("二、主动公开政府信息情况")]
    blocks += [TableBlock(rows) for rows in tables]
    return read_report(Document(blocks=blocks, media_type="application/pdf"))


def app_cells(report: ParsedReport, row: str) -> list[object]:
    return [report.cells.get(f"applications.{row}.{c}") for c in APPLICATION_COLUMNS]


APPS_2021 = [
    *APP_HEADER,
    app_row("new", ["3", "1", "", "", "", "", "4"]),
    app_row("carried_over", ["1", "", "", "", "", "", "1"]),
    app_row("granted", ["2", "1", "", "", "", "", "3"]),
    app_row("denied_third_party", ["1", "", "", "", "", "", "1"]),
    app_row("other_no_correction", ["0", "0", "0", "0", "0", "0", "0"]),
    app_row("other_misc", ["1", "", "", "", "", "", "1"]),
    app_row("results_total", ["4", "1", "", "", "", "", "5"]),
    app_row("carried_forward", ["0", "", "", "", "", "", "0"]),
]


def test_complete_2021_document() -> None:
    report = report_of(PROACTIVE_2021, APPS_2021, REVIEW)
    assert report.status == "ok", report.warnings
    assert (report.agency, report.year, report.generation) == ("某市统计局", 2023, "2021")
    assert report.cells["proactive.rules.in_force"] == 5
    assert report.cells["proactive.licensing.decisions"] == 1204  # merged cell read once
    assert report.cells["proactive.fees.amount_10k_cny"] == Decimal("12.5")
    assert "proactive.coercive_measures.decisions" not in report.cells  # printed —, absent
    assert app_cells(report, "new") == [3, 1, None, None, None, None, 4]  # blanks stay absent
    assert report.cells["applications.other_misc.total"] == 1  # 3.其他 under (六)
    assert report.cells["review_litigation.review.pending"] == 1
    assert report.cells["review_litigation.suit_after_review.corrected"] == 1
    assert all(c.ok for c in report.checks), report.checks


def test_rows_in_any_order_read_by_label() -> None:
    shuffled = [*APPS_2021[:3], *reversed(APPS_2021[3:])]
    assert report_of(PROACTIVE_2021, shuffled, REVIEW).cells == report_of(PROACTIVE_2021, APPS_2021, REVIEW).cells


def test_columns_follow_header_labels_not_positions() -> None:
    swapped_header = [[*row[:3], row[4], row[3], *row[5:]] for row in APP_HEADER]  # 商业企业 before 自然人
    rows = [*swapped_header, app_row("new", ["1", "3", "", "", "", "", "4"])]
    report = report_of(PROACTIVE_2021, rows, REVIEW)
    assert report.cells["applications.new.natural_person"] == 3
    assert report.cells["applications.new.commercial"] == 1


def test_table_split_over_pages_with_repeated_header() -> None:
    page_one = APPS_2021[:6]
    # The next page repeats the header and lost the merged first label column.
    page_two = [row[1:] for row in APP_HEADER] + [row[1:] for row in APPS_2021[6:]]
    split = report_of(PROACTIVE_2021, page_one, page_two, REVIEW)
    assert split.cells == report_of(PROACTIVE_2021, APPS_2021, REVIEW).cells


def test_continuation_rows_without_header() -> None:
    page_two = [row[2:] for row in APPS_2021[6:]]  # only the last label column left
    report = report_of(PROACTIVE_2021, APPS_2021[:6], page_two, REVIEW)
    assert app_cells(report, "results_total") == [4, 1, None, None, None, None, 5]


def test_mixed_template_single_other_handling_row() -> None:
    rows = [
        *APP_HEADER,
        app_row("other_handling", ["2", "", "", "", "", "", "2"]),
        app_row("results_total", ["2"] + [""] * 5 + ["2"]),
    ]
    report = report_of(PROACTIVE_2021, rows, REVIEW)
    assert report.generation == "2021"
    assert report.cells["applications.other_handling.total"] == 2
    assert {c.rule: c.ok for c in report.checks}["results_total"]


def test_failed_check_is_reported_not_fatal() -> None:
    rows = [*APPS_2021[:-2], app_row("results_total", ["4", "1", "", "", "", "", "6"]), APPS_2021[-1]]
    report = report_of(PROACTIVE_2021, rows, REVIEW)
    assert report.status == "ok"
    failed = {c.rule: c.detail for c in report.checks if not c.ok}
    assert "applications.results_total.total" in failed["row_totals"]
    assert "difference -1" in failed["row_totals"]


def test_missing_tables_make_a_partial_report() -> None:
    report = report_of(PROACTIVE_2021)
    assert report.status == "partial"
    assert any("收到和处理政府信息公开申请情况" in w and "not found" in w for w in report.warnings)
    assert any("行政复议" in w and "not found" in w for w in report.warnings)


def test_generation_2019_from_headers() -> None:
    proactive_2019 = [
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", "5", "-2", "10"],
        ["信息内容", "采购项目数量", "采购总金额", ""],
        ["政府集中采购", "3", "1,250.75", ""],
    ]
    report = report_of(proactive_2019, APPS_2021[:5], REVIEW)
    assert report.generation == "2019"
    assert report.cells["proactive.licensing.change"] == -2
    assert report.cells["proactive.procurement.amount"] == Decimal("1250.75")


def test_legacy_report_without_tables() -> None:
    doc = Document(
        blocks=[
            TextBlock("宁波市江北区人民政府2013年政府信息公开工作年度报告"),
            TextBlock("一、概述"),
            TextBlock("2013年，我区……。"),
            TextBlock("二、主动公开政府信息情况"),
            TextBlock("全年主动公开信息1200条。"),
        ],
        media_type="text/html",
    )
    report = read_report(doc)
    assert (report.status, report.generation, report.year) == ("partial", "legacy", 2013)
    assert report.sections["proactive"] == "全年主动公开信息1200条。"
    assert report.cells == {}


def test_not_a_report() -> None:
    doc = Document(
        blocks=[TextBlock("关于做好2024年春节假期安排的通知"), TextBlock("各单位：……。")], media_type="text/html"
    )
    report = read_report(doc)
    assert report.status == "not_a_report"
    assert report.cells == {} and report.checks == []


def test_tables_as_plain_text_lines() -> None:
    """A PDF without detected tables gives its rows as space-separated text lines."""
    lines = [
        "某县财政局2022年政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "信息内容 本年制发件数 本年废止件数 现行有效件数",
        "规章 0 1 5",
        "行政规范性文件 2 0 17",
        "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况",
        "自然人 法人或其他组织 总计",
        "商业企业 科研机构 社会公益组织 法律服务机构 其他",
        "一、本年新收政府信息公开申请数量 3 1 0 0 0 0 4",
        "三、本年度办理结果 （一）予以公开 2 1 0 0 0 0 3",
        "（三）不予公开 1．属于国家秘密 1 0 0 0 0 0 1",
        "（七）总计 3 1 0 0 0 0 4",
        "四、结转下年度继续办理 0 0 0 0 0 0 0",
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议 行政诉讼",
        "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉",
        "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计",
        "0 1 0 0 1 0 0 0 0 0 0 0 0 2 2",
        "五、存在的主要问题及改进情况",
        "问题。",
    ]
    report = read_report(Document(blocks=[TextBlock(t) for t in lines], media_type="application/pdf"))
    assert report.generation == "2021"
    assert report.cells["proactive.normative_documents.in_force"] == 17
    assert app_cells(report, "new") == [3, 1, 0, 0, 0, 0, 4]
    assert app_cells(report, "denied_state_secret") == [1, 0, 0, 0, 0, 0, 1]
    assert report.cells["review_litigation.review.corrected"] == 1
    assert report.cells["review_litigation.suit_after_review.pending"] == 2
    assert {c.rule: c.ok for c in report.checks} == {
        "balance": True,
        "row_totals": True,
        "results_total": True,
        "review_totals": True,
    }
    assert report.sections["problems"] == "问题。"
