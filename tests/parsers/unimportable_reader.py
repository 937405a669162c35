"""A reader whose module cannot be imported in a parser worker once BREAK is set in the
environment: a broken installation, as a worker meets it when it starts.

The test imports it first (so the parse function can be pickled by name), then sets BREAK,
which the worker inherits.
"""

from __future__ import annotations

import os

from parsers.document import Document, Limits

BREAK = "NIANBAO_TEST_BREAK_READER"

if os.environ.get(BREAK):
    raise ImportError("the reader's library is not installed (test)")


def read_unreachable(data: bytes, limits: Limits, charset: str | None = None) -> Document:
    raise AssertionError("never runs: its module cannot be imported in the worker")
