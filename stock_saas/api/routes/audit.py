"""The audit trail: the tenant's log (admin) and one item's history (anyone)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from stock_saas.api.deps import TenantContext
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import ID_MAX, Cursor, DateTime
from stock_saas.services import audit
from stock_saas.services.audit import MAX_PAGE, AuditPage
from stock_saas.services.stock import AdjustReason, MovementAction

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["audit"], responses=ERROR_RESPONSES)

OptionalId = Annotated[int | None, Query(ge=1, le=ID_MAX)]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000)]
Action = Annotated[MovementAction | None, Query(description="Only entries of this action.")]
Reason = Annotated[AdjustReason | None, Query(description="Only adjusts with this reason.")]


@router.get("/audit/logs", responses=error_responses(409))
def audit_logs(
    ctx: TenantContext,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Offset = 0,
    item_id: OptionalId = None,
    department_id: OptionalId = None,
    action: Action = None,
    reason: Reason = None,
    since: DateTime | None = None,
    until: DateTime | None = None,
    cursor: Cursor = None,
) -> AuditPage:
    """The tenant's audit log, newest first by (created_at, id) (admin); pass each
    answer's ``next_cursor`` as ``cursor`` (same filters, no offset) for the next page until
    it is null. ``total`` counts up to 1,000 matching entries (``total_exact`` false: more)."""
    flt = audit.AuditFilter(
        item_id=item_id,
        department_id=department_id,
        action=action,
        reason=reason,
        since=since,
        until=until,
    )
    return audit.latest(ctx=ctx, limit=limit, offset=offset, flt=flt, cursor=cursor)


@router.get("/items/{item_id}/history", tags=["items"], responses=error_responses(404))
def item_history(
    item_id: Annotated[int, Path(ge=1, le=ID_MAX)],
    ctx: TenantContext,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Offset = 0,
) -> AuditPage:
    """One item's movements across departments, newest first."""
    return audit.item_history(ctx=ctx, item_id=item_id, limit=limit, offset=offset)
