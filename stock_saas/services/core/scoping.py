"""The one home of tenant scoping: every query on tenant data starts here.

Rows of another tenant are indistinguishable from missing rows (NotFound, HTTP 404), so
ids cannot be probed. Scheduled work may act on several tenants in one statement through
a :class:`TenantBatch` (one system Context per tenant), never a person's request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import BigInteger, Connection, CursorResult, Select, Update, bindparam, update
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, SQLModel, select
from sqlmodel.sql.expression import SelectOfScalar

from stock_saas.errors import Forbidden, NotFound
from stock_saas.services.core.context import Context, Role, Source

__all__ = [
    "TenantBatch",
    "batch_columns",
    "batch_update",
    "find_scoped",
    "get_scoped",
    "insert_all_ignoring_duplicates",
    "insert_ignoring_duplicates",
    "insert_selected_ignoring_duplicates",
    "scoped",
    "scoped_columns",
    "scoped_rows",
    "scoped_update",
    "TENANT",
    "scoped_template",
    "execute_scoped",
    "execute_scoped_sql",
]

M = TypeVar("M", bound=SQLModel)


def scoped(ctx: Context, model: type[M]) -> SelectOfScalar[M]:
    """``SELECT model WHERE tenant_id = ctx.tenant_id``; add filters to it."""
    return select(model).where(model.tenant_id == ctx.tenant_id)  # type: ignore[attr-defined]


def scoped_rows(ctx: Context, model: type[SQLModel], *joined: Any) -> Select[Any]:
    """``SELECT model, *joined WHERE model.tenant_id = ctx.tenant_id`` (rows of tuples).

    Joins must follow foreign keys from ``model``'s rows, which already belong to the tenant.
    """
    return sa_select(model, *joined).where(model.tenant_id == ctx.tenant_id)  # type: ignore[attr-defined]


def scoped_columns(ctx: Context, model: type[SQLModel], *columns: Any) -> Select[Any]:
    """``SELECT *columns FROM model WHERE model.tenant_id = ctx.tenant_id`` (aggregates)."""
    return sa_select(*columns).where(model.tenant_id == ctx.tenant_id)  # type: ignore[attr-defined]


def get_scoped(
    session: Session,
    ctx: Context,
    model: type[M],
    row_id: Any,
    *,
    lock: bool = False,
    key_share: bool = False,
) -> M:
    """The caller's tenant's row with this id, or NotFound. ``lock``: FOR UPDATE;
    ``key_share`` with it: FOR NO KEY UPDATE, which still lets other transactions insert
    rows that reference this one (their foreign-key check does not wait)."""
    query = scoped(ctx, model).where(model.id == row_id)  # type: ignore[attr-defined]
    if lock:
        query = query.with_for_update(key_share=key_share)
    row = session.exec(query).first()
    if row is None:
        raise NotFound(f"No {_label(model)} with id {row_id}.")
    return row


def find_scoped(session: Session, ctx: Context, model: type[M], **equals: Any) -> M | None:
    """The caller's tenant's row whose columns equal ``equals``, or None."""
    query = scoped(ctx, model)
    for column, value in equals.items():
        query = query.where(getattr(model, column) == value)
    return session.exec(query).first()


def _label(model: type[SQLModel]) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()


# Statement templates built once and reused: the tenant is a bind parameter that
# execute_scoped always fills from the Context, so a template cannot run unscoped.
TENANT = bindparam("scope_tenant_id", type_=BigInteger)


def scoped_template(model: type[SQLModel], *columns: Any) -> Select[Any]:
    """``SELECT *columns WHERE model.tenant_id = :scope_tenant_id``, for reuse."""
    return sa_select(*columns).where(model.tenant_id == TENANT)  # type: ignore[attr-defined]


def execute_scoped(
    connection: Connection, ctx: Context, statement: Any, params: dict[str, Any]
) -> CursorResult[Any]:
    """Run a template built with TENANT for ``ctx``'s tenant."""
    return connection.execute(statement, {**params, "scope_tenant_id": ctx.tenant_id})


def execute_scoped_sql(cursor: Any, ctx: Context, sql: str, params: dict[str, Any]) -> Any:
    """``execute_scoped`` on a driver's cursor (``db.driver_autocommit``): ``sql`` is a
    template built with TENANT, compiled once to the driver's SQL (the hot path's)."""
    return cursor.execute(sql, {**params, "scope_tenant_id": ctx.tenant_id})


def scoped_update(ctx: Context, model: type[M]) -> Update:
    """``UPDATE model WHERE tenant_id = ctx.tenant_id``; add the guard and values."""
    return update(model).where(model.tenant_id == ctx.tenant_id)  # type: ignore[attr-defined]


def insert_ignoring_duplicates(session: Session, model: type[M], **values: Any) -> None:
    """INSERT that silently yields to a concurrent insert of the same unique key."""
    insert_all_ignoring_duplicates(session, model, [values])


VALUES_ROWS = 500  # rows per multi-row VALUES: far below either database's parameter limit


def insert_all_ignoring_duplicates(
    session: Session, model: type[M], rows: list[dict[str, Any]]
) -> None:
    """One multi-row ``INSERT … VALUES … ON CONFLICT DO NOTHING`` per VALUES_ROWS rows (dicts
    with the same keys): a row whose unique key exists, or is being inserted concurrently,
    is skipped. For a few rows at a time on a busy path; thousands go by ``insert_rows``."""
    table = model.__table__  # type: ignore[attr-defined]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for start in range(0, len(rows), VALUES_ROWS):
        chunk = rows[start : start + VALUES_ROWS]
        session.execute(insert(table).values(chunk).on_conflict_do_nothing())


def insert_selected_ignoring_duplicates(
    session: Session, model: type[M], columns: list[str], rows: Select[Any], returning: Any
) -> list[Any]:
    """``INSERT INTO model (columns) SELECT … RETURNING returning`` that skips rows whose
    unique key exists (or is being inserted concurrently); the values of ``returning``
    for the rows it inserted. ``rows`` must be a scoped select with a WHERE clause
    (SQLite parses the upsert only then)."""
    table = model.__table__  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "postgresql":
        statement: Any = pg_insert(table).from_select(columns, rows).on_conflict_do_nothing()
    else:
        statement = sqlite_insert(table).from_select(columns, rows).on_conflict_do_nothing()
    return list(session.execute(statement.returning(returning)).scalars())


# ---- several tenants at once, for the scheduler's set-based sweeps --------------------


@dataclass(frozen=True, slots=True)
class TenantBatch:
    """Tenants that scheduled work reconciles together, one statement for all of them.

    A batch of several tenants is built only from system contexts (admin rights, source
    ``task``): a person's request always acts on one tenant (a batch of one). Rows of the
    batch's tenants are selected with :func:`batch_columns`; a joined table must match the
    scoped row's ``tenant_id`` (or follow a foreign key from it), so no statement ever
    pairs rows of two tenants.
    """

    contexts: tuple[Context, ...]

    def __post_init__(self) -> None:
        if len(self.contexts) < 2:
            return
        for ctx in self.contexts:
            if ctx.source != Source.TASK or ctx.role != Role.ADMIN:
                raise Forbidden("Only scheduled work acts on several tenants at once.")

    @classmethod
    def of(cls, contexts: Iterable[Context]) -> TenantBatch:
        return cls(tuple(contexts))

    @property
    def tenant_ids(self) -> list[int]:
        return [ctx.tenant_id for ctx in self.contexts]


def batch_columns(batch: TenantBatch, model: type[SQLModel], *columns: Any) -> Select[Any]:
    """``SELECT *columns WHERE model.tenant_id IN (the batch's tenants)``."""
    return sa_select(*columns).where(model.tenant_id.in_(batch.tenant_ids))  # type: ignore[attr-defined]


def batch_update(batch: TenantBatch, model: type[M]) -> Update:
    """``UPDATE model WHERE tenant_id IN (the batch's tenants)``; add the guard and values."""
    return update(model).where(model.tenant_id.in_(batch.tenant_ids))  # type: ignore[attr-defined]
