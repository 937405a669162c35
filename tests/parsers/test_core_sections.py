"""Section headings and the plain-text reader."""

from __future__ import annotations

import pytest

from parsers.document import Limits, TextBlock
from parsers.errors import DocumentError
from parsers.sections import Line, heading_key, split_sections
from parsers.text import read_text


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("一、总体情况", "overview"),
        ("二．主动公开政府信息情况", "proactive"),
        ("三、收到和处理政府信息公开申请情况", "applications"),
        ("三、政府信息依申请公开工作情况", "applications"),
        ("四、政府信息公开行政复议、行政诉讼情况", "review_litigation"),
        ("五、存在的主要问题及改进情况", "problems"),
        ("五、存在主要问题及改进情况", "problems"),
        ("**六、2019 年推进公开工作存在的问题及改进情况**", "problems"),
        ("七、其他需要报告的事项", "other"),
        ("第一部分 总体情况", "overview"),
    ],
)
def test_known_headings(text: str, key: str) -> None:
    assert heading_key(Line(text)) == (True, key)


@pytest.mark.parametrize(
    "text",
    [
        "（一）主动公开政府信息情况",  # a sub-heading
        "三、本年度办理结果\t(一) 予以公开\t0",  # a table row
        "一、本年新收政府信息公开申请数量",  # a row label printed as text
        "四、公开平台载体建设情况",  # unknown and not marked as a heading
        "一、" + "很长的段落" * 10,
    ],
)
def test_not_section_headings(text: str) -> None:
    assert heading_key(Line(text)) == (False, None)


def test_unknown_marked_heading_closes_the_section() -> None:
    lines = [
        Line("三、政府信息依申请公开工作情况", 3),
        Line("表格"),
        Line("四、公开平台载体建设情况", 4),
        Line("网站。"),
        Line("七、其他需要报告的事项", 3),
        Line("无。"),
    ]
    spans = split_sections(lines)
    assert [(s.key, s.start, s.end) for s in spans] == [("applications", 1, 2), (None, 3, 4), ("other", 5, 6)]


def test_read_text_strips_markup_and_keeps_heading_levels() -> None:
    doc = read_text("# 标题\n\n## 一、总体情况\n**(一) 领导。**正文\n规章\t0\t0\n".encode(), Limits())
    assert doc.blocks == [
        TextBlock("标题", heading_level=1),
        TextBlock("一、总体情况", heading_level=2),
        TextBlock("(一) 领导。正文"),
        TextBlock("规章\t0\t0"),
    ]


def test_read_text_decodes_gb18030() -> None:
    doc = read_text("一、总体情况\n".encode("gb18030"), Limits())
    assert [b.text for b in doc.blocks] == ["一、总体情况"]


def test_read_text_rejects_binary_and_oversize() -> None:
    with pytest.raises(DocumentError, match="binary"):
        read_text(b"\x00\x01\x02abc" * 10, Limits())
    with pytest.raises(DocumentError, match="exceeds"):
        read_text(b"a" * 11, Limits(max_bytes=10))
