"""Tenants (organisations): creation with their default department, lookup by handle."""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from stock_saas.db import read_session, write_session
from stock_saas.errors import Conflict, NotFound
from stock_saas.models import Department, Tenant
from stock_saas.services.core import Context, Role, Source, clean_name

__all__ = [
    "DEFAULT_DEPARTMENT",
    "DEFAULT_TENANT",
    "create_tenant",
    "ensure_tenant",
    "get_tenant",
    "operator_context",
]

DEFAULT_TENANT = "default"
DEFAULT_DEPARTMENT = "General"


def _add_tenant(session: Session, name: str, display_name: str | None = None) -> Tenant:
    tenant = Tenant(name=name, display_name=display_name or name)
    session.add(tenant)
    session.flush()
    assert tenant.id is not None
    session.add(Department(tenant_id=tenant.id, name=DEFAULT_DEPARTMENT, is_default=True))
    session.flush()
    return tenant


def create_tenant(session: Session, *, name: str) -> Tenant:
    """A new organisation called ``name`` with its default department, inside the caller's
    transaction. Two organisations may share a name: when the unique handle ``name`` is
    taken, the new one's handle gets a random suffix, so nobody learns that the name exists."""
    display = clean_name(name, "organisation name")
    for handle in (display, *(_suffixed(display) for _ in range(3))):
        if session.exec(select(Tenant.id).where(Tenant.name == handle)).first() is not None:
            continue
        try:
            with session.begin_nested():
                return _add_tenant(session, handle, display)
        except IntegrityError:
            continue  # someone took that handle a moment ago
    raise Conflict("Could not found the organisation just now; try again.")


def _suffixed(display: str) -> str:
    return f"{display[:110]} #{secrets.token_hex(4)}"


def get_tenant(*, tenant_id: int) -> Tenant:
    with read_session() as session:
        tenant = session.get(Tenant, tenant_id)
        if tenant is None:
            raise NotFound(f"No tenant with id {tenant_id}.")
        return tenant


def ensure_tenant(name: str = DEFAULT_TENANT) -> Tenant:
    """The tenant called ``name``, created (with its default department) if missing."""
    name = clean_name(name, "tenant name")
    with read_session() as session:
        tenant = session.exec(select(Tenant).where(Tenant.name == name)).first()
    if tenant is not None:
        return tenant
    with write_session() as session:
        tenant = session.exec(select(Tenant).where(Tenant.name == name)).first()
        return tenant if tenant is not None else _add_tenant(session, name)


def operator_context(tenant: Tenant, *, source: Source, actor_name: str) -> Context:
    """Admin rights inside one tenant, for operators (CLI) and scheduled tasks."""
    assert tenant.id is not None
    return Context(tenant_id=tenant.id, role=Role.ADMIN, source=source, actor_name=actor_name)
