"""Golden outputs: what the parser reads from a fixed set of documents, checked in.

The documents are the real seeds (tests/fixtures/seeds) and a corpus rendered once by
reportgen from a fixed seed and checked in as bytes (tests/fixtures/golden/corpus), so a
change of reportgen does not move them. Each document's ParsedReport, less its
parser_version, is written canonically (sorted keys, decimals as strings) to
tests/fixtures/golden/<name>.json. parsers/version.py derives PARSER_VERSION from the
digest of those files (see there); test_golden.py fails when either is out of date.

    .venv/bin/python -m tests.parsers.golden            # rewrite the outputs and the digest (make golden)
    .venv/bin/python -m tests.parsers.golden --corpus   # re-render the corpus first (rarely: new documents)
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from parsers.dispatch import parse_document
from parsers.model import ParsedReport

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEEDS = FIXTURES / "seeds"
GOLDEN = FIXTURES / "golden"
CORPUS = GOLDEN / "corpus"
VERSION_FILE = Path(__file__).parents[2] / "parsers" / "version.py"
_DIGEST_LINE = re.compile(r'^GOLDEN_DIGEST: Final = "[0-9a-f]*"$', re.MULTILINE)

CORPUS_SEED = 12
N_PDF, N_HTML, N_DOCX = 12, 6, 6
# The file names the crawler would hand over: the reader is chosen from the bytes, the name only helps.
_NAMES = {
    ".pdf": "report.pdf",
    ".html": "t20240125_1.html",
    ".docx": "report.docx",
    ".ofd": "report.ofd",
    ".txt": "report.txt",
}


def documents() -> list[Path]:
    """Every golden input, in a stable order: seeds, then the corpus."""
    return sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.iterdir())


def output_path(document: Path) -> Path:
    prefix = "seed" if document.parent == SEEDS else "corpus"
    return GOLDEN / f"{prefix}-{document.stem}.json"


def parse(document: Path) -> ParsedReport:
    return parse_document(document.read_bytes(), filename=_NAMES[document.suffix])


def canonical(report: ParsedReport) -> str:
    """The report as canonical JSON: every field but parser_version (which is derived from these)."""
    fields = {f.name: getattr(report, f.name) for f in dataclasses.fields(report) if f.name != "parser_version"}
    text = json.dumps(fields, default=_plain, ensure_ascii=False, sort_keys=True, indent=0, separators=(",", ":"))
    return text + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # a string: a decimal cell never compares equal to an int one
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"no canonical JSON for {type(value).__name__}")


def digest(outputs: list[Path]) -> str:
    """SHA-256 over the golden outputs' names and bytes, in name order."""
    sha = hashlib.sha256()
    for path in sorted(outputs, key=lambda p: p.name):
        sha.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


def render_corpus() -> None:
    """Render the fixed corpus with reportgen: PDFs, article pages (half pasted from Word), DOCX, one scan."""
    from reportgen.corpus import corpus
    from reportgen.docx import render_docx
    from reportgen.html import render_article_html
    from reportgen.image_pdf import render_image_pdf
    from reportgen.pdf import render_pdf

    # Distinct truths per format, so each format's reader meets other layouts and broken rules.
    truths = iter(corpus(CORPUS_SEED, N_PDF + N_HTML + N_DOCX))
    CORPUS.mkdir(parents=True, exist_ok=True)
    for old in CORPUS.iterdir():
        old.unlink()
    pdfs = [render_pdf(next(truths)) for _ in range(N_PDF)]
    for i, pdf in enumerate(pdfs):
        (CORPUS / f"pdf-{i:02d}.pdf").write_bytes(pdf)
    for i in range(N_HTML):
        (CORPUS / f"html-{i:02d}.html").write_bytes(render_article_html(next(truths), word_pasted=i % 2 == 1).encode())
    for i in range(N_DOCX):
        (CORPUS / f"docx-{i:02d}.docx").write_bytes(render_docx(next(truths)))
    (CORPUS / "scan-00.pdf").write_bytes(render_image_pdf(corpus(CORPUS_SEED, 1)[0]))
    (CORPUS / "truncated-00.pdf").write_bytes(pdfs[0][: len(pdfs[0]) // 2])  # a download cut short
    (CORPUS / "html-blank-totals-00.html").write_bytes(_blank_totals_html())
    # OFD, as a writer lays out lines and as a converter from PDF does (a glyph an object).
    from reportgen.ofd import render_ofd

    ofd_truths = corpus(CORPUS_SEED + 1, 2)
    (CORPUS / "ofd-00.ofd").write_bytes(render_ofd(ofd_truths[0]))
    (CORPUS / "ofd-01.ofd").write_bytes(render_ofd(ofd_truths[1], glyphwise=True))
    # Damaged files pdfium still opens: a font descriptor pdfminer refuses (pdf-01's font is not
    # embedded, so its lone glyphs cannot be read back), and a last page pdfium cannot load.
    (CORPUS / "pdf-damaged-font-00.pdf").write_bytes(pdfs[1].replace(b"/ItalicAngle 0", b"/ItalicAngle  ", 1))
    last_page = re.findall(rb"\n(\d+) 0 obj\n<<\n/Contents", pdfs[0])[-1]
    (CORPUS / "pdf-damaged-page-00.pdf").write_bytes(
        pdfs[0].replace(b"\n" + last_page + b" 0 obj\n<<", b"\n" + last_page + b" 0 obj\n[[", 1)
    )


def _blank_totals_html() -> bytes:
    """An article whose section-3 table prints 总计 only in its (七)总计 row, as a real
    Shanghai 2019 report does: the blank totals are unknown, not 0, to the checks."""
    from bs4 import BeautifulSoup

    from reportgen.corpus import corpus
    from reportgen.html import render_article_html

    truth = next(
        t
        for t in corpus(CORPUS_SEED, 40)
        if t.generation == "2019" and not t.broken_rules and t.cells.get("applications.new.total", 0) > 0
    )
    soup = BeautifulSoup(render_article_html(truth), "lxml")
    table = next(t for t in soup.find_all("table") if "本年新收" in t.get_text())
    for row in table.find_all("tr"):
        cells = row.find_all("td")
        label = row.get_text().replace("（", "(").replace("）", ")")
        if cells and "(七)总计" not in label and cells[-1].get_text(strip=True).isdigit():
            cells[-1].string = ""
    return str(soup).encode()


def write_golden() -> str:
    """Rewrite every golden output and the digest in parsers/version.py; returns the digest."""
    for stale in GOLDEN.glob("*.json"):
        stale.unlink()
    outputs = []
    for document in documents():
        path = output_path(document)
        path.write_text(canonical(parse(document)), encoding="utf-8")
        outputs.append(path)
    new = digest(outputs)
    source = VERSION_FILE.read_text(encoding="utf-8")
    if not _DIGEST_LINE.search(source):
        raise SystemExit(f"{VERSION_FILE}: no GOLDEN_DIGEST line to rewrite")
    VERSION_FILE.write_text(_DIGEST_LINE.sub(f'GOLDEN_DIGEST: Final = "{new}"', source), encoding="utf-8")
    return new


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="store_true", help="re-render the corpus from reportgen first")
    args = parser.parse_args()
    if args.corpus:
        render_corpus()
    print(f"{len(documents())} golden outputs; GOLDEN_DIGEST {write_golden()}")


if __name__ == "__main__":
    main()
