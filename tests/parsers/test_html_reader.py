"""read_html on portal pages: charsets, TRS containers, Word-pasted markup, spans."""

from __future__ import annotations

import pytest

from parsers.document import Limits, TableBlock, TextBlock
from parsers.errors import DocumentError
from parsers.html import read_html

HEAD = (
    '<head><meta charset="{charset}"><meta name="ArticleTitle" content="中卫市商务局2022年政府信息公开工作年度报告">'
    '<meta name="PubDate" content="2023-01-20 10:30"><meta name="ContentSource" content="中卫市商务局">'
    "<title>年报_中卫市人民政府</title></head>"
)


def page(body: str, charset: str = "utf-8") -> str:
    return f"<html>{HEAD.format(charset=charset)}<body><div class='nav'>首页 &gt; 年报</div>{body}</body></html>"


WORD_TABLE = """
<table class=MsoNormalTable border=1>
 <tr><td colspan=2 rowspan=2><p class=MsoNormal><span>（本列数据的</span><span>勾稽关系）</span><o:p></o:p></p></td>
     <td colspan=2><p class=MsoNormal><span lang=EN-US>申请人</span>情况</p></td></tr>
 <tr><td>自然人</td><td>总计</td></tr>
 <tr><td rowspan=2 style='layout-flow:vertical-ideographic'><p class=MsoNormal>三、本年度</p><p>办理结果</p></td>
     <td>（一）予以公开</td><td><span lang=EN-US>1,</span><span lang=EN-US>234</span></td><td>&nbsp;</td></tr>
 <tr><td>（二）部分公开</td><td>５</td><td><o:p></o:p></td></tr>
</table>"""


def test_word_pasted_table_expands_spans_and_joins_runs() -> None:
    document = read_html(page(f"<div class='TRS_Editor'>{WORD_TABLE}</div>").encode(), Limits())
    (table,) = document.blocks
    assert isinstance(table, TableBlock)
    assert table.rows == [
        ["（本列数据的勾稽关系）", "（本列数据的勾稽关系）", "申请人情况", "申请人情况"],
        ["（本列数据的勾稽关系）", "（本列数据的勾稽关系）", "自然人", "总计"],
        ["三、本年度办理结果", "（一）予以公开", "1,234", ""],
        ["三、本年度办理结果", "（二）部分公开", "５", ""],
    ]


def test_meta_tags_are_kept_as_hints() -> None:
    document = read_html(page("<div id='zoom'><p>正文</p></div>").encode(), Limits())
    assert document.meta == {
        "ArticleTitle": "中卫市商务局2022年政府信息公开工作年度报告",
        "PubDate": "2023-01-20 10:30",
        "ContentSource": "中卫市商务局",
        "title": "年报_中卫市人民政府",
    }


def test_body_lines_in_order_without_chrome_scripts_or_hidden_text() -> None:
    body = (
        "<div class='view TRS_UEDITOR'><p><strong>一、总体</strong>情况</p><p>第一行<br/>第二行 2023 年</p>"
        "<script>var x = '脚本';</script><p style='display:none'>隐藏</p><!-- 注释 --></div>"
    )
    document = read_html(page(body).encode(), Limits())
    assert [b.text for b in document.blocks] == ["一、总体情况", "第一行", "第二行2023年"]


def test_gbk_page_is_decoded() -> None:
    data = page("<div id='zoom'><p>政府信息公开</p></div>", charset="gb2312").encode("gbk")
    assert [b.text for b in read_html(data, Limits()).blocks] == ["政府信息公开"]


def test_undeclared_gbk_falls_back_to_gb18030() -> None:
    data = "<html><body><div id='zoom'><p>年度报告</p></div></body></html>".encode("gb18030")
    assert [b.text for b in read_html(data, Limits()).blocks] == ["年度报告"]


def test_layout_table_around_the_report_is_dissolved() -> None:
    body = (
        "<table><tr><td></td><td><p>一、总体情况</p>"
        "<table><tr><td>规章</td><td>3</td></tr></table></td><td></td></tr></table>"
    )
    blocks = read_html(page(body).encode(), Limits()).blocks
    # No CMS container: the whole <body>, navigation included, in document order.
    assert [type(b) for b in blocks] == [TextBlock, TextBlock, TableBlock]
    assert [blocks[0].text, blocks[1].text] == ["首页>年报", "一、总体情况"]
    assert blocks[2].rows == [["规章", "3"]]


def test_report_article_is_chosen_among_several() -> None:
    body = (
        "<div class='TRS_Editor'><p>关于开展活动的通知</p></div>"
        "<div class='TRS_Editor'><p>2023年政府信息公开工作年度报告</p>"
        "<table><tr><td>规章</td><td>1</td></tr></table></div>"
    )
    blocks = read_html(page(body).encode(), Limits()).blocks
    assert blocks[0].text == "2023年政府信息公开工作年度报告"


def test_hostile_spans_are_bounded() -> None:
    body = "<div id='zoom'><table><tr><td colspan=99999 rowspan=99999>x</td><td>1</td></tr></table></div>"
    (table,) = read_html(page(body).encode(), Limits()).blocks
    assert len(table.rows) == 1 and len(table.rows[0]) == 101


def test_oversized_page_fails_before_parsing() -> None:
    with pytest.raises(DocumentError, match="HTML page too large: 2049 bytes, limit 2048"):
        read_html(b"<" + b"x" * 2048, Limits(max_html_bytes=2048))


@pytest.mark.parametrize(("data", "message"), [(b"", "empty file"), (b"just words", "no markup")])
def test_not_html(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        read_html(data, Limits())
