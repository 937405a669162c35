"""A page whose charset is only in the HTTP header decodes right in discovery and in the parser."""

from __future__ import annotations

from collections.abc import Callable

from formats.charset import charset_param, decode_html
from parsers.dispatch import parse_document
from parsers.document import Limits
from parsers.html.reader import read_html
from scrapers.discovery import FoundReport, fetch_report_documents
from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec

from .conftest import ScriptedServer, send

TITLE = "寧夏回族自治區人民政府2023年政府資訊公開工作年度報告"
# No <meta charset>: Big5 bytes that neither UTF-8 nor GB18030 decoding gets right.
BIG5_PAGE = (
    f"<html><head><title>{TITLE}</title></head><body><div class='TRS_Editor'><h1>{TITLE}</h1>"
    + "<p>本報告依據《中華人民共和國政府資訊公開條例》編製，統計數據為2023年1月1日至12月31日。</p>" * 5
    + "</div></body></html>"
).encode("big5")


def test_big5_page_served_with_header_charset_reaches_the_parser_intact(
    server: ScriptedServer, make_spec: Callable[..., PortalSpec]
) -> None:
    path = "/202401/t20240120_1.html"
    server.routes[path] = lambda h: send(h, 200, BIG5_PAGE, content_type="text/html; charset=big5")
    report = FoundReport("test", None, 2023, TITLE, server.base_url + path, pages=[server.base_url + path])
    with PoliteClient(make_spec(server.base_url)) as client:
        assert TITLE in client.get(server.base_url + path).text()  # discovery's decoding
        [document] = fetch_report_documents(client, report)
    assert document.media_type == "text/html; charset=big5"
    content = document.result.content or b""
    # What the pipeline hands the parser: the stored bytes and the stored media type.
    page = read_html(content, Limits(), charset=charset_param(document.media_type))
    assert TITLE in page.meta["title"]
    assert any("中華人民共和國政府資訊公開條例" in getattr(block, "text", "") for block in page.blocks)
    # The whole entry point takes the same route (a traditional-script page is no 年报 to it).
    assert parse_document(content, media_type=document.media_type).status == "not_a_report"


def test_the_page_declaration_wins_over_the_header_unless_it_is_a_weak_one() -> None:
    gbk = '<meta charset="gbk"><p>中卫市人民政府</p>'.encode("gb18030")
    assert "中卫市人民政府" in decode_html(gbk, "big5")
    latin1_label = '<meta charset="iso-8859-1"><p>寧夏回族自治區</p>'.encode("big5")
    assert "寧夏回族自治區" in decode_html(latin1_label, "big5")
    assert "寧夏回族自治區" not in decode_html(latin1_label)  # without the header: the old guess
