"""A terminal progress bar fed by the flows' progress events (flows/progress.py)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from flows.progress import DONE, LOGGER_NAME, TOTAL

WIDTH = 30


class ProgressBar(logging.Handler):
    """Draws `[#####     ] 12/40 reports` on stderr as batches finish."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(logging.INFO)
        self.stream = stream or sys.stderr
        self.total = 0
        self.done = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.total += getattr(record, TOTAL, 0)
        self.done += getattr(record, DONE, 0)
        filled = WIDTH * self.done // self.total if self.total else 0
        self.stream.write(f"\r[{'#' * filled}{' ' * (WIDTH - filled)}] {self.done}/{self.total} reports")
        self.stream.flush()

    def close(self) -> None:
        if self.total:
            self.stream.write("\n")
        super().close()


@contextmanager
def progress_bar() -> Iterator[ProgressBar]:
    logger = logging.getLogger(LOGGER_NAME)
    bar = ProgressBar()
    logger.addHandler(bar)
    logger.setLevel(logging.INFO)
    # The bar replaces the log lines: don't let the root handlers print them as well.
    propagate, logger.propagate = logger.propagate, False
    try:
        yield bar
    finally:
        logger.removeHandler(bar)
        logger.propagate = propagate
        bar.close()
