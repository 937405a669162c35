"""The Hanweb layout of a replica plan: column/unit/site ids, article and file URLs, templates.

The TRS planner (replica.planner) decides the world: departments, reports, their truths and
revisions. `hanweb_layout` re-homes that world on a Hanweb jcms site: every column becomes
`/col/col<ID>/index.html` with a jpage unit, every article `/art/Y/M/D/art_<col>_<id>.html`
(or `art_<32 hex>.html`), every upload a `downfile.jsp` or `/picture/` link. Everything is drawn
from a generator seeded by the site seed alone, so every revision has the same URLs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field
from typing import Final, Literal

from replica.plan import Article, Attachment, Column, Department, Report
from replica.planner import SitePlan

# How a listing's page says which column, unit and site its records come from.
ParamStyle = Literal["param_script", "ajax_param", "nextgroup_url"]
PARAM_STYLES: Final[tuple[ParamStyle, ...]] = ("param_script", "ajax_param", "nextgroup_url")
# How one record (the CDATA of a <record>) prints its item.
RecordDialect = Literal["li_span", "li_titled", "table_row"]
RECORD_DIALECTS: Final[tuple[RecordDialect, ...]] = ("li_span", "li_titled", "table_row")
# How an article page prints its title, date, publisher and files (replica.hanweb.articles).
HanwebDialect = Literal["jcms_meta", "xxgk_table", "h1_plain"]
HANWEB_DIALECTS: Final[tuple[HanwebDialect, ...]] = ("jcms_meta", "xxgk_table", "h1_plain")
FileLinks = Literal["downfile", "picture"]

WEBSITE_ID: Final = "640500000000000"  # the jsearchfront websiteid (Jiangsu style: region code + zeros)
MAIN_WEBID: Final = 1
SITE_NAME: Final = "中卫市人民政府"
DATAPROXY: Final = "/module/web/jpage/dataproxy.jsp"
LEGACY_DATAPROXY: Final = "/module/jpage/dataproxy.jsp"
DOWNFILE: Final = "/module/download/downfile.jsp"
# Flags that describe TRS markup the Hanweb site does not print (continuation pages, year folders).
_TRS_ONLY_FLAGS: Final = frozenset({"split", "split_script", "year_folder_mismatch"})


@dataclass
class HanwebColumn:
    """A jpage listing column: its ids, page size, templates and the entries it lists (newest first)."""

    column_id: int
    unit_id: int
    web_id: int
    webname: str
    name: str
    per_page: int
    group_size: int  # pages one dataproxy request answers (jpage's groupSize)
    initial_group: bool  # the column page carries the first group (else only the first page)
    param_style: ParamStyle
    record_dialect: RecordDialect
    department: Department | None
    entries: list[Report | Article] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"/col/col{self.column_id}/index.html"

    @property
    def initial_records(self) -> int:
        size = self.per_page * (self.group_size if self.initial_group else 1)
        return min(size, len(self.entries))

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self.entries) // self.per_page))

    def static_page(self, number: int) -> str:
        """`index.html?uid=<unitid>&pageNum=N`: page N rendered by the server (N >= 2)."""
        return f"{self.path}?uid={self.unit_id}&pageNum={number}"

    def page_records(self, number: int) -> tuple[int, int]:
        """The 1-based record range the column page `number` carries (page 1: the initial group)."""
        if number == 1:
            return 1, self.initial_records
        start = (number - 1) * self.per_page + 1
        return start, min(start + self.per_page - 1, len(self.entries))


@dataclass
class HanwebDepartment:
    """A department's 信息公开 home page (a column page of links) and its five listing columns."""

    department: Department
    home_id: int
    web_id: int
    webname: str
    columns: list[HanwebColumn]  # guide, rules, content, 年报, 依申请公开: the order the home lists them
    report_column: HanwebColumn
    article_dialect: HanwebDialect
    file_links: FileLinks
    hex_articles: bool

    @property
    def home(self) -> str:
        return f"/col/col{self.home_id}/index.html"


@dataclass
class Layout:
    """The Hanweb site's shape; the plan's reports and articles carry its URLs after `hanweb_layout`."""

    zwgk_id: int  # 政府信息公开 page
    catalogue_id: int  # 部门信息公开 page
    city: HanwebColumn
    departments: list[HanwebDepartment]
    search_only: str | None  # the id of the report no listing links
    dialects: dict[str, HanwebDialect]  # report or article id -> article dialect
    legacy_dataproxy: bool = False

    @property
    def columns(self) -> list[HanwebColumn]:
        return [self.city, *(c for d in self.departments for c in d.columns)]

    @property
    def dataproxy(self) -> str:
        return LEGACY_DATAPROXY if self.legacy_dataproxy else DATAPROXY

    def column(self, column_id: int) -> HanwebColumn | None:
        return next((c for c in self.columns if c.column_id == column_id), None)

    def owner(self, column: HanwebColumn) -> HanwebDepartment | None:
        """The department `column` belongs to (None for the city's 年报 column)."""
        return next((d for d in self.departments if column in d.columns), None)


class _Ids:
    """Increasing opaque ids, like jcms's column and unit ids."""

    def __init__(self, rng: random.Random, start: int, step: int) -> None:
        self._rng, self._next, self._step = rng, start, step

    def take(self) -> int:
        value = self._next
        self._next += self._rng.randint(1, self._step)
        return value


def _column(rng: random.Random, ids: tuple[_Ids, _Ids], source: Column, index: int, where: tuple[int, str],
            dept: Department | None) -> HanwebColumn:  # fmt: skip
    columns, units = ids
    web_id, webname = where
    return HanwebColumn(
        column_id=columns.take(),
        unit_id=units.take(),
        web_id=web_id,
        webname=webname,
        name=source.name,
        per_page=rng.choice((3, 4, 5)) if dept else 4,
        group_size=rng.choice((1, 2, 3)),
        initial_group=index % 3 != 2,
        param_style=PARAM_STYLES[index % len(PARAM_STYLES)],
        record_dialect=RECORD_DIALECTS[index % len(RECORD_DIALECTS)],
        department=dept,
    )


def _department(rng: random.Random, ids: tuple[_Ids, _Ids], dept: Department, index: int) -> HanwebDepartment:
    # A third of the departments run a sub-site of their own (own webid and webname).
    own = index % 3 == 1
    where = (MAIN_WEBID + 40 + index, dept.name) if own else (MAIN_WEBID, SITE_NAME)
    home_id = ids[0].take()
    others = [_column(rng, ids, c, index, where, dept) for c in dept.other_columns]
    report = _column(rng, ids, dept.report_column, index, where, dept)
    return HanwebDepartment(
        department=dept,
        home_id=home_id,
        web_id=where[0],
        webname=where[1],
        columns=[*others[:3], report, others[3]],
        report_column=report,
        article_dialect=HANWEB_DIALECTS[index % len(HANWEB_DIALECTS)],
        file_links="downfile" if index % 2 == 0 else "picture",
        hex_articles=index % 4 == 3,
    )


def _art_path(seed: int, entry: Report | Article, column_id: int, hex_name: bool) -> str:
    day = entry.published.date()
    if hex_name:
        name = hashlib.sha256(f"hanweb-art|{seed}|{entry.id}".encode()).hexdigest()[:32]
    else:
        assert entry.docid is not None
        name = f"{column_id}_{entry.docid + 10_000_000}"
    return f"/art/{day.year}/{day.month}/{day.day}/art_{name}.html"


def upload_name(rng: random.Random, day: dt.date, ext: str) -> str:
    """`2401251030457291523.pdf`: upload date and time (yyMMddHHmmss) and seven digits."""
    clock = f"{rng.randint(8, 18):02d}{rng.randint(0, 59):02d}{rng.randint(0, 59):02d}"
    return f"{day:%y%m%d}{clock}{rng.randrange(10**7):07d}.{ext}"


def file_url(name: str, links: FileLinks, web_id: int) -> str:
    if links == "downfile":
        return f"{DOWNFILE}?classid=0&filename={name}"
    return f"/picture/{web_id}/{name}"


def _files(seed: int, report: Report, links: FileLinks, web_id: int) -> list[Attachment]:
    rng = random.Random(f"hanweb-files|{seed}|{report.id}")
    out = []
    for attachment in report.attachments:
        ext = attachment.path.rsplit(".", 1)[-1]
        name = upload_name(rng, report.published.date(), ext)
        # An embedded image is an <img>, never a download link.
        url = file_url(name, "picture" if attachment.embedded else links, web_id)
        out.append(Attachment(url, attachment.kind, attachment.title, embedded=attachment.embedded))
    return out


def crumb_of(layout: Layout, hdept: HanwebDepartment | None, column: HanwebColumn) -> tuple[tuple[str, str], ...]:
    head = (("/index.html", "首页"), (f"/col/col{layout.zwgk_id}/index.html", "政府信息公开"))
    if hdept is None:
        return (*head, (column.path, column.name))
    catalogue = (f"/col/col{layout.catalogue_id}/index.html", "部门信息公开")
    return (*head, catalogue, (hdept.home, hdept.department.name), (column.path, column.name))


def _search_only(rng: random.Random, plan: SitePlan) -> Report | None:
    """One plain department report that no listing links: only the site search finds it."""
    plain = [r for r in plan.reports if r.department and r.variant == "html" and not r.flags and not r.onclick]
    return rng.choice(sorted(plain, key=lambda r: r.id)) if plain else None


def hanweb_layout(plan: SitePlan, *, legacy_dataproxy: bool = False) -> Layout:
    """Lay `plan` out as a Hanweb site, rewriting its reports' and articles' URLs in place."""
    rng = random.Random(f"hanweb-structure|{plan.seed}")
    ids = (_Ids(rng, rng.randint(30_000, 70_000), 40), _Ids(rng, rng.randint(400_000, 4_500_000), 900))
    zwgk_id, catalogue_id = ids[0].take(), ids[0].take()
    city = _column(rng, ids, plan.city, 0, (MAIN_WEBID, SITE_NAME), None)
    city.per_page, city.param_style, city.record_dialect = 5, "param_script", "li_span"
    depts = [_department(rng, ids, d, i) for i, d in enumerate(plan.departments)]
    hidden = _search_only(rng, plan)
    layout = Layout(zwgk_id, catalogue_id, city, depts, hidden.id if hidden else None, {}, legacy_dataproxy)
    _place(plan, layout)
    return layout


def _place(plan: SitePlan, layout: Layout) -> None:
    """Move every report and article to its Hanweb column and give it Hanweb URLs."""
    by_trs: dict[str, tuple[HanwebColumn, HanwebDepartment | None]] = {plan.city.path: (layout.city, None)}
    for placed in layout.departments:
        dept = placed.department
        sources = [*dept.other_columns[:3], dept.report_column, dept.other_columns[3]]
        by_trs |= {source.path: (column, placed) for source, column in zip(sources, placed.columns, strict=True)}
    for source in plan.columns:
        column, hdept = by_trs[source.path]
        dialect = hdept.article_dialect if hdept else "jcms_meta"
        for entry in source.entries:
            layout.dialects[entry.id] = dialect
            if entry.id != layout.search_only:
                column.entries.append(entry)
            _rehome(plan.seed, entry, column, hdept, layout)


def _rehome(seed: int, entry: Report | Article, column: HanwebColumn, hdept: HanwebDepartment | None,
            layout: Layout) -> None:  # fmt: skip
    hex_name = hdept is not None and hdept.hex_articles
    entry.onclick = False  # jpage records are plain links
    if isinstance(entry, Article):
        entry.path = _art_path(seed, entry, column.column_id, hex_name)
        entry.column = column.path
        return
    entry.column = column.path
    entry.folder = ""
    entry.continuation = None
    entry.flags -= _TRS_ONLY_FLAGS
    entry.breadcrumb = crumb_of(layout, hdept, column)
    entry.attachments = _files(seed, entry, hdept.file_links if hdept else "downfile", column.web_id)
    entry.article = None if entry.variant == "pdf_only" else _art_path(seed, entry, column.column_id, hex_name)
