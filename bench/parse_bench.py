"""Parse benchmark: nianbao's parser against naive pdfplumber on a generated corpus.

Renders a reproducible corpus with reportgen (PDF, HTML article pages, DOCX), then
measures in one run: reports/s and ms/page for `parsers.parse_document` per format,
the same for a naive baseline (pdfplumber extract_text() + extract_tables() on every
page, no structure), their ratio, peak memory, and accuracy (share of reports whose
cells equal the truth). Timings are printed, never asserted.

    .venv/bin/python bench/parse_bench.py --n 200 --seed 1
"""

from __future__ import annotations

import argparse
import io
import platform
import resource
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

import pdfplumber
import pypdfium2 as pdfium

from parsers import parse_document
from reportgen.corpus import corpus
from reportgen.docx import render_docx
from reportgen.html import render_article_html
from reportgen.pdf import render_pdf
from reportgen.truth import ReportTruth

# A handful of documents is enough to see a parser's peak allocation; tracing all of
# them would slow the timed runs down.
MEMORY_SAMPLE = 10


@dataclass
class Sample:
    """One rendered document with what it should parse to."""

    truth: ReportTruth
    data: bytes
    filename: str
    pages: int


@dataclass
class Run:
    """Timing of one parser over one set of samples."""

    label: str
    seconds: float
    reports: int
    pages: int
    correct: int | None = None
    peak_kib: float | None = None

    def line(self) -> str:
        rate = self.reports / self.seconds
        ms_page = 1000 * self.seconds / max(self.pages, 1)
        accuracy = "" if self.correct is None else f"  cells exact {self.correct}/{self.reports}"
        peak = "" if self.peak_kib is None else f"  peak py-heap {self.peak_kib:,.0f} KiB"
        return f"{self.label:<28} {rate:8.1f} reports/s  {ms_page:7.2f} ms/page{accuracy}{peak}"


def pdf_pages(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def render(truths: list[ReportTruth], n_pdf: int, n_other: int) -> dict[str, list[Sample]]:
    """Render the corpus: the first n_pdf as PDF, the first n_other as HTML and DOCX."""
    pdfs = [Sample(t, d, "report.pdf", pdf_pages(d)) for t in truths[:n_pdf] for d in [render_pdf(t)]]
    html = [
        Sample(t, render_article_html(t, word_pasted=i % 2 == 1).encode(), "t20240125_1.html", 1)
        for i, t in enumerate(truths[:n_other])
    ]
    docx = [Sample(t, render_docx(t), "report.docx", 1) for t in truths[:n_other]]
    return {"pdf": pdfs, "html": html, "docx": docx}


def nianbao(sample: Sample) -> bool:
    """Full parse; True when every cell equals the truth."""
    report = parse_document(sample.data, filename=sample.filename)
    return report.cells == sample.truth.cells


def naive(sample: Sample) -> bool:
    """pdfplumber text and tables on every page, as a script without structure would."""
    with pdfplumber.open(io.BytesIO(sample.data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
    return False


def timed(label: str, parse: Callable[[Sample], bool], samples: list[Sample], accuracy: bool) -> Run:
    start = time.perf_counter()
    correct = sum(parse(s) for s in samples)
    seconds = time.perf_counter() - start
    pages = sum(s.pages for s in samples)
    return Run(label, seconds, len(samples), pages, correct if accuracy else None)


def peak_kib(parse: Callable[[Sample], bool], samples: list[Sample]) -> float:
    """Largest Python-heap peak over single parses (pdfium's C heap is not traced)."""
    peak = 0
    for sample in samples[:MEMORY_SAMPLE]:
        tracemalloc.start()
        parse(sample)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return peak / 1024


def main() -> None:
    """Render, measure and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="number of PDFs (HTML and DOCX: n/2 each)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    truths = corpus(args.seed, args.n)
    t0 = time.perf_counter()
    samples = render(truths, args.n, max(args.n // 2, 1))
    print(
        f"rendered {args.n} PDFs, {len(samples['html'])} HTML, {len(samples['docx'])} DOCX "
        f"in {time.perf_counter() - t0:.1f} s; seed {args.seed}"
    )
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}")

    nianbao(samples["pdf"][0])  # warm caches (CMaps, imports) for both sides alike
    naive(samples["pdf"][0])
    ours = timed("nianbao parse_document PDF", nianbao, samples["pdf"], accuracy=True)
    base = timed("naive pdfplumber PDF", naive, samples["pdf"], accuracy=False)
    ours.peak_kib = peak_kib(nianbao, samples["pdf"])
    base.peak_kib = peak_kib(naive, samples["pdf"])
    others = [timed(f"nianbao parse_document {k.upper()}", nianbao, samples[k], True) for k in ("html", "docx")]
    for run in (ours, base, *others):
        print(run.line())
    print(f"speed-up on PDF (naive s / nianbao s): {base.seconds / ours.seconds:.1f}x")
    print(f"peak RSS of the whole run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
