"""OCR benchmark: cell accuracy and pages/s of scanned reports against their text-layer parse.

Renders a reproducible corpus with reportgen, then for each report, in one run: parses
the text PDF (the text layer, the normal path), and the same PDF scanned clean (150 dpi,
upright, white) and degraded (reportgen.scan.DEGRADED: turned 0.7°, blurred, grey
paper, noise, JPEG quality 55, a red seal), both as image-only PDFs. Cell accuracy is
the share of the truth's cells read with the right value; a cell left missing (illegible)
and a cell read wrong are counted apart, since only the second is a lie. Timings are
printed, never asserted; OCR is single-threaded per document (parsers/ocr/engine.py).

    .venv/bin/python bench/ocr_bench.py --n 3 --seed 7
"""

from __future__ import annotations

import argparse
import platform
import time
from dataclasses import dataclass
from decimal import Decimal

import pypdfium2 as pdfium

from parsers.dispatch import parse_document
from reportgen.corpus import corpus
from reportgen.pdf import render_pdf
from reportgen.scan import CLEAN, DEGRADED, scan_pdf
from reportgen.truth import ReportTruth


@dataclass
class Tally:
    """Cells and time of one kind of input over the corpus."""

    cells: int = 0
    right: int = 0
    wrong: int = 0
    missing: int = 0
    pages: int = 0
    seconds: float = 0.0
    reports_exact: int = 0
    reports: int = 0

    def add(self, truth: ReportTruth, cells: dict[str, int | Decimal], pages: int, seconds: float) -> None:
        right = sum(1 for k, v in truth.cells.items() if cells.get(k) == v)
        missing = sum(1 for k in truth.cells if k not in cells)
        self.cells += len(truth.cells)
        self.right += right
        self.missing += missing
        self.wrong += len(truth.cells) - right - missing + len(set(cells) - set(truth.cells))
        self.pages += pages
        self.seconds += seconds
        self.reports += 1
        self.reports_exact += cells == truth.cells

    def row(self, name: str) -> str:
        accuracy = 100 * self.right / self.cells if self.cells else 0.0
        rate = self.pages / self.seconds if self.seconds else 0.0
        return (
            f"| {name} | {self.reports_exact}/{self.reports} | {accuracy:.2f} % | {self.wrong} | {self.missing} "
            f"| {self.pages} | {rate:.2f} | {1000 * self.seconds / max(self.pages, 1):.0f} |"
        )


def _pages(data: bytes) -> int:
    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def _measure(tally: Tally, truth: ReportTruth, data: bytes) -> None:
    start = time.perf_counter()
    report = parse_document(data, filename="report.pdf")
    tally.add(truth, report.cells, _pages(data), time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3, help="reports in the corpus")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    tallies = {"text layer": Tally(), "scan, clean 150 dpi": Tally(), "scan, degraded 150 dpi": Tally()}
    for truth in corpus(args.seed, args.n):
        pdf = render_pdf(truth)
        _measure(tallies["text layer"], truth, pdf)
        _measure(tallies["scan, clean 150 dpi"], truth, scan_pdf(pdf, CLEAN))
        _measure(tallies["scan, degraded 150 dpi"], truth, scan_pdf(pdf, DEGRADED))
    print(f"# OCR bench: {args.n} reports, seed {args.seed}, {platform.processor() or platform.machine()}")
    print("| input | reports exact | cells right | cells wrong | cells missing | pages | pages/s | ms/page |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, tally in tallies.items():
        print(tally.row(name))


if __name__ == "__main__":
    main()
