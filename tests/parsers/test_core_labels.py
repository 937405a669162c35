"""Label normalisation and matching."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from parsers.labels import LabelMatcher, normalize_label, split_numbered, strip_numbering

MATCHER = LabelMatcher(
    [
        ("属于国家秘密", "secret"),
        ("没有现成信息需要另行制作", "creation"),
        ("属于行政查询事项", "inquiry"),
        ("部分公开", "partly"),
        ("总计", "total"),
        ("信息内容", None),
    ]
)


def test_normalize_unifies_forms() -> None:
    assert normalize_label("（三）不予 公开") == "(三)不予公开"
    assert normalize_label("1、属于国家秘密") == normalize_label("1．属于国家秘密") == "1.属于国家秘密"
    assert normalize_label("３．危及“三安全一稳定”") == "3.危及三安全一稳定"
    assert normalize_label("一．总体情况") == "一、总体情况"
    assert normalize_label("商业\n企业") == "商业企业"
    assert normalize_label("规章①") == "规章"
    assert normalize_label("行政许可*") == "行政许可"


def test_split_and_strip_numbering() -> None:
    assert split_numbered("三、本年度办理结果(一)予以公开") == ["三、本年度办理结果", "(一)予以公开"]
    assert split_numbered("要另行制作3.补正后申请内容仍不明确") == ["要另行制作", "3.补正后申请内容仍不明确"]
    assert strip_numbering("(七)总计") == ("(七)", "总计")
    assert strip_numbering("总计") == ("", "总计")


def test_match_modes() -> None:
    assert MATCHER.match("属于国家秘密") == (True, "secret")  # exact
    assert MATCHER.match("部分公开(区分处理的,只计这一情形,不计其他情形)") == (True, "partly")  # contained
    assert MATCHER.match("没有现成信息需") == (True, "creation")  # cut at a line break
    assert MATCHER.match("属于行政査询事项") == (True, "inquiry")  # typo 査
    assert MATCHER.match("信息内容") == (True, None)  # a known decoy


def test_short_labels_match_only_exactly() -> None:
    assert MATCHER.match("总计") == (True, "total")
    assert MATCHER.match("合计总计表") == (False, None)
    assert MATCHER.match("要另行制作") == (False, None)


def test_scan_finds_several_labels_and_counts_the_rest() -> None:
    matcher = LabelMatcher([("本年新制作数量", "made"), ("本年新公开数量", "published"), ("信息内容", None)])
    hits, uncovered = matcher.scan("信息内容本年新制作数量本年新公开数量")
    assert [h.key for h in hits] == [None, "made", "published"]
    assert uncovered == 0
    assert matcher.scan("行政许可")[1] == 4


@given(st.text(max_size=40))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_label(text)
    assert normalize_label(once) == once
