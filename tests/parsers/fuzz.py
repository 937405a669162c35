"""Mutation fuzzing of the parser: damaged copies of reportgen's documents through parse_document.

Each mutant is a document truncated, with bytes flipped, a range cut out or spliced in, the XML
inside its zip garbled, or its digits changed. The parser must answer every one with a status
and a message: a crash ("unexpected ...", ParsedReport.crashed), an exception that escapes, a
hang or a parse slower than `--slow` seconds is a finding, and its bytes are written to `--out`.

    .venv/bin/python -m tests.parsers.fuzz --seconds 600 --seed 3 --out /tmp/fuzz
"""

from __future__ import annotations

import argparse
import io
import random
import signal
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from parsers.dispatch import parse_document
from reportgen.corpus import corpus
from reportgen.docx import render_docx
from reportgen.html import render_article_html
from reportgen.ofd import render_ofd
from reportgen.pdf import CID, EMBEDDED, render_pdf

OFFICE = Path(__file__).parents[1] / "fixtures" / "office"
_ZIPS = (".docx", ".xlsx", ".ofd")


@dataclass(frozen=True)
class Finding:
    name: str
    mutation: str
    what: str  # crash, escaped, hang, slow
    detail: str
    data: bytes


def documents(seed: int = 3, n: int = 2) -> list[tuple[str, bytes]]:
    """The documents mutated: each format reportgen writes, and the checked-in office PDFs."""
    from replica.workbook import render_workbook

    out: list[tuple[str, bytes]] = []
    for i, truth in enumerate(corpus(seed, n)):
        out += [
            (f"embedded-{i}.pdf", render_pdf(truth, font=EMBEDDED)),
            (f"cid-{i}.pdf", render_pdf(truth, font=CID)),
            (f"report-{i}.docx", render_docx(truth)),
            (f"report-{i}.xlsx", render_workbook(truth)),
            (f"report-{i}.ofd", render_ofd(truth, glyphwise=i % 2 == 1)),
            (f"article-{i}.html", render_article_html(truth).encode()),
        ]
    out += [(path.name, path.read_bytes()) for path in sorted(OFFICE.glob("*.pdf"))]
    return out


def mutate(rng: random.Random, name: str, data: bytes) -> tuple[str, bytes]:
    """One damaged copy of `data`, and the name of what was done to it."""
    kind = rng.choice(("truncate", "flip", "cut", "splice", "xml", "digits"))
    b = bytearray(data)
    if kind == "truncate":
        return kind, bytes(b[: rng.randrange(1, len(b))])
    if kind == "flip":
        for _ in range(rng.randrange(1, 30)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return kind, bytes(b)
    if kind == "cut":
        at = rng.randrange(len(b))
        return kind, bytes(b[:at] + b[at + rng.randrange(1, 2000) :])
    if kind == "splice":
        at, source = rng.randrange(len(b)), rng.randrange(len(b))
        return kind, bytes(b[:at] + b[source : source + rng.randrange(1, 500)] + b[at:])
    if kind == "xml" and name.endswith(_ZIPS):
        return kind, _garbled_zip(rng, data)
    for _ in range(rng.randrange(1, 50)):
        at = rng.randrange(len(b))
        if 48 <= b[at] <= 57:
            b[at] = rng.randrange(48, 58)
    return "digits", bytes(b)


def _garbled_zip(rng: random.Random, data: bytes) -> bytes:
    # The zip stays sound (its CRCs right), so the readers meet XML that is not.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = bytearray(source.read(info))
            if info.filename.endswith(".xml") and body and rng.random() < 0.5:
                for _ in range(rng.randrange(1, 10)):
                    body[rng.randrange(len(body))] = rng.choice(b"<>&\"' /=x0")
            target.writestr(info, bytes(body))
    return out.getvalue()


class _Hang(Exception):
    pass


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise _Hang


def run(
    rng: random.Random,
    bases: list[tuple[str, bytes]],
    more: Callable[[int], bool],
    *,
    hang_s: int = 30,
    slow_s: float = 10.0,
) -> Iterator[Finding | str]:
    """Parse mutants while `more(count)`; yields each finding, and each mutant's status."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        count = 0
        while more(count):
            count += 1
            name, data = rng.choice(bases)
            mutation, mutant = mutate(rng, name, data)
            started = time.monotonic()
            signal.alarm(hang_s)
            try:
                report = parse_document(mutant, filename=name)
            except _Hang:
                yield Finding(name, mutation, "hang", f"over {hang_s} s", mutant)
                continue
            except Exception as exc:  # the entry point must never raise
                yield Finding(name, mutation, "escaped", repr(exc)[:300], mutant)
                continue
            finally:
                signal.alarm(0)
            if report.crashed:
                yield Finding(name, mutation, "crash", (report.error or "")[:300], mutant)
            elif time.monotonic() - started > slow_s:
                yield Finding(name, mutation, "slow", f"{time.monotonic() - started:.1f} s", mutant)
            yield str(report.status)
    finally:
        signal.signal(signal.SIGALRM, previous)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0, help="how long to fuzz (default 300)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("fuzz-findings"), help="where findings' bytes go")
    parser.add_argument("--slow", type=float, default=10.0, help="seconds past which a parse is a finding")
    args = parser.parse_args()
    bases = documents()
    deadline = time.monotonic() + args.seconds
    statuses: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    for item in run(random.Random(args.seed), bases, lambda _n: time.monotonic() < deadline, slow_s=args.slow):
        if isinstance(item, str):
            statuses[item] += 1
            continue
        if (item.what, item.detail[:80]) in seen:
            continue
        seen.add((item.what, item.detail[:80]))
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / f"{item.what}-{len(seen)}-{item.name}"
        path.write_bytes(item.data)
        print(f"{item.what}: {item.name} ({item.mutation}) {item.detail} -> {path}", flush=True)
    print(f"{sum(statuses.values())} mutants, {len(seen)} distinct findings; statuses {dict(statuses)}")
    raise SystemExit(1 if seen else 0)


if __name__ == "__main__":
    main()
