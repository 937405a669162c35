"""formats.charset: the one decoding of HTML bytes both the scrapers and the parsers use."""

from __future__ import annotations

import pytest

from formats.charset import candidates, charset_param, codec_name, decode_html

TEXT = "<p>中卫市人民政府2023年政府信息公开工作年度报告</p>"


def test_a_weak_header_label_over_a_utf8_body_is_no_evidence() -> None:
    # Server defaults print charset=iso-8859-1 over UTF-8 pages; the old crawler copy trusted
    # the header first and read mojibake where the parser read the report.
    assert TEXT in decode_html(TEXT.encode("utf-8"), "iso-8859-1")


def test_the_page_declaration_wins_over_the_header() -> None:
    # The crawler's old copy read the header first: this GBK page as Big5.
    page = f'<meta charset="gbk">{TEXT}'.encode("gb18030")
    assert TEXT in decode_html(page, "big5")


def test_a_header_charset_counts_when_the_page_declares_nothing() -> None:
    title = "寧夏回族自治區人民政府"
    assert title in decode_html(f"<p>{title}</p>".encode("big5"), "big5")


@pytest.mark.parametrize(("declared", "actual"), [("utf-8", "gb18030"), ("gbk", "utf-8")])
def test_a_label_the_bytes_contradict_gives_way_to_the_charset_that_reads_them(declared: str, actual: str) -> None:
    page = f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">{TEXT}'.encode(actual)
    assert TEXT in decode_html(page)


def test_gb2312_labels_read_gbk_only_characters() -> None:
    name = "喆"  # in GBK, not in GB2312
    assert name in decode_html(f'<meta charset="gb2312"><p>{name}</p>'.encode("gbk"))


def test_without_any_label_utf8_then_gb18030() -> None:
    assert TEXT in decode_html(TEXT.encode("utf-8"))
    assert TEXT in decode_html(TEXT.encode("gb18030"))


def test_byte_order_marks_decide() -> None:
    assert decode_html(b"\xef\xbb\xbf" + TEXT.encode(), "gbk") == TEXT
    assert decode_html(b"\xff\xfe" + TEXT.encode("utf-16-le")) == TEXT


def test_undecodable_bytes_become_replacement_characters_and_the_declared_codec_keeps_the_rest() -> None:
    page = f'<meta charset="utf-8">{TEXT}'.encode() + b"\xff" + TEXT.encode()
    decoded = decode_html(page)
    assert decoded.count(TEXT) == 2 and "\ufffd" in decoded


NAV = "<li>首页</li><li>政务公开</li><li>政府信息公开目录</li>" * 10  # what every real page prints around the text


@pytest.mark.parametrize("label", ['<meta charset="utf-8">', ""])
def test_a_stray_byte_does_not_unseat_the_charset_that_reads_the_rest(label: str) -> None:
    # \x81A is a GB18030 character and no UTF-8: the first version of this module took the page for GB18030.
    page = f"{label}<title>年度报告</title>".encode() + b"\x81A" + NAV.encode()
    assert "<title>年度报告</title>" in decode_html(page)


def test_a_short_mislabelled_page_is_not_read_in_its_label() -> None:
    page = '<meta charset="utf-8"><p>年报</p>'.encode("gbk")  # UTF-8 reads all but one of its bytes
    assert "年报" in decode_html(page)


def test_labels() -> None:
    assert codec_name("GBK") == codec_name("x-gbk") == codec_name("gb_2312-80") == "gb18030"
    assert codec_name("no-such-charset") is None
    assert candidates(b'<meta charset="latin-1">', "windows-1252") == ["utf-8", "gb18030"]
    assert charset_param('text/html; charset="big5"') == "big5"
    assert charset_param("text/html") is None
