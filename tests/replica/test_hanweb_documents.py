"""Hanweb article pages and files: URLs resolve, each dialect says title, date and publisher, files download."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urljoin, urlsplit

import requests
from bs4 import BeautifulSoup

from parsers.dispatch import parse_document
from parsers.sniff import sniff_format

NUMERIC = re.compile(r"^/art/(\d{4})/(\d{1,2})/(\d{1,2})/art_(\d+)_(\d{8})\.html$")
HEX = re.compile(r"^/art/(\d{4})/(\d{1,2})/(\d{1,2})/art_[0-9a-f]{32}\.html$")
FILE = re.compile(
    r"^(?:/module/download/downfile\.jsp\?classid=0&filename=|/picture/\d+/)\d{19}\.(pdf|docx|xlsx|jpg|ofd)$"
)


def truth_cells(report: dict) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) for k, v in report["cells"].items()}


def _soup(response: requests.Response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "lxml")


def test_article_urls_carry_date_and_column(hanweb_site):
    manifest = hanweb_site.manifest()
    columns = {c["path"]: c for c in [manifest["city_column"], *(d["report_column"] for d in manifest["departments"])]}
    shapes = set()
    for report in manifest["reports"]:
        if report["article"] is None:
            continue
        day = tuple(int(x) for x in report["published_on"].split("-"))
        numeric, hexed = NUMERIC.match(report["article"]), HEX.match(report["article"])
        assert numeric or hexed, report["article"]
        found = numeric or hexed
        assert tuple(int(x) for x in found.groups()[:3]) == day
        if numeric:
            assert int(numeric.group(4)) == columns[report["column"]]["column_id"]
        shapes.add("numeric" if numeric else "hex")
        assert all(FILE.match(a["path"]) for a in report["attachments"]), report["attachments"]
    assert shapes == {"numeric", "hex"}


def _page_facts(page: requests.Response, dialect: str) -> tuple[str, str, str]:
    """(title, YYYY-MM-DD, publisher) as each article dialect prints them."""
    soup, text = _soup(page), _soup(page).get_text(" ")
    if dialect == "jcms_meta":
        meta = {m["name"]: m["content"] for m in soup.select("meta[name]")}
        assert soup.select_one("#zoom") is not None and "<!--<$[信息内容]>begin-->" in page.text
        return meta["ArticleTitle"], meta["PubDate"][:10], meta["ContentSource"]
    assert soup.select_one("meta[name=ArticleTitle]") is None
    if dialect == "xxgk_table":
        cells = [td.get_text() for td in soup.select("table.xxgk_table td")]
        return soup.select_one("h1.xxgk-title").get_text(), cells[3], cells[2]
    date = re.search(r"发布日期：(\d{4})年(\d{2})月(\d{2})日", text)
    source = re.search(r"来源：(\S+)", text)
    return soup.select_one(".main-article h1").get_text(), "-".join(date.groups()), source.group(1)


def test_every_article_resolves_and_says_what_the_manifest_says(hanweb_site):
    manifest, base = hanweb_site.manifest(), hanweb_site.base_url
    seen = set()
    for report in manifest["reports"]:
        if report["article"] is None:
            continue
        page = requests.get(base + report["article"], timeout=10)
        assert page.status_code == 200
        title, day, publisher = _page_facts(page, report["article_dialect"])
        assert (title, day, publisher) == (report["title"], report["published_on"], report["agency"])
        seen.add(report["article_dialect"])
        hrefs = {urlsplit(urljoin(page.url, a["href"])).path + _query(a["href"]) for a in _soup(page).select("a[href]")}
        for attachment in report["attachments"]:
            if not attachment["embedded"]:
                assert attachment["path"] in hrefs, (report["id"], attachment["path"])
    assert seen == {"jcms_meta", "xxgk_table", "h1_plain"}
    for fp in manifest["false_positives"] + manifest["other_articles"]:
        assert requests.get(base + fp["path"], timeout=10).status_code == 200


def _query(href: str) -> str:
    query = urlsplit(href).query
    return "?" + query if query else ""


def test_report_pages_of_each_dialect_parse_to_the_true_cells(hanweb_site):
    manifest, base = hanweb_site.manifest(), hanweb_site.base_url
    html = [r for r in manifest["reports"] if r["variant"] == "html" and not r["broken_rules"]]
    chosen = {r["article_dialect"]: r for r in html if not r["flags"]["gbk"]}
    chosen["gbk"] = next(r for r in manifest["reports"] if r["flags"]["gbk"])
    assert set(chosen) == {"jcms_meta", "xxgk_table", "h1_plain", "gbk"}
    for name, report in chosen.items():
        page = requests.get(base + report["article"], timeout=10)
        parsed = parse_document(page.content, media_type=page.headers["Content-Type"])
        assert parsed.status.value == "ok", (name, parsed.status, parsed.error)
        assert {k: Decimal(str(v)) for k, v in parsed.cells.items()} == truth_cells(report), name
    gbk = requests.get(base + chosen["gbk"]["article"], timeout=10)
    assert gbk.headers["Content-Type"] == "text/html" and b"charset=gb2312" in gbk.content


def test_files_download_by_downfile_and_plain_links(hanweb_site):
    manifest, base = hanweb_site.manifest(), hanweb_site.base_url
    by_style: dict[str, dict] = {}
    for report in manifest["reports"]:
        for attachment in report["attachments"]:
            style = "downfile" if "downfile.jsp" in attachment["path"] else "picture"
            by_style.setdefault(f"{style}-{attachment['kind']}", attachment)
    assert {"downfile-pdf", "picture-pdf", "downfile-docx", "picture-jpg"} <= set(by_style)
    for key in ("downfile-pdf", "picture-pdf", "downfile-docx"):
        attachment = by_style[key]
        response = requests.get(base + attachment["path"], timeout=60)
        assert response.status_code == 200 and len(response.content) > 1024
        assert sniff_format(response.content) == attachment["kind"], key
        if key.startswith("downfile"):
            name = attachment["path"].rsplit("=", 1)[1]
            assert response.headers["Content-Type"] == "application/octet-stream"
            assert response.headers["Content-Disposition"] == f"attachment;filename={name}"
        else:
            assert response.headers["Content-Type"] == "application/pdf"
    unknown = requests.get(base + "/module/download/downfile.jsp?classid=0&filename=0000.pdf", timeout=10)
    assert unknown.status_code == 404


def test_downfile_ignores_parameter_order(hanweb_site):
    manifest, base = hanweb_site.manifest(), hanweb_site.base_url
    path = next(a["path"] for r in manifest["reports"] for a in r["attachments"] if "downfile" in a["path"])
    name = path.rsplit("=", 1)[1]
    first = requests.head(base + path, timeout=10)
    swapped = requests.head(f"{base}/module/download/downfile.jsp?filename={name}&classid=0", timeout=10)
    assert first.status_code == swapped.status_code == 200 and first.headers["ETag"] == swapped.headers["ETag"]
