"""Version of the parser's output, stored on every ParsedReport.

Bump it whenever the same bytes would parse to different output (new cells, changed
statuses, metadata rules), so stored reports can be re-parsed selectively.
"""

from __future__ import annotations

from typing import Final

PARSER_VERSION: Final = "2026.12.1"
