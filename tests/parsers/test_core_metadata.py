"""Metadata extraction: title, agency, year, publication date, region; hints fill gaps only."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.metadata import extract_metadata, find_title, region_of
from parsers.model import Hints


def meta_of(text: str, hints: Hints | None = None, overview: tuple[str, ...] = ()):
    lines = [line for line in text.splitlines() if line.strip()]
    return extract_metadata(lines, len(lines), overview, hints)


@pytest.mark.parametrize(
    ("lines", "title", "agency"),
    [
        (
            ["银川市城市管理局2024年政府信息公开工作年度报告"],
            "银川市城市管理局2024年政府信息公开工作年度报告",
            "银川市城市管理局",
        ),
        (["2022年上海市政府信息公开工作年度报告"], "2022年上海市政府信息公开工作年度报告", "上海市"),
        (
            ["石嘴山市商务局", "2023 年政府信息公开工作年度报告"],
            "石嘴山市商务局2023年政府信息公开工作年度报告",
            "石嘴山市商务局",
        ),
        (
            ["子长市人民政府2023年度政府信息公开工作报告"],
            "子长市人民政府2023年度政府信息公开工作报告",
            "子长市人民政府",
        ),
        (["金统发〔2025〕2号 金昌市统计局 2024年政府信息公开工作年度报告"], None, "金昌市统计局"),
        (["宿州市人民政府2019年政府信息公开工作年度报告（图片版）"], None, "宿州市人民政府"),
        (["2025年政府信息公开工作年度报告"], "2025年政府信息公开工作年度报告", None),
    ],
)
def test_title_forms(lines: list[str], title: str | None, agency: str | None) -> None:
    found_title, found_agency = find_title([line.replace(" ", "") for line in lines])
    assert found_title is not None
    if title:
        assert found_title == title
    assert found_agency == agency


@pytest.mark.parametrize("title", ["石狮市2023年政府信息公开工作年度报告公布情况", "某局2023年法治政府建设年度报告"])
def test_false_titles_rejected(title: str) -> None:
    assert find_title([title]) == (None, None)


def test_agency_from_release_phrase_and_year_from_period() -> None:
    meta = meta_of(
        "政府信息公开工作年度报告\n根据……要求，现发布《白银市平川区发展和改革局 2025 年度政府信息公开工作年度报告》。\n"
        "本报告统计数据从 2025 年 1 月 1 日至 12 月 31 日。"
    )
    assert meta.agency == "白银市平川区发展和改革局"
    assert meta.year == 2025
    assert meta.region == "白银市平川区"


def test_year_from_statistics_period_when_title_has_none() -> None:
    meta = meta_of("某局政府信息公开工作年度报告\n报告中所列数据的统计期限自2020年1月1日起，至2020年12月31日止。")
    assert meta.year == 2020
    assert meta.warnings == []


def test_title_and_period_disagree_is_a_warning() -> None:
    meta = meta_of("某局2021年政府信息公开工作年度报告\n本报告统计数据从2020年1月1日至12月31日。")
    assert meta.year == 2021
    assert any("2020" in w for w in meta.warnings)


def test_published_on_under_the_signature() -> None:
    meta = meta_of("某局2019年政府信息公开工作年度报告\n正文。\n某局\n2020 年 1 月 15 日\n（此件公开发布）")
    assert meta.published_on == dt.date(2020, 1, 15)
    assert meta.warnings == []


def test_published_on_chinese_numerals() -> None:
    meta = meta_of("某局2019年政府信息公开工作年度报告\n正文。\n某局\n二〇二〇年一月二十日")
    assert meta.published_on == dt.date(2020, 1, 20)


def test_hints_only_fill_gaps() -> None:
    hints = Hints(agency="提示局", year=2018, title="提示标题", published_on=dt.date(2019, 1, 2), region="提示")
    printed = meta_of("中卫市商务局2019年度政府信息公开工作报告\n正文。\n2020年1月15日", hints)
    assert (printed.agency, printed.year, printed.published_on) == ("中卫市商务局", 2019, dt.date(2020, 1, 15))
    assert printed.region == "中卫市"
    assert any("hinted year 2018" in w for w in printed.warnings)
    silent = meta_of("没有标题的文字。", hints)
    assert (silent.agency, silent.year, silent.title, silent.region) == ("提示局", 2018, "提示标题", "提示")


def test_year_from_overview_opening_is_flagged() -> None:
    meta = meta_of("政府信息公开工作年度报告", overview=("2019年，市商务局坚持……",))
    assert meta.year == 2019
    assert any("总体情况" in w for w in meta.warnings)


@pytest.mark.parametrize(
    ("agency", "region"),
    [
        ("宁波市江北区统计局", "宁波市江北区"),
        ("银川市城市管理局", "银川市"),
        ("宁夏回族自治区商务厅", "宁夏回族自治区"),
        ("西夏区人民政府办公室", "西夏区"),
        ("国家统计局", None),
        (None, None),
    ],
)
def test_region_of(agency: str | None, region: str | None) -> None:
    assert region_of(agency) == region


# A report that names itself nowhere in a heading (the 平潭综合实验区 case): only its page and its running text do.
UNNAMED_BODY = """2023年政府信息公开工作年度报告
一、总体情况
{opening}
二、主动公开政府信息情况
"""


@pytest.mark.parametrize(
    ("opening", "agency"),
    [
        ("2023年，平潭综合实验区管委会认真贯彻落实《中华人民共和国政府信息公开条例》。", "平潭综合实验区管委会"),
        ("2023年，在区党工委的领导下，平潭综合实验区管委会坚持以公开为常态。", "平潭综合实验区管委会"),
        ("福州市鼓楼区统计局（以下简称“我局”）严格落实《条例》。", "福州市鼓楼区统计局"),
        ("平潭综合实验区管理委员会（以下简称“管委会”）高度重视。", "平潭综合实验区管理委员会"),
        ("本机关（宁波市江北区统计局）2023年主动公开信息120条。", "宁波市江北区统计局"),
        ("现将平潭综合实验区2023年政府信息公开工作情况报告如下。", "平潭综合实验区"),
        ("根据《中华人民共和国政府信息公开条例》，宁波市统计局以公开为常态。", "宁波市统计局"),
        # Names that do not say where they are: the crawler's hint names the agency better.
        ("2023年，市商务局严格落实《条例》。", None),
        ("2023年，我局认真贯彻落实《条例》。", None),
    ],
)
def test_agency_from_the_running_texts_first_self_reference(opening: str, agency: str | None) -> None:
    text = UNNAMED_BODY.format(opening=opening)
    assert meta_of(text, overview=(opening,)).agency == agency
    assert meta_of(text).agency == agency  # the body's first lines, when no 总体情况 was found


def test_agency_from_the_pages_title_and_publisher_when_the_body_names_none() -> None:
    lines = UNNAMED_BODY.format(opening="2023年，平潭综合实验区管委会认真贯彻。").splitlines()
    title = {"title": "平潭综合实验区2023年政府信息公开工作年度报告_平潭综合实验区门户网站"}
    assert extract_metadata(lines, 1, (), None, title).agency == "平潭综合实验区"
    silent = ["2023年政府信息公开工作年度报告", "一、总体情况", "主动公开信息120条。"]
    assert (
        extract_metadata(silent, 1, (), None, {"ContentSource": "平潭综合实验区管委会"}).agency
        == "平潭综合实验区管委会"
    )
    assert extract_metadata(silent, 1, (), None, {"ContentSource": "本网"}).agency is None
    # The body's own title still comes first.
    named = ["石嘴山市商务局2023年政府信息公开工作年度报告", *silent[1:]]
    assert extract_metadata(named, 1, (), None, title).agency == "石嘴山市商务局"


def test_a_page_naming_itself_only_in_its_title_and_running_text() -> None:
    from parsers.dispatch import parse_document

    page = (
        "<html><head><title>平潭综合实验区2023年政府信息公开工作年度报告_平潭综合实验区门户网站</title></head>"
        "<body><h1>2023年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
        "<p>2023年，平潭综合实验区管委会认真贯彻落实《条例》。</p></body></html>"
    )
    report = parse_document(page.encode(), filename="t20240125_1.html", hints=Hints(agency="区管委会", year=2023))
    assert (report.agency, report.year, report.region) == ("平潭综合实验区", 2023, "平潭综合实验区")
    no_title = page.replace("<title>平潭综合实验区2023年政府信息公开工作年度报告_平潭综合实验区门户网站</title>", "")
    assert parse_document(no_title.encode(), filename="t20240125_1.html").agency == "平潭综合实验区管委会"
