"""The OCR models (rapidocr's PP-OCRv4, shipped in its wheel), loaded once per process.

Two calls: `lines` detects text lines on a region and reads them; `recognise` reads
crops that are already one line each, skipping the detector (table cells).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol, TypeVar, cast

import numpy as np

# onnxruntime's own thread pools would take both cores per worker; the parser pool
# already runs one worker per core.
_THREADS = 1

T = TypeVar("T")


@dataclass(frozen=True)
class TextLine:
    """A detected line: its box in the image (x0, y0, x1, y1), text and confidence."""

    box: tuple[int, int, int, int]
    text: str
    score: float


class _Engine(Protocol):
    """The part of rapidocr's RapidOCR this module calls; each call returns (result, elapsed)."""

    def __call__(self, image: np.ndarray, *, use_cls: bool) -> tuple[list[tuple[Any, Any, Any]] | None, Any]: ...

    def text_rec(self, crops: list[np.ndarray]) -> tuple[list[tuple[Any, Any]], Any]: ...


@cache
def _engine() -> _Engine:
    from rapidocr_onnxruntime import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.WARNING)
    # rapidocr has no types (RapidOCR is Any here): _Engine says what this module relies on.
    return cast(
        _Engine,
        RapidOCR(
            intra_op_num_threads=_THREADS,
            inter_op_num_threads=_THREADS,
            use_cls=False,  # pages are deskewed upright before this
            text_score=0.3,  # keep weak lines; the caller decides what a score is worth
            # The default 0.5 drops whole lines whose print is uneven (a title line whose
            # digits are set in another font, raised): 0.3 keeps them, and the recogniser's
            # score still sorts out what is not text.
            det_box_thresh=0.3,
        ),
    )


def _out_of_memory(exc: Exception) -> bool:
    # onnxruntime reports a failed allocation as a RuntimeException carrying the C++ text,
    # wrapped by rapidocr in a traceback several lines long.
    text = str(exc)
    return "bad_alloc" in text or "Failed to allocate" in text


def _run(call: Callable[[], T]) -> T:
    """Call the engine; its allocation failures become MemoryError (the parser's memory verdict)."""
    try:
        return call()
    except Exception as exc:
        if _out_of_memory(exc):
            raise MemoryError("OCR ran out of memory (onnxruntime could not allocate)") from exc
        raise


def lines(image: np.ndarray) -> list[TextLine]:
    """Text lines of an RGB/BGR image, in no particular order."""
    result, _elapsed = _run(lambda: _engine()(image, use_cls=False))
    found = []
    for points, text, score in result or []:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        box = (int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys)))
        found.append(TextLine(box, str(text), float(score)))
    return found


def recognise(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Text and confidence of each one-line crop (3-channel uint8)."""
    if not crops:
        return []
    results, _elapsed = _run(lambda: _engine().text_rec(crops))
    return [(str(text), float(score)) for text, score in results]
