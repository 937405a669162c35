"""Every report the manifest lists is served, with the right type, bytes and variant shape."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from bs4 import BeautifulSoup

from replica.markup import ORIGIN, href
from tests.replica.replica_walk import get, soup

MAGIC = {
    "pdf": (b"%PDF", "application/pdf"),
    "image_pdf": (b"%PDF", "application/pdf"),
    "docx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "ofd": (b"PK\x03\x04", "application/ofd"),
}


@pytest.fixture(scope="module")
def small(request):
    """A smaller site (all variants still present) so every attachment can be rendered quickly."""
    from replica import ReplicaServer

    server = ReplicaServer(5, departments=6, years=range(2021, 2026)).start()
    request.addfinalizer(server.stop)
    return server


def _by_flag(manifest: dict, flag: str) -> dict:
    found = [r for r in manifest["reports"] if r["flags"][flag]]
    assert len(found) == 1, flag
    return found[0]


def test_every_report_document_is_served_with_type_and_magic(small):
    manifest = small.manifest()
    assert {r["variant"] for r in manifest["reports"]} == {"html", "html_pdf", "pdf_only", "docx", "xlsx", "image"}
    for report in manifest["reports"]:
        for page in filter(None, (report["article"], report["continuation"])):
            response = get(small.base_url + page)
            assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
            assert response.content.startswith(b"<!DOCTYPE html>")
        for attachment in report["attachments"]:
            response = get(small.base_url + attachment["path"])
            magic, content_type = MAGIC[attachment["kind"]]
            assert response.status_code == 200, attachment
            assert response.headers["Content-Type"] == content_type
            assert response.content.startswith(magic)
        assert report["canonical"]["path"] in {report["article"], *(a["path"] for a in report["attachments"])}


def test_article_links_its_attachments_with_dead_oldsrc(small):
    manifest = small.manifest()
    report = next(r for r in manifest["reports"] if r["variant"] == "html_pdf" and r["article_dialect"] == "meta")
    page = soup(get(small.base_url + report["article"]))
    anchor = page.select_one("p.insertfileTag a")
    pdf = report["attachments"][0]
    assert anchor["href"] == "./" + pdf["path"].rsplit("/", 1)[1]
    assert re.fullmatch(r"P0\d{8}\d{12}\.pdf", anchor["href"][2:])
    assert anchor["oldsrc"] == pdf["oldsrc"] and pdf["oldsrc"].startswith("/protect/")
    assert get(small.base_url + pdf["oldsrc"]).status_code == 404


def test_article_meta_matches_manifest(replica_site):
    manifest = replica_site.manifest()
    report = next(
        r
        for r in manifest["reports"]
        if r["variant"] == "html" and not r["flags"]["gbk"] and r["article_dialect"] == "meta"
    )
    page = soup(get(replica_site.base_url + report["article"]))
    assert page.find("meta", attrs={"name": "ArticleTitle"})["content"] == report["title"]
    assert page.find("meta", attrs={"name": "ContentSource"})["content"] == report["agency"]
    assert page.find("meta", attrs={"name": "PubDate"})["content"] == report["published_at"]
    assert f"{report['year']}年" in page.select_one("div.view").get_text()


def test_gbk_page_is_gb18030_without_header_charset(replica_site):
    report = _by_flag(replica_site.manifest(), "gbk")
    response = get(replica_site.base_url + report["article"])
    assert response.headers["Content-Type"] == "text/html"
    with pytest.raises(UnicodeDecodeError):
        response.content.decode("utf-8")
    text = response.content.decode("gb18030")
    assert 'content="text/html; charset=gb2312"' in text
    assert report["title"] in text


def test_split_article_continues_on_a_second_page(replica_site):
    report = _by_flag(replica_site.manifest(), "split")
    stem, ext = report["article"].rsplit(".", 1)
    assert report["continuation"] == f"{stem}_1.{ext}"
    first = get(replica_site.base_url + report["article"])
    second = get(replica_site.base_url + report["continuation"])
    next_link = soup(first).find("a", string="下一页")
    assert next_link["href"] == "./" + report["continuation"].rsplit("/", 1)[1]
    tables = [len(soup(p).select_one(".TRS_Editor, div.view").find_all("table")) for p in (first, second)]
    assert tables == [1, 2]


def test_image_only_report_shows_an_image_and_links_an_image_pdf(replica_site):
    report = _by_flag(replica_site.manifest(), "image_only")
    assert report["title"].endswith("（图片版）") and report["canonical"]["kind"] == "image_pdf"
    body = soup(get(replica_site.base_url + report["article"])).select_one("div.view")
    assert body.find("table") is None
    image = body.find("img")
    jpg = next(a for a in report["attachments"] if a["kind"] == "jpg")
    assert image["src"] == "./" + jpg["path"].rsplit("/", 1)[1] and "/W0" in jpg["path"]


def test_title_without_agency_names_it_in_breadcrumb_and_source(replica_site):
    report = _by_flag(replica_site.manifest(), "title_without_agency")
    assert report["title"] == f"{report['year']}年政府信息公开工作年度报告"
    page = soup(get(replica_site.base_url + report["article"]))
    source = page.find("meta", attrs={"name": "ContentSource"})
    # Where the dialect prints a source (meta or 来源 line) it names the agency; the crumb always does.
    assert source is None or source["content"] == report["agency"]
    assert report["agency"] in page.select_one(".crumb, .position, td.pos, .crumbsNav, .breadcrumb").get_text()
    heading = page.select_one("h2.neiright_Title, #font_title, h1")
    assert report["title"] == heading.get_text(strip=True) and report["agency"] not in heading.get_text()


def test_year_folder_mismatch(replica_site):
    report = _by_flag(replica_site.manifest(), "year_folder_mismatch")
    assert f"/{report['year'] - 1}n/" in report["article"]
    assert f"{report['year']}年" in get(replica_site.base_url + report["article"]).text


def test_xlsx_link_only_inside_a_script_and_workbook_holds_the_cells(small):
    report = next(r for r in small.manifest()["reports"] if r["variant"] == "xlsx")
    xlsx = report["attachments"][0]
    assert xlsx["in_script"]
    html = get(small.base_url + report["article"]).text
    name = xlsx["path"].rsplit("/", 1)[1]
    page = BeautifulSoup(html, "lxml")
    assert not page.select(f'a[href$="{name}"]')  # not in the DOM as an anchor...
    assert any(name in s.get_text() for s in page.find_all("script"))  # ...only in document.write
    book = openpyxl.load_workbook(io.BytesIO(get(small.base_url + xlsx["path"]).content))
    numbers = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row]
    truth = Decimal(str(report["cells"]["applications.new.total"]))
    assert any(isinstance(n, int | float) and Decimal(str(n)) == truth for n in numbers)


def test_pdf_only_items_link_straight_to_the_pdf(small):
    manifest = small.manifest()
    report = next(r for r in manifest["reports"] if r["variant"] == "pdf_only")
    assert report["article"] is None and report["canonical"]["kind"] == "pdf"
    column = next(d["report_column"] for d in manifest["departments"] if d["report_column"]["path"] == report["column"])
    listing = "".join(get(small.base_url + p).text for p in column["pages"])
    link = href(report["canonical"]["path"], column["path"], column["link_style"]).replace(ORIGIN, small.base_url)
    assert f'href="{link}"' in listing


def test_false_positives_are_served_articles(replica_site):
    for article in replica_site.manifest()["false_positives"]:
        response = get(replica_site.base_url + article["path"])
        assert response.status_code == 200
        assert soup(response).find("meta", attrs={"name": "ArticleTitle"})["content"] == article["title"]
