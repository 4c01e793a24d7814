"""The identity scheduled work acts with: admin rights inside one tenant, source ``task``."""

from __future__ import annotations

from stock_saas.services.core import Context, Role, Source

__all__ = ["system_context"]


def system_context(tenant_id: int) -> Context:
    """Admin rights inside ``tenant_id`` for the scheduler and workers (audited as ``celery``)."""
    return Context(tenant_id=tenant_id, role=Role.ADMIN, source=Source.TASK, actor_name="celery")
