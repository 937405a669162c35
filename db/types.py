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


def text_key(value: str) -> str:
    """The unique key of a text of any length (a URL, an agency name): its SHA-256.

    PostgreSQL refuses index entries over 2,704 bytes, so such texts are stored as TEXT
    and made unique through this digest. NULs are stripped first, as CleanText stores
    the text without them.
    """
    return hashlib.sha256(value.replace("\x00", "").encode("utf-8", "surrogatepass")).hexdigest()


url_key = text_key
