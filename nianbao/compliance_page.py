"""The compliance view as one self-contained HTML page: no CDN, no file beside it (people open it offline).

A chart of agencies by status per year (inline SVG), the table with sorting and filtering (a little inline
JavaScript; without it the table is still all there), and the failed checks with the cells involved.
Every text from the database goes through `html.escape`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from html import escape
from typing import Final

from db.compliance import STATUS_LABELS, STATUSES, ComplianceRow, year_counts

# One colour per status, also the legend's; tests read these pixels off a screenshot.
COLOURS: Final = {
    "on_time": "#2e7d32",
    "undated": "#7b1fa2",
    "late": "#ef6c00",
    "not_collected": "#757575",
    "not_published": "#c62828",
}
BAR_WIDTH: Final = 640  # pixels of the widest year's bar
BAR_HEIGHT: Final = 28
LABEL_WIDTH: Final = 60
COLUMNS: Final = (  # (key, heading, sort type)
    ("agency", "Agency", "text"),
    ("year", "Year", "number"),
    ("status", "Status", "text"),
    ("published_on", "Published", "text"),
    ("days_late", "Days late", "number"),
    ("template", "Template", "text"),
    ("checks", "Checks", "text"),
    ("reading", "Read from", "text"),
    ("source", "Source", "text"),
    ("portal", "Portal", "text"),
)


def render_page(rows: Sequence[ComplianceRow], title: str, generated: dt.datetime | None = None) -> str:
    """The whole page for `rows` (one or more portals)."""
    when = (generated or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    years = sorted({r.year for r in rows})
    parts = [
        _HEAD.format(title=escape(title)),
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{len({(r.portal_id, r.agency) for r in rows})} agencies, {len(years)} years; '
        f"deadline 31 January of the following year (31 March for people's governments); generated {when}.</p>",
        "<h2>Agencies by status per year</h2>",
        chart(rows),
        counts_table(rows),
        "<h2>Agencies</h2>",
        _filters(years, sorted({r.portal_id for r in rows})),
        _table(rows),
        "<h2>Failed consistency checks</h2>",
        _failed_checks(rows),
        f"<script>{_SCRIPT}</script>",
        "</body></html>",
    ]
    return "\n".join(parts)


def chart(rows: Sequence[ComplianceRow]) -> str:
    """A horizontal bar per year, its segments the agencies in each status, widths proportional to counts."""
    counts = year_counts(rows)
    widest = max((sum(c.values()) for c in counts.values()), default=0) or 1
    height = BAR_HEIGHT * 1.5 * len(counts) + 10
    out = [f'<svg id="chart" xmlns="http://www.w3.org/2000/svg" width="{LABEL_WIDTH + BAR_WIDTH + 20}" '
           f'height="{height:.0f}" role="img" aria-label="agencies by status per year">']  # fmt: skip
    for i, (year, by_status) in enumerate(counts.items()):
        y = 10 + i * BAR_HEIGHT * 1.5
        out.append(f'<text x="0" y="{y + BAR_HEIGHT * 0.7:.0f}" class="year">{year}</text>')
        x = float(LABEL_WIDTH)
        for status in STATUSES:
            n = by_status[status]
            if not n:
                continue
            w = BAR_WIDTH * n / widest
            out.append(
                f'<rect class="bar" data-year="{year}" data-status="{status}" data-count="{n}" x="{x:.1f}" '
                f'y="{y:.0f}" width="{w:.1f}" height="{BAR_HEIGHT}" fill="{COLOURS[status]}">'
                f"<title>{year}: {n} {STATUS_LABELS[status]}</title></rect>"
            )
            if w >= 18:
                out.append(f'<text x="{x + w / 2:.1f}" y="{y + BAR_HEIGHT * 0.7:.0f}" class="count">{n}</text>')
            x += w
    out.append("</svg>")
    legend = "".join(f'<span><i style="background:{COLOURS[s]}"></i>{STATUS_LABELS[s]}</span>' for s in STATUSES)
    return "\n".join(out) + f'\n<div class="legend">{legend}</div>'


def counts_table(rows: Sequence[ComplianceRow]) -> str:
    """The chart's numbers, for reading and copying."""
    head = "".join(f"<th>{STATUS_LABELS[s]}</th>" for s in STATUSES)
    body = "".join(
        f"<tr><td>{year}</td>{''.join(f'<td class=num>{by[s]}</td>' for s in STATUSES)}"
        f"<td class=num>{sum(by.values())}</td></tr>"
        for year, by in year_counts(rows).items()
    )
    head = f"<thead><tr><th>Year</th>{head}<th>agencies</th></tr></thead>"
    return f'<table id="counts">{head}<tbody>{body}</tbody></table>'


def _filters(years: list[int], portals: list[str]) -> str:
    statuses = "".join(f'<option value="{s}">{STATUS_LABELS[s]}</option>' for s in STATUSES)
    year_options = "".join(f'<option value="{y}">{y}</option>' for y in years)
    portal_options = "".join(f'<option value="{escape(p)}">{escape(p)}</option>' for p in portals)
    return (
        '<div class="filters"><label>Agency <input id="filter-text" type="search" placeholder="name contains…"></label>'
        f'<label>Status <select id="filter-status"><option value="">any</option>{statuses}</select></label>'
        f'<label>Year <select id="filter-year"><option value="">any</option>{year_options}</select></label>'
        f'<label>Portal <select id="filter-portal"><option value="">any</option>{portal_options}</select></label>'
        '<label><input id="filter-failed" type="checkbox"> failed checks only</label>'
        '<span id="shown"></span></div>'
    )


def _table(rows: Sequence[ComplianceRow]) -> str:
    head = "".join(f'<th data-key="{k}" data-type="{t}" tabindex="0">{h}</th>' for k, h, t in COLUMNS)
    body = "\n".join(_table_row(r) for r in rows)
    return f'<table id="agencies"><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>'


def _table_row(r: ComplianceRow) -> str:
    agency = escape(r.agency) + "".join(f'<div class="note">{escape(n)}</div>' for n in r.notes)
    # Only web links: a URL a portal printed is not trusted to be one (javascript: would run on click).
    web = r.source_url and r.source_url.lower().startswith(("http://", "https://"))
    link = f'<a href="{escape(r.source_url or "")}">source</a>' if web else escape(r.source_url or "")
    checks = escape(r.checks) if not r.failed_checks else (
        f'<a href="#{_anchor(r)}">failed: {escape(", ".join(sorted({c.rule for c in r.failed_checks})))}</a>'
    )  # fmt: skip
    cells = [
        (r.agency, agency),
        (str(r.year), str(r.year)),
        (r.status, f'<span class="status {r.status}">{escape(r.status_label)}</span>'),
        (r.published_on.isoformat() if r.published_on else "", r.published_on.isoformat() if r.published_on else "–"),
        (str(r.days_late if r.days_late is not None else -1), str(r.days_late) if r.days_late is not None else ""),
        (r.template, escape(r.template) + (f" ({escape(r.generation)})" if r.generation else "")),
        (r.checks, checks),
        (r.reading, escape(r.reading)),
        (r.source_url or "", link),
        (r.portal_id, escape(r.portal_id)),
    ]
    tds = "".join(f'<td data-sort="{escape(sort)}">{shown}</td>' for sort, shown in cells)
    return (f'<tr data-agency="{escape(r.agency)}" data-portal="{escape(r.portal_id)}" data-status="{r.status}" '
            f'data-year="{r.year}" data-failed="{int(bool(r.failed_checks))}">{tds}</tr>')  # fmt: skip


def _anchor(r: ComplianceRow) -> str:
    """A stable id per report: the same database gives the same page."""
    digest = hashlib.sha1(f"{r.portal_id}\0{r.agency}\0{r.year}".encode(), usedforsecurity=False).hexdigest()
    return f"check-{digest[:12]}"


def _failed_checks(rows: Sequence[ComplianceRow]) -> str:
    failed = [r for r in rows if r.failed_checks]
    if not failed:
        return '<p id="no-failed">No report failed a consistency check.</p>'
    out = []
    for r in failed:
        out.append(f'<section class="failed" id="{_anchor(r)}"><h3>{escape(r.agency)} {r.year}</h3>')
        for check in r.failed_checks:
            cells = "".join(
                f"<tr><td><code>{escape(c.key)}</code></td><td>{escape(c.label)}</td>"
                f'<td class="num">{"blank (0)" if c.value is None else escape(format(c.value.normalize(), "f"))}'
                "</td></tr>"
                for c in check.cells
            )
            out.append(
                f'<div class="check"><p><b>{escape(check.rule)}</b> {escape(check.detail)}</p>'
                f'<table class="cells"><thead><tr><th>cell</th><th>printed as</th><th>value</th></tr></thead>'
                f"<tbody>{cells}</tbody></table></div>"
            )
        out.append("</section>")
    return "\n".join(out)


_HEAD = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }}
body {{ margin: 1.5em; color: #222; }}
h1 {{ font-size: 1.4em; }} h2 {{ font-size: 1.15em; margin-top: 1.6em; }}
.meta {{ color: #555; }}
svg text {{ font-size: 13px; fill: #222; }} svg text.count {{ fill: #fff; text-anchor: middle; font-weight: bold; }}
.filters {{ display: flex; gap: 1.2em; align-items: center; margin: .6em 0; flex-wrap: wrap; }}
table {{ border-collapse: collapse; }} td, th {{ border-bottom: 1px solid #ddd; padding: .3em .6em; text-align: left; }}
th[data-key] {{ cursor: pointer; background: #f3f3f3; user-select: none; }}
th[aria-sort="ascending"]::after {{ content: " ▲"; }} th[aria-sort="descending"]::after {{ content: " ▼"; }}
.status {{ padding: .1em .4em; border-radius: 3px; color: #fff; white-space: nowrap; }}
.on_time {{ background: #2e7d32; }} .undated {{ background: #7b1fa2; }} .late {{ background: #ef6c00; }}
.not_collected {{ background: #757575; }} .not_published {{ background: #c62828; }}
.legend {{ display: flex; gap: 1.4em; margin: 0 0 .8em 60px; font-size: 13px; }}
.legend i {{ display: inline-block; width: 12px; height: 12px; margin-right: .4em; vertical-align: -1px; }}
.note {{ color: #666; font-size: .85em; }} .num {{ text-align: right; }}
section.failed {{ border-left: 4px solid #c62828; padding-left: .8em; margin: 1em 0; }}
table.cells td {{ font-size: .9em; }}
</style></head><body>"""

# Sorting compares data-sort values (numbers as numbers); filters hide rows. No library: the page is offline.
_SCRIPT = """
(() => {
  const table = document.getElementById('agencies');
  const body = table.tBodies[0];
  const heads = [...table.tHead.rows[0].cells];
  const text = document.getElementById('filter-text');
  const status = document.getElementById('filter-status');
  const year = document.getElementById('filter-year');
  const portal = document.getElementById('filter-portal');
  const failed = document.getElementById('filter-failed');
  const shown = document.getElementById('shown');
  function sortBy(th) {
    const i = heads.indexOf(th);
    const asc = th.getAttribute('aria-sort') !== 'ascending';
    const num = th.dataset.type === 'number';
    const key = row => row.cells[i].dataset.sort;
    const rows = [...body.rows].sort((a, b) => {
      const d = num ? Number(key(a)) - Number(key(b)) : key(a).localeCompare(key(b), 'zh-CN');
      return asc ? d : -d;
    });
    heads.forEach(h => h.removeAttribute('aria-sort'));
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    body.append(...rows);
  }
  function filter() {
    const q = text.value.trim();
    let n = 0;
    for (const row of body.rows) {
      const d = row.dataset;
      const ok = (!q || d.agency.includes(q)) && (!status.value || d.status === status.value)
        && (!year.value || d.year === year.value) && (!portal.value || d.portal === portal.value)
        && (!failed.checked || d.failed === '1');
      row.hidden = !ok;
      n += ok;
    }
    shown.textContent = `${n} of ${body.rows.length} shown`;
  }
  heads.forEach(th => {
    th.addEventListener('click', () => sortBy(th));
    th.addEventListener('keydown', e => { if (e.key === 'Enter') sortBy(th); });
  });
  [text, status, year, portal, failed].forEach(el => el.addEventListener('input', filter));
  filter();
})();
"""
