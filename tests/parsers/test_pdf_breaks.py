"""A table broken across pages is joined on one set of columns (parsers.pdf.breaks)."""

from __future__ import annotations

from parsers.document import TableBlock, TextBlock
from parsers.pdf.breaks import join, join_pages

# The upper piece is a header part with a merged label column (its borders: 0, 90, 120, 150);
# the lower piece is ruled in full (0, 30, 60, 90, 120, 150).
COARSE = (0.0, 90.0, 120.0, 150.0)
FINE = (0.0, 30.0, 60.0, 90.5, 120.0, 150.0)
HEADING = ["说明", "申请人情况", "申请人情况"]


def upper() -> TableBlock:
    return TableBlock([HEADING, ["说明", "自然", "总计"]], page=2, columns=COARSE)


def lower() -> TableBlock:
    rows = [["", "", "", "申请人情况", "申请人情况"], ["", "", "", "人", ""], ["一、", "本年", "新收", "3", "3"]]
    return TableBlock(rows, page=3, columns=FINE)


def test_the_pieces_are_laid_on_the_finer_columns_without_the_repeated_heading() -> None:
    joined = join(upper(), lower())
    assert joined is not None
    assert joined.columns == FINE
    assert joined.rows == [
        ["说明", "说明", "说明", "申请人情况", "申请人情况"],
        ["说明", "说明", "说明", "自然", "总计"],
        ["", "", "", "人", ""],
        ["一、", "本年", "新收", "3", "3"],
    ]
    assert joined.breaks == (2,)  # the row printed first on page 3, after the repeated heading
    assert joined.page == 2


def test_pieces_whose_columns_disagree_stay_apart() -> None:
    other = TableBlock([["a", "b"]], page=3, columns=(0.0, 70.0, 150.0))
    assert join(upper(), other) is None
    narrower = TableBlock([["a", "b"]], page=3, columns=(0.0, 90.0, 120.0))
    assert join(upper(), narrower) is None


def test_only_a_page_number_may_stand_between_the_pieces() -> None:
    pages: list[list] = [[TextBlock("表格如下"), upper(), TextBlock("- 2 -")], [lower(), TextBlock("四、其他")]]
    blocks = join_pages(pages)
    assert [type(b).__name__ for b in blocks] == ["TextBlock", "TableBlock", "TextBlock"]
    prose = [[upper(), TextBlock("以上为第一部分。")], [lower()]]
    assert [type(b).__name__ for b in join_pages(prose)] == ["TableBlock", "TextBlock", "TableBlock"]
    heading = [[upper()], [TextBlock("四、政府信息公开行政复议、行政诉讼情况"), lower()]]
    assert [type(b).__name__ for b in join_pages(heading)] == ["TableBlock", "TextBlock", "TableBlock"]


def test_pieces_whose_borders_are_a_few_points_apart_are_joined() -> None:
    # Chromium sizes the columns of each page's piece anew: the borders move by a few points.
    above = TableBlock([["行政复议", "行政诉讼", "行政诉讼"]], page=3, columns=(34.1, 108.8, 477.9, 577.9))
    below = TableBlock([["0", "0", "0"]], page=4, columns=(34.1, 112.1, 474.4, 577.9))
    joined = join(above, below)
    assert joined is not None
    assert joined.rows == [["行政复议", "行政诉讼", "行政诉讼"], ["0", "0", "0"]]


def test_a_browsers_running_header_and_footer_are_furniture() -> None:
    # Chromium prints the date and page title atop every page and the address and "2/3" below.
    def furnished(number: int, body: list) -> list:
        header = TextBlock(f"12/1/26, 5:4{number} PM中卫市应急管理局2023年政府信息公开工作年度报告")
        return [header, *body, TextBlock(f"https://www.nxzw.gov.cn/zwgk/t2024_1.html {number}/3")]

    pages = [
        furnished(1, [TextBlock("一、总体情况"), upper()]),
        furnished(2, [lower()]),
        furnished(3, [TextBlock("五、")]),
    ]
    blocks = join_pages(pages)
    assert [b.text if isinstance(b, TextBlock) else "TABLE" for b in blocks] == ["一、总体情况", "TABLE", "五、"]


def test_a_title_and_the_same_name_signing_the_last_page_stay() -> None:
    pages: list[list] = [
        [TextBlock("- 1 -"), TextBlock("中卫市卫生健康委员会"), TextBlock("2021年政府信息公开工作年度报告")],
        [TextBlock("正文"), TextBlock("- 2 -")],
        [TextBlock("无。"), TextBlock("中卫市卫生健康委员会"), TextBlock("2022年1月27日")],
    ]
    texts = [b.text for b in join_pages(pages)]
    assert texts == [
        "中卫市卫生健康委员会",
        "2021年政府信息公开工作年度报告",
        "正文",
        "无。",
        "中卫市卫生健康委员会",
        "2022年1月27日",
    ]


def test_a_bare_number_is_a_page_number_only_on_its_own_page() -> None:
    pages: list[list] = [[TextBlock("甲")], [TextBlock("乙"), TextBlock("7")], [TextBlock("丙"), TextBlock("3")]]
    assert [b.text for b in join_pages(pages)] == ["甲", "乙", "7", "丙"]
