"""The report as an ordered list of blocks, shared by every renderer.

Title, intro with the statistics period, the six sections (heading, text, table) and
the signature with the date: the order and wording of a real report, decided once.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.layout import Grid, grids
from reportgen.style import RenderStyle, chinese_date, style_of
from reportgen.truth import ReportTruth

SECTION_ORDER = ("overview", "proactive", "applications", "review_litigation", "problems", "other")

_FORMAT_NOTICE = {
    "2019": "国办公开办函〔2019〕60号",
    "2021": "国办公开办函〔2021〕30号",
}


@dataclass(frozen=True)
class Title:
    """The report title, on one or two printed lines."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class Heading:
    """A section heading such as 一、总体情况."""

    text: str
    section: str


@dataclass(frozen=True)
class Paragraph:
    """Running text; signature lines are right-aligned."""

    text: str
    align: str = "justify"


@dataclass(frozen=True)
class Table:
    """One of the three template tables."""

    grid: Grid


Block = Title | Heading | Paragraph | Table


def intro_text(truth: ReportTruth) -> str:
    """The opening paragraph, carrying the 本报告统计数据从…至… period phrase."""
    return (
        "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定和《国务院办公厅政府信息与政务公开办公室"
        "关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
        f"（{_FORMAT_NOTICE[truth.generation]}）要求，现发布《{truth.title}》，"
        f"本报告统计数据从{truth.year}年1月1日至12月31日。"
    )


def title_lines(truth: ReportTruth, style: RenderStyle) -> tuple[str, ...]:
    """The title as printed: agency on its own line in some reports."""
    if style.title_on_two_lines and truth.title.startswith(truth.agency):
        return (truth.agency, truth.title.removeprefix(truth.agency))
    return (truth.title,)


def _section_blocks(truth: ReportTruth, key: str, style: RenderStyle, tables: dict[str, Grid]) -> list[Block]:
    blocks: list[Block] = [Heading(style.headings[key], key)]
    blocks += [Paragraph(p) for p in truth.sections.get(key, "").split("\n") if p.strip()]
    if key in tables:
        blocks.append(Table(tables[key]))
    return blocks


def outline(truth: ReportTruth, style: RenderStyle | None = None) -> list[Block]:
    """Every block of the report, in print order."""
    style = style or style_of(truth)
    tables = grids(truth, thousands=style.thousands)
    blocks: list[Block] = [Title(title_lines(truth, style)), Paragraph(intro_text(truth))]
    for key in SECTION_ORDER:
        blocks += _section_blocks(truth, key, style, tables)
    blocks += [Paragraph(truth.agency, "right"), Paragraph(chinese_date(truth.published_on), "right")]
    return blocks
