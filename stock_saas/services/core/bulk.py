"""Reading and writing thousands of a tenant's rows in one statement each (the CSV import).

On PostgreSQL the rows are COPYed into a temporary table (dropped at commit) and one
INSERT … SELECT or UPDATE … FROM applies them; id lists travel as one array parameter
(``= ANY``). A 100,000-row IN list, multi-row VALUES or array of text costs more to send
and parse than to run. SQLite has no COPY and no network: an executemany, or an IN list
in chunks, does the same there.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import any_, bindparam, column, select, table, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, SQLModel

from stock_saas.services.core.context import Context

__all__ = ["CHUNK", "insert_rows", "one_of", "update_rows"]

CHUNK = 5000  # values per IN (...) on SQLite, far below its bound-parameter limit


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def one_of(session: Session, column: Any, values: list[Any]) -> ColumnElement[bool]:
    """``column IN values``: ``= ANY(:array)`` on PostgreSQL; on SQLite give at most
    :data:`CHUNK` values."""
    if _postgres(session):
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(list(values))  # type: ignore[no-any-return]


def _staged(session: Session, target: Any, rows: list[dict[str, Any]]) -> Any:
    """``rows`` COPYed into a new temporary table shaped like ``target``'s columns."""
    columns = list(rows[0])
    dialect = session.get_bind().dialect
    name = f"staged_{uuid.uuid4().hex[:12]}"
    shape = ", ".join(f"{c} {target.c[c].type.compile(dialect=dialect)}" for c in columns)
    driver = session.connection().connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({shape}) ON COMMIT DROP")
        with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
    return table(name, *(column(c, target.c[c].type) for c in columns))


def insert_rows(
    session: Session,
    model: type[SQLModel],
    rows: list[dict[str, Any]],
    *,
    returning: tuple[Any, ...] = (),
    skip_existing: bool = False,
) -> list[Any]:
    """INSERT ``rows`` (dicts with the same keys, ``tenant_id`` among them); with
    ``skip_existing`` a row whose unique key exists is left out. Answers the ``returning``
    columns of the rows inserted."""
    if not rows:
        return []
    target = model.__table__  # type: ignore[attr-defined]
    if _postgres(session):
        staged = _staged(session, target, rows)
        statement: Any = pg_insert(target).from_select(list(rows[0]), select(*staged.c))
        if skip_existing:
            statement = statement.on_conflict_do_nothing()
        if returning:
            return list(session.execute(statement.returning(*returning)).all())
        session.execute(statement)
        return []
    statement = sqlite_insert(target)
    if skip_existing:
        statement = statement.on_conflict_do_nothing()
    if returning:
        result = session.connection().execute(statement.returning(*returning), rows)
        return list(result.all())
    session.connection().execute(statement, rows)
    return []


def update_rows(
    session: Session,
    ctx: Context,
    model: type[SQLModel],
    rows: list[dict[str, Any]],
    *,
    add: frozenset[str] = frozenset(),
) -> None:
    """UPDATE the tenant's rows of ``model`` by ``id``: each dict holds ``id`` and new
    values; a column named in ``add`` is increased by its value (``quantity = quantity +
    :delta``) instead of set."""
    if not rows:
        return
    target = model.__table__  # type: ignore[attr-defined]
    if _postgres(session):
        given = _staged(session, target, rows)
        values = {
            c: target.c[c] + given.c[c] if c in add else given.c[c] for c in rows[0] if c != "id"
        }
        session.execute(
            update(target)
            .where(target.c.tenant_id == ctx.tenant_id, target.c.id == given.c.id)
            .values(values)
        )
        return
    values = {
        c: target.c[c] + bindparam(f"v_{c}") if c in add else bindparam(f"v_{c}")
        for c in rows[0]
        if c != "id"
    }
    session.connection().execute(
        update(target)
        .where(target.c.tenant_id == ctx.tenant_id, target.c.id == bindparam("v_id"))
        .values(values),
        [{f"v_{c}": value for c, value in row.items()} for row in rows],
    )
