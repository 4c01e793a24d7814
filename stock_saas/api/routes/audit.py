"""The audit trail: the tenant's log (admin) and one item's history (anyone)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query

from stock_saas.api.deps import TenantContext
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import ID_MAX, AuditEntryPublic, AuditPage
from stock_saas.services import audit

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["audit"], responses=ERROR_RESPONSES)

OptionalId = Annotated[int | None, Query(ge=1, le=ID_MAX)]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000)]
Action = Annotated[
    str | None,
    Query(
        pattern="^(add|restock|issue|return|transfer_in|transfer_out|threshold)$",
        description="Only entries of this action.",
    ),
]


def _page(page: audit.AuditPage) -> AuditPage:
    return AuditPage(
        entries=[AuditEntryPublic.model_validate(e, from_attributes=True) for e in page.entries],
        total=page.total,
    )


@router.get("/audit/logs")
def audit_logs(
    ctx: TenantContext,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_PAGE)] = 50,
    offset: Offset = 0,
    item_id: OptionalId = None,
    department_id: OptionalId = None,
    action: Action = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> AuditPage:
    """The tenant's audit log, newest first (admin)."""
    flt = audit.AuditFilter(
        item_id=item_id, department_id=department_id, action=action, since=since, until=until
    )
    return _page(audit.latest(ctx=ctx, limit=limit, offset=offset, flt=flt))


@router.get("/items/{item_id}/history", tags=["items"], responses=error_responses(404))
def item_history(
    item_id: Annotated[int, Path(ge=1, le=ID_MAX)],
    ctx: TenantContext,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_PAGE)] = 50,
    offset: Offset = 0,
) -> AuditPage:
    """One item's movements across departments, newest first."""
    return _page(audit.item_history(ctx=ctx, item_id=item_id, limit=limit, offset=offset))
