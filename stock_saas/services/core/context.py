"""Who is acting: the Context every service takes, roles and the one role check."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from stock_saas.errors import Forbidden, Unauthorized

__all__ = ["Context", "Role", "Source", "require_person", "require_role"]


class Role(StrEnum):
    USER = "user"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Role.USER: 0, Role.MANAGER: 1, Role.ADMIN: 2}


class Source(StrEnum):
    UI = "ui"
    API = "api"
    CLI = "cli"
    TASK = "task"


@dataclass(frozen=True, slots=True)
class Context:
    """The verified identity a front door hands to a service."""

    tenant_id: int
    role: Role
    source: Source
    user_id: int | None = None
    actor_name: str = "system"
    # Set when an API key is acting (services.keys): it acts for the tenant, not a person.
    key_id: int | None = None


def require_role(ctx: Context, role: Role) -> None:
    """Raise Forbidden unless ``ctx`` holds ``role`` or a higher one."""
    if ctx.role.rank < role.rank:
        raise Forbidden(f"This needs the {role.value} role; you are {ctx.role.value}.")


def require_person(ctx: Context) -> int:
    """The id of the person acting: Forbidden for an API key, Unauthorized without one."""
    if ctx.key_id is not None:
        raise Forbidden("An API key acts for its tenant, not a person: sign in for this.")
    if ctx.user_id is None:
        raise Unauthorized("Sign in first.")
    return ctx.user_id
