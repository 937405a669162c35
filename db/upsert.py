"""INSERT ... ON CONFLICT for both dialects, so concurrent writers never collide."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Table, TextualSelect, bindparam, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import class_mapper
from sqlmodel import Session, SQLModel


def insert_stmt(session: Session, model: type[SQLModel]) -> Any:
    """The dialect's INSERT that supports on_conflict_do_nothing/do_update."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise RuntimeError(f"unsupported database dialect {name!r}: use SQLite or PostgreSQL")


@cache
def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model (SQLModel sets `__table__` on it but declares it to no type checker)."""
    table = class_mapper(model).local_table
    if not isinstance(table, Table):  # a model mapped onto a join or a select: db/models.py has none
        raise TypeError(f"{model.__name__} is not mapped to one table")
    return table


def insert_ignore(session: Session, model: type[SQLModel], values: dict[str, Any], keys: list[str]) -> Any:
    """Insert a row unless one with the same `keys` exists; return the new primary key or None.

    The key is of the table's own type (an int for most tables, a str for `portal`): callers say which.
    """
    stmt = _insert_ignore(table_of(model), tuple(keys), tuple(sorted(values)))
    return session.execute(stmt, values).scalar_one_or_none()


@cache
def _insert_ignore(table: Table, keys: tuple[str, ...], columns: tuple[str, ...]) -> TextualSelect:
    """The statement for one table, conflict keys and set of columns, compiled once.

    Spelled out rather than built with the dialects' insert(): SQLAlchemy does not cache
    those (no cache key), so each row's INSERT was compiled afresh, most of an upsert's
    CPU. Both SQLite and PostgreSQL take this syntax; each value is bound with its
    column's type, so JSON, dates and CleanText are processed as in any other write.
    """
    pk = next(iter(table.primary_key.columns))
    names = ", ".join(f'"{c}"' for c in columns)
    sql = (f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join(f":{c}" for c in columns)})'
           f' ON CONFLICT ({", ".join(keys)}) DO NOTHING RETURNING "{pk.name}"')  # fmt: skip
    params = [bindparam(c, type_=table.c[c].type) for c in columns]
    return text(sql).bindparams(*params).columns(pk)
