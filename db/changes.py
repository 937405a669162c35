"""What an upsert did to a report: the words a run's outcomes and summaries are spelled with."""

from __future__ import annotations

from enum import StrEnum


class Change(StrEnum):
    """One upsert's effect on its report; stored and printed as these strings."""

    NEW = "new"  # first stored
    REVISED = "revised"  # new content at its canonical URL: version n+1
    PROMOTED = "promoted"  # a richer document became canonical
    REPARSED = "reparsed"  # the canonical document read by a newer parser
    ALTERNATE = "alternate"  # another document carrying it, kept beside the canonical one
    UNCHANGED = "unchanged"  # the same document read by the same parser: nothing written
