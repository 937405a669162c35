"""Pages that are not annual reports: false positives in the 年报 columns, and the
ordinary content of the other department columns (guide, rules, budgets).

False positives are the titles of portals.md §5 that a naive "年度报告" match takes
for a report: 公布情况, 法治政府建设年度报告, 政务公开工作要点, 信息公开指南.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Final

from replica.naming import article_name, month_folder
from replica.plan import Article, Column, Department

_TEXTS: Final[dict[str, tuple[str, ...]]] = {
    "guide": (
        "为进一步做好政府信息公开工作，方便公民、法人和其他组织获取政府信息，根据《中华人民共和国政府信息公开条例》，编制本指南。",
        "本机关主动公开的政府信息，通过政府网站、政务新媒体等渠道予以公开。申请人可通过当面、邮寄、网络等方式提出政府信息公开申请。",
    ),
    "rules": (
        "为规范政府信息公开工作，根据《中华人民共和国政府信息公开条例》，结合工作实际，制定本制度。",
        "本制度自印发之日起施行。",
    ),
    "budget": ("现将本部门预算（决算）情况予以公开，具体内容详见附表。",),
    "fazhi": (
        "一年来，本机关深入学习贯彻习近平法治思想，全面推进法治政府建设，现将有关情况报告如下。",
        "一、主要举措和成效。二、存在的不足和原因。三、下一步工作安排。",
    ),
    "yaodian": (
        "为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，结合本地实际，制定本要点。",
        "一、加强政策解读。二、深化重点领域信息公开。三、规范依申请公开办理。",
    ),
    "gongbu": (
        "根据《中华人民共和国政府信息公开条例》规定，全市各部门已按时在政府网站公布政府信息公开工作年度报告，现将公布情况通报如下。",
        "截至1月31日，市直各部门均已完成年度报告的编制和公布工作。",
    ),
}


def _when(rng: random.Random, year: int, months: tuple[int, int]) -> dt.datetime:
    month = rng.randint(*months)
    return dt.datetime(year, month, rng.randint(1, 28), rng.randint(8, 17), rng.randint(0, 59))


def _article(ident: str, title: str, source: str, column: Column, when: dt.datetime, kind: str) -> Article:
    fp = kind in ("fazhi", "yaodian", "gongbu") or (kind == "guide" and column.name == "政府信息公开年报")
    return Article(ident, title, source, column.path, when, _TEXTS[kind], false_positive=fp)


def department_articles(rng: random.Random, dept: Department, years: range) -> list[Article]:
    """The guide, rules and budget pages of the other columns, and 0-2 false positives."""
    guide, rules, content, _ = dept.other_columns
    stem, last, first = dept.slug.split("_")[0], years[-1], years[0]
    name = dept.name
    items = [
        _article(f"{stem}-guide", f"{name}政府信息公开指南", name, guide, _when(rng, first + 1, (2, 6)), "guide"),
        _article(f"{stem}-rules", f"{name}政府信息公开工作制度", name, rules, _when(rng, first + 1, (3, 9)), "rules"),
        _article(f"{stem}-budget-{last}", f"{name}{last}年部门预算公开", name, content,
                 _when(rng, last, (2, 2)), "budget"),
        _article(f"{stem}-final-{last - 1}", f"{name}{last - 1}年部门决算公开", name, content,
                 _when(rng, last, (8, 9)), "budget"),
    ]  # fmt: skip
    return items + _false_positives(rng, dept, years)


def _false_positives(rng: random.Random, dept: Department, years: range) -> list[Article]:
    stem, column, year = dept.slug.split("_")[0], dept.report_column, rng.choice(years)
    candidates = [
        _article(f"{stem}-fazhi-{year}", f"{dept.name}{year}年法治政府建设年度报告", dept.name, column,
                 _when(rng, year + 1, (2, 3)), "fazhi"),
        _article(f"{stem}-yaodian-{year + 1}", f"{dept.name}{year + 1}年政务公开工作要点", dept.name, column,
                 _when(rng, year + 1, (3, 4)), "yaodian"),
        _article(f"{stem}-guide-nb", f"{dept.name}政府信息公开指南", dept.name, column,
                 _when(rng, years[0] + 1, (4, 6)), "guide"),
    ]  # fmt: skip
    return rng.sample(candidates, k=rng.choice((0, 1, 1, 2)))


def ensure_each_false_positive(rng: random.Random, departments: list[Department], articles: list[Article],
                               years: range) -> list[Article]:  # fmt: skip
    """Add the missing kinds of false positive to random departments so each occurs once."""
    present = {a.id.split("-")[1] for a in articles if a.false_positive}
    added = []
    for dept in rng.sample(departments, k=min(3, len(departments))):
        for extra in _false_positives(random.Random(f"fp|{dept.slug}"), dept, years):
            kind = extra.id.split("-")[1]
            if kind not in present:
                present.add(kind)
                added.append(extra)
    return added


def city_articles(rng: random.Random, column: Column, years: range) -> list[Article]:
    """The city column's false positives: 公布情况 and 政务公开工作要点."""
    last, office = years[-1], "中卫市人民政府办公室"
    return [
        _article(f"zws-gongbu-{last - 1}", f"中卫市{last - 1}年政府信息公开工作年度报告公布情况", office,
                 column, _when(rng, last, (4, 4)), "gongbu"),
        _article(f"zws-yaodian-{last}", f"中卫市{last}年政务公开工作要点", office,
                 column, _when(rng, last, (4, 5)), "yaodian"),
    ]  # fmt: skip


def place_article(article: Article, ext: str = "html") -> None:
    """Set the article's path from its column, publication month, docid and the column's extension."""
    assert article.docid is not None
    day = article.published.date()
    article.path = article.column + month_folder(day) + article_name(day, article.docid, ext=ext)
