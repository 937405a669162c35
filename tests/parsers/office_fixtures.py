"""PDFs exported by real office software (reportgen.office), checked in with their truth.

reportlab lays our tables out as we say; LibreOffice and Chromium paginate on their own and
break a long table across pages, inside rows too, as the real reports' producers do. The
PDFs are rendered once, on a host with the programs and a CJK font, and checked in
(tests/fixtures/office) with the cells each should read to, so tests need neither.

    .venv/bin/python -m tests.parsers.office_fixtures           # export the missing ones and rewrite the truth
    .venv/bin/python -m tests.parsers.office_fixtures --force   # re-export them all

Exporting needs soffice, chromium and fonts-noto-cjk; remove the fonts again before running
the tests (a host CJK font changes how pdfium reads the reportlab corpus's CID font).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

OFFICE = Path(__file__).parents[1] / "fixtures" / "office"
TRUTH_FILE = OFFICE / "truth.json"
# A corpus seed of its own: reports the golden corpus (seed 12) does not hold.
SEED = 1
N_LIBREOFFICE = 10
# Chromium's PDFs are four times the size (a text object per word): two, one per template, and
# one printed with the browser's header and footer (a running line atop and below every page).
CHROMIUM = (0, 8)
CHROMIUM_PRINT = (8,)


@dataclass(frozen=True)
class OfficePdf:
    """One checked-in PDF and what it should read to."""

    path: Path
    producer: str
    generation: str
    cells: dict[str, int | Decimal]


def office_pdfs() -> list[OfficePdf]:
    """Every checked-in office PDF, in name order."""
    record = json.loads(TRUTH_FILE.read_text(encoding="utf-8"))
    return [
        OfficePdf(OFFICE / name, doc["producer"], doc["generation"], {k: _value(v) for k, v in doc["cells"].items()})
        for name, doc in sorted(record["documents"].items())
    ]


def _value(value: int | str) -> int | Decimal:
    return Decimal(value) if isinstance(value, str) else value


def build(*, force: bool = False) -> None:
    from reportgen.corpus import corpus
    from reportgen.docx import render_docx
    from reportgen.html import render_article_html
    from reportgen.office import chromium_pdf, libreoffice_pdf, producer_version

    truths = corpus(SEED, N_LIBREOFFICE)
    OFFICE.mkdir(parents=True, exist_ok=True)
    documents = {}
    jobs = [("libreoffice", i) for i in range(N_LIBREOFFICE)]
    jobs += [("chromium", i) for i in CHROMIUM] + [("chromium-print", i) for i in CHROMIUM_PRINT]
    for producer, i in jobs:
        truth = truths[i]
        name = f"{producer}-{i:02d}.pdf"
        path = OFFICE / name
        if force or not path.exists():  # re-exported bytes differ (dates): keep what is checked in
            if producer == "libreoffice":
                data = libreoffice_pdf(render_docx(truth))
            else:
                data = chromium_pdf(render_article_html(truth), header_footer=producer == "chromium-print")
            path.write_bytes(data)
        data = path.read_bytes()
        cells = {k: str(v) if isinstance(v, Decimal) else v for k, v in sorted(truth.cells.items())}
        documents[name] = {"producer": producer, "generation": truth.generation, "corpus_index": i, "cells": cells}
        print(f"{name}: {len(data):,} bytes")
    record = {
        "corpus_seed": SEED,
        "producers": {"libreoffice": producer_version("soffice"), "chromium": producer_version("chromium")},
        "documents": documents,
    }
    TRUTH_FILE.write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build(force="--force" in sys.argv)
