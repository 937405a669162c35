"""TRS naming rules: article and upload file names, docids, opaque column ids, link text.

portals.md §2.5-§2.6: articles are `tYYYYMMDD_<docid>.html` (.shtml and .htm on some
sites) with docids rising with date across the whole platform; uploads are `P0`/`W0` + upload date + 12 digits.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Protocol

# Anchor of the docid sequence (nxgy 2019-11-01 -> 1835995) and its growth per day.
_DOCID_ANCHOR = (dt.date(2019, 11, 1), 1_835_995)
_DOCIDS_PER_DAY = 1_400


class Dated(Protocol):
    """Anything that gets a docid: it has an id, a publication time and a docid slot."""

    id: str
    published: dt.datetime
    docid: int | None


def upload_name(prefix: str, day: dt.date, rng: random.Random, ext: str) -> str:
    """`P020240125391204817733.pdf`: prefix, upload date, 12 digits, extension."""
    return f"{prefix}{day:%Y%m%d}{rng.randrange(10**12):012d}.{ext}"


def dead_oldsrc(name: str) -> str:
    """The `/protect/P0YYYYMM/P0YYYYMMDD/<name>` path TRS prints next to an upload."""
    day = name[2:10]
    return f"/protect/P0{day[:6]}/P0{day}/{name}"


def article_name(day: dt.date, docid: int, part: int = 0, ext: str = "html") -> str:
    """`t20240125_4601234.html` (or .shtml, .htm), `t20240125_4601234_1.html` for a continuation page."""
    suffix = f"_{part}" if part else ""
    return f"t{day:%Y%m%d}_{docid}{suffix}.{ext}"


def month_folder(day: dt.date) -> str:
    return f"{day:%Y%m}/"


def truncate(title: str, limit: int = 16) -> str:
    """Link text as TRS lists print it: cut with … once longer than `limit`."""
    return title if len(title) <= limit else title[: limit - 1] + "…"


def _base_docid(day: dt.date) -> int:
    anchor_day, anchor_id = _DOCID_ANCHOR
    return max(1_000_000, anchor_id + (day - anchor_day).days * _DOCIDS_PER_DAY)


def assign_docids(rng: random.Random, items: Iterable[Dated]) -> None:
    """Give every item a 7-digit docid that strictly increases with publication time."""
    previous = 0
    for item in sorted(items, key=lambda i: (i.published, i.id)):
        item.docid = max(previous + 1, _base_docid(item.published.date()) + rng.randint(0, 900))
        previous = item.docid


class ColumnIds:
    """Opaque, increasing column ids for `_<id>` suffixes, like a WCM's channel ids."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._next = rng.randint(38_000, 50_000)

    def take(self) -> int:
        value = self._next
        self._next += self._rng.randint(1, 9)
        return value
