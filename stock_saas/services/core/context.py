"""Who is acting: the Context every service takes, roles and the one role check."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from stock_saas.errors import Forbidden

__all__ = ["Context", "Role", "Source", "require_role"]


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


def require_role(ctx: Context, role: Role) -> None:
    """Raise Forbidden unless ``ctx`` holds ``role`` or a higher one."""
    if ctx.role.rank < role.rank:
        raise Forbidden(f"This needs the {role.value} role; you are {ctx.role.value}.")
