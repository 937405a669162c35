"""Column types and keys that make SQLite and PostgreSQL accept exactly the same input."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class CleanText(TypeDecorator[str]):
    """TEXT without NUL characters.

    db/ stores exactly what it is given, with one exception made here for every text
    column: PostgreSQL text cannot hold NUL (U+0000) while SQLite can, so a NUL from a
    hostile page would make a report storable in tests and unstorable in production.
    Stripping it in the column type covers ORM writes and Core upserts alike.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return value.replace("\x00", "") if isinstance(value, str) else value


def url_key(url: str) -> str:
    """The unique key of a URL: its SHA-256, because a btree index cannot hold a long URL.

    PostgreSQL refuses index entries over 2,704 bytes, so URLs (which have no length
    limit worth trusting) are stored as TEXT and made unique through this digest.
    NULs are stripped first, as CleanText stores the URL without them.
    """
    return hashlib.sha256(url.replace("\x00", "").encode("utf-8", "surrogatepass")).hexdigest()
