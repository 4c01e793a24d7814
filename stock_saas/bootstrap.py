"""First run: migrate, create tenant ``default`` and its first admin.

The admin comes from ADMIN_USERNAME / ADMIN_PASSWORD. Only on the embedded SQLite
default may the password fall back to ``admin`` (a development convenience, printed as a
warning); anywhere else a missing ADMIN_PASSWORD is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from stock_saas.config import Settings, get_settings
from stock_saas.db import write_session
from stock_saas.errors import ValidationFailed
from stock_saas.migrations import upgrade_to_head
from stock_saas.models import Tenant, User
from stock_saas.security.passwords import hash_password
from stock_saas.services.core import Role
from stock_saas.services.people import DEFAULT_TENANT, ensure_tenant

__all__ = ["BootstrapRefused", "BootstrapResult", "bootstrap", "ensure_first_admin"]


class BootstrapRefused(ValidationFailed):
    """No admin password is configured and the database is not the embedded default."""


@dataclass(frozen=True)
class BootstrapResult:
    tenant: Tenant
    admin_username: str
    admin_created: bool
    default_password: bool


def ensure_first_admin(tenant: Tenant, settings: Settings, *, required: bool) -> BootstrapResult:
    """Create the tenant's first admin unless it already has one."""
    password = settings.admin_password
    default_password = False
    if not password:
        if not settings.is_sqlite:
            if required:
                raise BootstrapRefused(
                    "Refusing to create the first admin: set ADMIN_PASSWORD (and ADMIN_USERNAME); "
                    "the admin/admin fallback only applies to the embedded SQLite database."
                )
            return BootstrapResult(tenant, settings.admin_username, False, False)
        password, default_password = "admin", True
    with write_session() as session:
        has_admin = session.exec(
            select(User.id).where(User.tenant_id == tenant.id, User.role == Role.ADMIN.value)
        ).first()
        taken = session.exec(
            select(User.id).where(User.username == settings.admin_username)
        ).first()
        if has_admin is not None or taken is not None:
            return BootstrapResult(tenant, settings.admin_username, False, False)
        assert tenant.id is not None
        session.add(
            User(
                tenant_id=tenant.id,
                username=settings.admin_username,
                password_hash=hash_password(password),
                role=Role.ADMIN.value,
                email=settings.alert_email_to,
            )
        )
    return BootstrapResult(tenant, settings.admin_username, True, default_password)


def bootstrap(*, required: bool = True) -> BootstrapResult:
    """Migrate to head, ensure tenant ``default`` and its first admin."""
    settings = get_settings()
    upgrade_to_head()
    tenant = ensure_tenant(DEFAULT_TENANT)
    return ensure_first_admin(tenant, settings, required=required)
