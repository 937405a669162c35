"""Hand-written TRS listing markup for the listing tests, written from what real sites print.

Each page carries the chrome real pages do: a long header menu, a 热点 side list and a
相关链接 footer, all holding article links (decoys) that are not the listing's items.
"""

from __future__ import annotations

BASE = "http://www.example.gov.cn/zwgk/bmxxgkml/sczj/xxgknb/"
DECOYS = (
    "/zwgk/tzgg/202601/t20260105_9000001.html",
    "/zwgk/tzgg/202512/t20251220_9000002.shtml",
    "http://www.example.gov.cn/zwgk/bmxxgkml/sfgw/xxgknb/202602/t20260201_9000003.html",
)


def _menu() -> str:
    entries = "".join(f'<li><a href="/col/col{n}/index.html">栏目{n}</a></li>' for n in range(120))
    return f'<div class="header"><div class="nav"><ul>{entries}</ul></div></div>'


def _side() -> str:
    rows = "".join(
        f'<li><a href="{href}">中卫市某局2025年政府信息公开工作年度报告</a><span>2026-01-0{i + 1}</span></li>'
        for i, href in enumerate(DECOYS)
    )
    return f'<div class="side"><h3>热点推荐</h3><ul>{rows}</ul></div>'


def _footer() -> str:
    related = "".join(f'<li><a href="{href}">相关文章</a></li>' for href in DECOYS)
    friends = "".join(f'<a href="http://www.gov{n}.cn/">政府网站{n}</a>' for n in range(80))
    return f'<div class="related"><ul>{related}</ul></div><div class="footer">{friends}<p>主办单位</p></div>'


def wrap(listing: str, pager: str = "") -> str:
    """A full listing page: chrome around `listing`, then `pager`."""
    filler = "<p>" + "政府信息公开是政府工作的重要内容。" * 200 + "</p>"
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>'
        f'{_menu()}<div class="crumb"><a href="/">首页</a>&gt;<a href="{DECOYS[0]}">通知</a></div>'
        f'<div class="main"><div class="right">{listing}{pager}</div>{_side()}</div>{filler}{_footer()}'
        "</body></html>"
    )


ROWS = (
    ("./202009/t20200903_2748784.html", "中卫市财政局2019年政府信息公开工作年度报告", "2020-09-03"),
    (
        "/zwgk/bmxxgkml/sczj/xxgknb/202101/t20210120_2800001.shtml",
        "中卫市财政局2020年政府信息公开工作年度报告",
        "2021-01-20",
    ),
    (
        "http://www.example.gov.cn/zwgk/bmxxgkml/sczj/xxgknb/202201/t20220118_3000002.htm",
        "中卫市财政局2021年政府信息公开工作年度报告",
        "2022-01-18",
    ),
    ("./202301/P020230125391204817733.pdf", "中卫市财政局2022年政府信息公开工作年度报告", "2023-01-25"),
)


def gl_table() -> str:
    rows = "".join(
        f'<tr class="{"odd" if i % 2 else "even"}"><td class="tit"><a href="{h}" target="_blank">{t}</a></td>'
        f'<td class="date">{d}</td></tr>'
        for i, (h, t, d) in enumerate(ROWS)
    )
    return f'<table class="gl_list" width="100%"><tbody><tr><th>标题</th><th>日期</th></tr>{rows}</tbody></table>'


def ul_span_before() -> str:
    rows = "".join(f"<li><span>[{d[:4]}年{d[5:7]}月{d[8:]}日]</span><a href='{h}'>{t}</a></li>" for h, t, d in ROWS)
    return f'<ul class="list">{rows}</ul>'


def xxgkzd_box() -> str:
    rows = "".join(f'<li><a href="{h}">{t}</a><em>{d}</em></li>' for h, t, d in ROWS)
    return f'<div class="xxgkzd-box"><ul>{rows}</ul></div>'


def xxgk_wrap_per_item() -> str:
    return "".join(
        f'<div class="xxgk_wrap"><ul><li class="w60">{i + 1}</li><li class="w383"><a href="{h}">{t}</a></li>'
        f'<li class="w100">{d}</li></ul></div>'
        for i, (h, t, d) in enumerate(ROWS)
    )


def xxgk_list_titled() -> str:
    rows = "".join(f'<li><a href="{h}" title="{t}">{t[:10]}…</a><span>{d}</span></li>' for h, t, d in ROWS)
    return f'<div class="xxgk_list"><ul>{rows}</ul></div>'


DIALECTS = {
    "gl_table": gl_table,
    "ul_span_before": ul_span_before,
    "xxgkzd_box": xxgkzd_box,
    "xxgk_wrap_per_item": xxgk_wrap_per_item,
    "xxgk_list_titled": xxgk_list_titled,
}
