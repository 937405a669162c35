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
    assert split_numbered("三、本年度办理结果(一)予以公开") == ("三、本年度办理结果", "(一)予以公开")
    assert split_numbered("要另行制作3.补正后申请内容仍不明确") == ("要另行制作", "3.补正后申请内容仍不明确")
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


def _scan_by_trying_every_alias(aliases: list[str], text: str) -> tuple[list[tuple[str, int, int]], int]:
    # The definition scan must keep: at each position the longest alias that starts there, else one character on.
    by_length = sorted(aliases, key=len, reverse=True)
    hits, pos, uncovered = [], 0, 0
    while pos < len(text):
        alias = next((a for a in by_length if text.startswith(a, pos)), None)
        if alias is None:
            pos, uncovered = pos + 1, uncovered + 1
            continue
        hits.append((alias, pos, pos + len(alias)))
        pos += len(alias)
    return hits, uncovered


# Aliases that overlap, nest and share prefixes, and characters regexes treat specially.
_ALPHABET = "本年新制作公开数量总计(一).*+?[]|"


@given(st.lists(st.text(_ALPHABET, min_size=1, max_size=6), min_size=1, max_size=8, unique=True), st.text(_ALPHABET))
def test_scan_equals_trying_every_alias_at_every_position(aliases: list[str], text: str) -> None:
    matcher = LabelMatcher((a, a) for a in aliases)
    # The matcher normalises its aliases; the reference gets the same spellings.
    normalized = {normalize_label(a) for a in aliases} - {""}
    hits, uncovered = matcher.scan(text)
    expected_hits, expected_uncovered = _scan_by_trying_every_alias(sorted(normalized), text)
    assert [(text[h.start : h.end], h.start, h.end) for h in hits] == expected_hits
    assert uncovered == expected_uncovered
