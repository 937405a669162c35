"""Progress events for whoever runs a flow in-process (the CLI's progress bar).

Plain `logging` records on one named logger, carrying counts in `extra`: the flow does
not know or care whether anyone listens; in a deployment nobody does.
"""

from __future__ import annotations

import logging

LOGGER_NAME = "nianbao.progress"
TOTAL = "nianbao_total"
DONE = "nianbao_done"

_log = logging.getLogger(LOGGER_NAME)


def announce_total(total: int) -> None:
    _log.info("%d reports to process", total, extra={TOTAL: total})


def advance(done: int) -> None:
    _log.info("%d more reports processed", done, extra={DONE: done})
