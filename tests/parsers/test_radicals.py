"""CJK radicals in a document's text read as the ideographs they look like (parsers.radicals)."""

from __future__ import annotations

from parsers.dispatch import parse_document
from parsers.radicals import _TABLE, unify
from reportgen.corpus import corpus
from reportgen.html import render_article_html

# The ideographs Chromium's and pdfminer's glyph maps are seen to give as radicals.
LOOK_ALIKES = {"人": "⼈", "民": "⺠", "工": "⼯", "首": "⾸", "页": "⻚", "门": "⻔", "自": "⾃", "一": "⼀"}


def as_radicals(text: str) -> str:
    return text.translate(str.maketrans(LOOK_ALIKES))


def test_radicals_of_both_blocks_become_ideographs() -> None:
    assert unify("中卫市⼈⺠政府⾸⻚>部⻔信息公开") == "中卫市人民政府首页>部门信息公开"
    assert unify("⼾籍") == "户籍"  # the Simplified Chinese face draws ⼾ as 户, not NFKC's 戶
    assert unify("政府信息公开（一）") == "政府信息公开（一）"  # text without radicals is left alone


def test_every_kangxi_radical_is_mapped() -> None:
    assert all(cp in _TABLE for cp in range(0x2F00, 0x2FD6))
    assert all(ord(v) >= 0x3400 for v in _TABLE.values())  # only to ideographs, never to a radical


def test_a_report_printed_with_radicals_reads_like_the_original() -> None:
    truth = next(t for t in corpus(3, 20) if "人民" in t.agency or "人" in t.agency)
    page = render_article_html(truth)
    report = parse_document(as_radicals(page).encode(), filename="t20240125_1.html")
    assert report.agency == truth.agency
    assert report.title == truth.title
    assert report.cells == truth.cells
