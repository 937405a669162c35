"""An attachment's bytes decide what it is (formats.magic), whatever the server says it is."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scrapers.discovery import FoundReport, fetch_report_documents
from scrapers.discovery.models import FoundAttachment
from scrapers.http import PoliteClient
from scrapers.spec import PortalSpec

from .conftest import ScriptedServer, send

# A WAF or CMS error page served for the PDF, with a byte-order mark and well over min_bytes.
FILLER = "x" * 2048
ERROR_PAGE = b"\xef\xbb\xbf" + f"<!DOCTYPE html><html><body><h1>页面不存在</h1><p>{FILLER}</p></body></html>".encode()
PDF = b"\r\n%PDF-1.4\n" + b"0" * 2048 + b"\n%%EOF"  # whitespace before the header, as some servers send


@pytest.mark.parametrize(
    ("body", "rejected", "media_type"),
    [
        (ERROR_PAGE, "an HTML page where a file was expected (an error page?)", "text/html"),
        (PDF, None, "application/pdf"),
    ],
    ids=["bom-error-page", "pdf-after-whitespace"],
)
def test_the_bytes_decide_an_attachment(
    server: ScriptedServer,
    make_spec: Callable[..., PortalSpec],
    body: bytes,
    rejected: str | None,
    media_type: str,
) -> None:
    path = "/202401/P020240120123456789012.pdf"
    server.routes[path] = lambda h: send(h, 200, body, content_type="application/octet-stream")
    url = server.base_url + path
    report = FoundReport("test", "某局", 2023, "某局2023年政府信息公开工作年度报告", url)
    report.attachments.append(FoundAttachment(url, "年报.pdf", "pdf"))
    with PoliteClient(make_spec(server.base_url)) as client:
        documents = fetch_report_documents(client, report)
    [document] = [d for d in documents if d.role == "attachment"]
    assert (document.rejected, document.media_type) == (rejected, media_type)
