"""HTML renderings: every label and value lands in the right merged table cell."""

from __future__ import annotations

import random

import pytest
from bs4 import BeautifulSoup, Tag

from parsers.keys import APPLICATION_COLUMNS, REVIEW_GROUPS, REVIEW_MEASURES
from reportgen import labels
from reportgen.html import render_article_html, render_report_html
from reportgen.truth import ReportTruth, random_truth, truth_keys


def _text(node: Tag) -> str:
    return node.get_text("").replace("\xa0", " ").strip()


def expand(table: Tag) -> list[list[str]]:
    """The table as a text matrix, a merged cell's text repeated over its span."""
    slots: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.find_all("tr")):
        c = 0
        for td in tr.find_all(["td", "th"]):
            while (r, c) in slots:
                c += 1
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            for i in range(rs):
                for j in range(cs):
                    slots[(r + i, c + j)] = _text(td)
            c += cs
    n_rows = 1 + max(r for r, _ in slots)
    n_cols = 1 + max(c for _, c in slots)
    return [[slots.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)]


def printed(truth: ReportTruth, key: str) -> set[str]:
    """The spellings a cell may have in print (with or without thousands separators)."""
    if key not in truth.cells:
        return {""}
    value = truth.cells[key]
    if isinstance(value, int):
        return {str(value), f"{value:,}"}
    return {format(value, "f"), format(value, ",f")}


def _tables(html: str) -> list[list[list[str]]]:
    soup = BeautifulSoup(html, "lxml")
    return [expand(t) for t in soup.find_all("table")]


def _row_with(matrix: list[list[str]], label: str) -> list[str]:
    return next(row for row in matrix if label in row)


@pytest.mark.parametrize("word_pasted", [False, True])
def test_application_values_sit_in_their_labelled_rows(truth: ReportTruth, word_pasted: bool) -> None:
    matrix = _tables(render_report_html(truth, word_pasted=word_pasted))[1]
    assert len(matrix[0]) == 10
    rows = dict(labels.APPLICATION_TOP_ROW_LABELS)
    for group, members in labels.result_groups(truth.generation, mixed_other_handling=truth.mixed_other_handling):
        rows |= {row: (sub or group) for row, sub in members}
    for row, label in rows.items():
        found = _row_with(matrix, label)
        if label.startswith("（") or label[0].isdigit():
            assert found[0] == labels.RESULTS_BLOCK_LABEL, label
        for column, text in zip(APPLICATION_COLUMNS, found[3:], strict=True):
            assert text in printed(truth, f"applications.{row}.{column}"), (row, column, text)


@pytest.mark.parametrize("word_pasted", [False, True])
def test_proactive_and_review_values(truth: ReportTruth, word_pasted: bool) -> None:
    proactive, _, review = _tables(render_report_html(truth, word_pasted=word_pasted))
    table = labels.proactive_table(truth.generation)
    for item, measures in table.items():
        found = _row_with(proactive, labels.proactive_item_label(truth.generation, item))
        for i, measure in enumerate(measures):
            assert found[1 + i] in printed(truth, f"proactive.{item}.{measure}"), (item, measure)
    values = review[-1]
    keys = [f"review_litigation.{g}.{m}" for g in REVIEW_GROUPS for m in REVIEW_MEASURES]
    assert len(values) == 15
    assert all(text in printed(truth, key) for text, key in zip(values, keys, strict=True))


@pytest.mark.parametrize("word_pasted", [False, True])
def test_every_label_heading_and_fact_is_printed(truth: ReportTruth, word_pasted: bool) -> None:
    html = render_report_html(truth, word_pasted=word_pasted)
    text = BeautifulSoup(html, "lxml").get_text("").replace("\xa0", " ")
    for label in labels.all_labels(truth.generation, mixed_other_handling=truth.mixed_other_handling):
        assert label in text, label
    assert f"本报告统计数据从{truth.year}年1月1日至12月31日" in text
    for key, variants in labels.SECTION_HEADINGS.items():
        assert any(v in text for v in variants) or key == "applications"
    assert truth.agency in text
    pub = truth.published_on
    assert text.rstrip().endswith(f"{pub.year}年{pub.month}月{pub.day}日")
    for paragraph in truth.sections["overview"].split("\n"):
        assert paragraph in text


def test_merged_cells_follow_the_template(truth: ReportTruth) -> None:
    soup = BeautifulSoup(render_report_html(truth), "lxml")
    apps = soup.find_all("table")[1]
    block = next(td for td in apps.find_all("td") if _text(td) == labels.RESULTS_BLOCK_LABEL)
    n_results = 19 if truth.generation == "2019" or truth.mixed_other_handling else 21
    assert int(block["rowspan"]) == n_results + 1
    denied = next(td for td in apps.find_all("td") if _text(td) == "（三）不予公开")
    assert int(denied["rowspan"]) == 8
    org = next(td for td in apps.find_all("td") if _text(td) == labels.ORGANISATION_GROUP_LABEL)
    assert int(org["colspan"]) == 5


@pytest.mark.parametrize("word_pasted", [False, True])
def test_blank_cells_render_empty(word_pasted: bool) -> None:
    truth = random_truth(random.Random(4), year=2022, blank_cells=True)
    blank = set(truth_keys(truth.generation)) - set(truth.cells)
    assert any(k.startswith("applications.") for k in blank)
    matrix = _tables(render_report_html(truth, word_pasted=word_pasted))[1]
    new_row = _row_with(matrix, labels.APPLICATION_TOP_ROW_LABELS["new"])
    for column, text in zip(APPLICATION_COLUMNS, new_row[3:], strict=True):
        assert (text == "") == (f"applications.new.{column}" in blank)


def test_thousands_separators_appear(busy_truth: ReportTruth) -> None:
    html = render_report_html(busy_truth)
    total = busy_truth.cells["applications.new.total"]
    assert f"{total:,}" in html or str(total) in html


def test_word_pasted_markup_looks_like_word(truth: ReportTruth) -> None:
    html = render_report_html(truth, word_pasted=True)
    for marker in ("<o:p></o:p>", "class=MsoNormal", "&nbsp;", "<span", "style="):
        assert marker in html
    assert "<o:p>" not in render_report_html(truth)


def test_rendering_is_deterministic(truth: ReportTruth) -> None:
    assert render_report_html(truth, word_pasted=True) == render_report_html(truth, word_pasted=True)
    assert render_article_html(truth) == render_article_html(truth)


def test_article_page_is_a_trs_page(truth: ReportTruth) -> None:
    attachments = [("./P020240125391204817733.pdf", f"{truth.title}.pdf")]
    html = render_article_html(truth, attachments=attachments, word_pasted=True)
    soup = BeautifulSoup(html, "lxml")
    meta = {m["name"]: m["content"] for m in soup.find_all("meta", attrs={"name": True})}
    assert meta["ArticleTitle"] == truth.title
    assert meta["ContentSource"] == truth.agency
    assert meta["PubDate"].startswith(truth.published_on.isoformat())
    assert meta["SiteName"] == "中卫市人民政府" and meta["ColumnName"] == "政府信息公开年报"
    assert _text(soup.find("h1")) == truth.title
    assert f"发布时间：{truth.published_on.isoformat()}" in _text(soup.select_one("div.info"))
    view = soup.select_one("div.view.TRS_UEDITOR.trs_paper_default")
    assert view is not None and len(view.find_all("table")) == 3
    link = view.select_one("p.insertfileTag a[appendix=true]")
    assert link["href"] == "./P020240125391204817733.pdf"
    assert link["oldsrc"] == "/protect/P0202401/P020240125/P020240125391204817733.pdf"
    crumbs = [a["href"] for a in soup.select("div.crumb a")]
    assert crumbs[0] == "/" and crumbs[-1] == "./" and crumbs[-2] == "../"
