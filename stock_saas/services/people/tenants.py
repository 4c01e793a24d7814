"""Tenants (organisations): creation with their default department, lookup by name."""

from __future__ import annotations

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


def _add_tenant(session: Session, name: str) -> Tenant:
    tenant = Tenant(name=name)
    session.add(tenant)
    session.flush()
    assert tenant.id is not None
    session.add(Department(tenant_id=tenant.id, name=DEFAULT_DEPARTMENT, is_default=True))
    session.flush()
    return tenant


def create_tenant(session: Session, *, name: str) -> Tenant:
    """A new organisation with its default department, inside the caller's transaction."""
    name = clean_name(name, "organisation name")
    if session.exec(select(Tenant).where(Tenant.name == name)).first() is not None:
        raise Conflict("That organisation name is taken; choose another.")
    try:
        with session.begin_nested():
            return _add_tenant(session, name)
    except IntegrityError as exc:
        raise Conflict("That organisation name is taken; choose another.") from exc


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
