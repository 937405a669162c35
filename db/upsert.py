"""INSERT ... ON CONFLICT for both dialects, so concurrent writers never collide."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel


def insert_stmt(session: Session, model: type[SQLModel]) -> Any:
    """The dialect's INSERT that supports on_conflict_do_nothing/do_update."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise RuntimeError(f"unsupported database dialect {name!r}: use SQLite or PostgreSQL")


def insert_ignore(session: Session, model: type[SQLModel], values: dict[str, Any], keys: list[str]) -> Any:
    """Insert a row unless one with the same `keys` exists; return the new primary key or None."""
    stmt = insert_stmt(session, model).values(**values).on_conflict_do_nothing(index_elements=keys)
    table: Any = model.__table__  # type: ignore[attr-defined]
    pk = next(iter(table.primary_key.columns))
    return session.execute(stmt.returning(pk)).scalar_one_or_none()
