"""Parse benchmark: nianbao's parser against naive pdfplumber and the pypdfium2 text floor.

Renders a reproducible corpus with reportgen (PDF, HTML article pages, DOCX), then
measures in one run: reports/s and ms/page for `parsers.dispatch.parse_document` per format,
and on PDF, side by side and interleaved (each document goes through the three in a
rotating order, so load on a shared machine falls on all three alike): the naive
baseline (pdfplumber extract_text() + extract_tables() on every page, no structure) and
the floor (pypdfium2 opening the document and extracting every page's text, nothing
else), with nianbao's ratio to both; plus peak memory and accuracy (share of reports
whose cells equal the truth). Timings are printed, never asserted.

PDFs exported by real office software (tests/fixtures/office: LibreOffice Writer from
reportgen's DOCX, Chromium printing the article page; checked in with their truth) are a
third kind, measured the same way, with the ratios per producer as well as overall.

Real PDFs, when there are any, are measured the same way: pass a directory with
`--real DIR` or NIANBAO_BENCH_REAL_DIR (every *.pdf in it; no truth, so no accuracy).
The repository holds none.

    .venv/bin/python bench/parse_bench.py --n 200 --seed 1 [--real ~/nianbao-real-pdfs]
"""

from __future__ import annotations

import argparse
import gc
import io
import logging
import os
import platform
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from parsers.dispatch import parse_document
from reportgen.corpus import corpus
from reportgen.docx import render_docx
from reportgen.html import render_article_html
from reportgen.pdf import CID, EMBEDDED, render_pdf
from reportgen.truth import ReportTruth

# The office PDFs' loader lives with their tests, which are not an installed package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.parsers.office_fixtures import office_pdfs

# A handful of documents is enough to see a parser's peak allocation; tracing all of
# them would slow the timed runs down.
MEMORY_SAMPLE = 10
ENV_REAL = "NIANBAO_BENCH_REAL_DIR"
# The PDFs are rendered twice: with a TrueType subset embedded (as Word and WPS export most real
# reports; pdfium loads the font and measures every glyph) and with the non-embedded CID font
# STSong-Light (on a host without a CJK font pdfium drops lone glyphs, which nianbao reads back from
# the content stream, and the floor simply loses).
PDF_KINDS = {EMBEDDED: "PDF embedded font", CID: "PDF CID font"}
OFFICE = "PDF office-exported"


@dataclass
class Sample:
    """One rendered document with what it should parse to."""

    cells: dict[str, int | Decimal] | None  # the true cells; None for a real document
    data: bytes
    filename: str
    pages: int
    group: str = ""  # what the ratios are also broken down by (the producer of an office PDF)


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
    """Render the corpus: the first n_pdf as PDF in each font kind, the first n_other as HTML and DOCX."""
    pdfs: dict[str, list[Sample]] = {
        font: [
            Sample(t.cells, d, "report.pdf", pdf_pages(d)) for t in truths[:n_pdf] for d in [render_pdf(t, font=font)]
        ]
        for font in PDF_KINDS
    }
    html = [
        Sample(t.cells, render_article_html(t, word_pasted=i % 2 == 1).encode(), "t20240125_1.html", 1)
        for i, t in enumerate(truths[:n_other])
    ]
    docx = [Sample(t.cells, render_docx(t), "report.docx", 1) for t in truths[:n_other]]
    return {**pdfs, "html": html, "docx": docx}


def office_samples() -> list[Sample]:
    """The checked-in office-exported PDFs, grouped by producer."""
    return [
        Sample(doc.cells, data, "report.pdf", pdf_pages(data), doc.producer)
        for doc in office_pdfs()
        for data in [doc.path.read_bytes()]
    ]


def nianbao(sample: Sample) -> bool:
    """Full parse; True when every cell equals the truth."""
    report = parse_document(sample.data, filename=sample.filename)
    return sample.cells is not None and report.cells == sample.cells


def naive(sample: Sample) -> bool:
    """pdfplumber text and tables on every page, as a script without structure would."""
    with pdfplumber.open(io.BytesIO(sample.data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
    return False


def floor(sample: Sample) -> bool:
    """pypdfium2's text of every page: what any parser of this PDF must at least spend."""
    pdf = pdfium.PdfDocument(sample.data)
    try:
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return False


def interleaved(
    parsers: dict[str, Callable[[Sample], bool]], samples: list[Sample], rounds: int
) -> dict[str, dict[str, float]]:
    """CPU seconds per sample group and parser over `rounds` passes of `samples`, each document
    through every parser in turn, the order rotating per document. CPU time of this process,
    not wall time: all three run in this thread, and other work on a shared machine stays out.

    Each parse collects its own garbage on its own time (a full collection after it, inside
    its timing), over a heap frozen beforehand (the samples, the imports: nobody's garbage).
    Without it pdfplumber's cyclic garbage (pdfminer's objects point at their document) was
    collected whenever the collector's thresholds next tripped, as often inside nianbao's or
    the floor's parse as inside pdfplumber's: 6-8 ms of a 20 ms LibreOffice parse, by chance."""
    seconds = {s.group: dict.fromkeys(parsers, 0.0) for s in samples}
    names = list(parsers)
    gc.collect()
    gc.freeze()
    try:
        for r in range(rounds):
            for i, sample in enumerate(samples):
                shift = (i + r) % len(names)
                for name in names[shift:] + names[:shift]:
                    start = time.process_time()
                    parsers[name](sample)
                    gc.collect()
                    seconds[sample.group][name] += time.process_time() - start
    finally:
        gc.unfreeze()
    return {group: {name: s / rounds for name, s in by_parser.items()} for group, by_parser in seconds.items()}


def compare(label: str, samples: list[Sample], rounds: int, accuracy: bool) -> list[Run]:
    """nianbao, naive and floor side by side on PDFs; prints the ratios (per sample group too,
    when there is more than one) and returns the runs."""
    groups = interleaved({"nianbao": nianbao, "naive": naive, "floor": floor}, samples, rounds)
    seconds = {name: sum(g[name] for g in groups.values()) for name in ("nianbao", "naive", "floor")}
    pages = sum(s.pages for s in samples)
    correct = sum(nianbao(s) for s in samples) if accuracy else None
    runs = [
        Run(f"nianbao parse_document {label}", seconds["nianbao"], len(samples), pages, correct),
        Run(f"naive pdfplumber {label}", seconds["naive"], len(samples), pages),
        Run(f"pypdfium2 text floor {label}", seconds["floor"], len(samples), pages),
    ]
    for run in runs:
        print(run.line())
    print(f"{label}: {_ratios(seconds)} (CPU time, interleaved, {rounds} rounds)")
    if len(groups) > 1:
        for group, by_parser in groups.items():
            count = sum(s.group == group for s in samples)
            each = ", ".join(f"{name} {1000 * by_parser[name] / count:.1f}" for name in ("nianbao", "naive", "floor"))
            print(f"  {group} ({count} documents): {_ratios(by_parser)} (ms/document: {each})")
    return runs


def _ratios(seconds: dict[str, float]) -> str:
    return (
        f"nianbao is {seconds['naive'] / seconds['nianbao']:.1f}x faster than naive pdfplumber and "
        f"{seconds['nianbao'] / seconds['floor']:.1f}x the pypdfium2 floor"
    )


def real_samples(directory: str | None) -> list[Sample]:
    """Every *.pdf under `directory` (or $NIANBAO_BENCH_REAL_DIR); none when neither is set."""
    directory = directory or os.environ.get(ENV_REAL)
    if not directory:
        return []
    paths = sorted(Path(directory).expanduser().glob("**/*.pdf"))
    if not paths:
        raise SystemExit(f"no *.pdf files under {directory}")
    return [Sample(None, p.read_bytes(), p.name, pdf_pages(p.read_bytes())) for p in paths]


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
    parser.add_argument("--rounds", type=int, default=1, help="interleaved passes over the PDFs")
    parser.add_argument("--real", help=f"a directory of real PDFs (default ${ENV_REAL})")
    parser.add_argument(
        "--office-rounds", type=int, default=3, help="interleaved passes over the checked-in office-exported PDFs"
    )
    args = parser.parse_args()
    # pdfminer (under naive pdfplumber) warns once per glyph of the office PDFs' fonts that lack a FontBBox.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    truths = corpus(args.seed, args.n)
    t0 = time.perf_counter()
    samples = render(truths, args.n, max(args.n // 2, 1))
    print(
        f"rendered {args.n} PDFs in each of {len(PDF_KINDS)} fonts, {len(samples['html'])} HTML, "
        f"{len(samples['docx'])} DOCX "
        f"in {time.perf_counter() - t0:.1f} s; seed {args.seed}"
    )
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}")

    samples[OFFICE] = office_samples()
    kinds: dict[str, tuple[str, int]] = {font: (label, args.rounds) for font, label in PDF_KINDS.items()}
    kinds[OFFICE] = (OFFICE, args.office_rounds)
    for kind, (label, rounds) in kinds.items():
        for warm in (nianbao, naive, floor):  # warm caches (CMaps, fonts, imports) for every side alike
            warm(samples[kind][0])
        ours, base, _ = compare(label, samples[kind], rounds, accuracy=True)
        ours.peak_kib = peak_kib(nianbao, samples[kind])
        base.peak_kib = peak_kib(naive, samples[kind])
        print(f"{label}: peak py-heap (10 docs) nianbao {ours.peak_kib:,.0f} KiB, naive {base.peak_kib:,.0f} KiB")
    for run in [timed(f"nianbao parse_document {k.upper()}", nianbao, samples[k], True) for k in ("html", "docx")]:
        print(run.line())
    real = real_samples(args.real)
    if real:
        print(f"real PDFs: {len(real)} files, {sum(s.pages for s in real)} pages")
        compare("real PDF", real, args.rounds, accuracy=False)
    else:
        print(f"real PDFs: none given (--real DIR or ${ENV_REAL}); ratios above are on generated PDFs only")
    print(f"peak RSS of the whole run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
