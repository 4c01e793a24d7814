"""Ending sessions: signing out revokes every token of the user issued until now.

Why a per-user token version rather than a deny-list of token ids (``jti``): every
request already checks the user's row (role, tenant, active; at most a second old, see
``recent_users``), so comparing one more column costs nothing, works the same on every
worker and process within that second, and needs no table
that grows with each sign-out or a purge of expired entries. The price is that signing
out ends all of that person's sessions (every tab and device), which is also what a
person who suspects a stolen session wants. API keys are not tokens and are not touched.
"""

from __future__ import annotations

from sqlmodel import col

from stock_saas.db import after_commit, write_session
from stock_saas.models import User
from stock_saas.services.core import Context, Role, require_person, require_role, scoped_update
from stock_saas.services.people.recent_users import forget_user

__all__ = ["sign_out"]


def sign_out(*, ctx: Context) -> None:
    """Revoke every token of the caller issued so far (all tabs and devices), at once."""
    require_role(ctx, Role.USER)
    user_id = require_person(ctx)
    with write_session() as session:
        session.execute(
            scoped_update(ctx, User)
            .where(col(User.id) == user_id)
            .values(token_version=col(User.token_version) + 1)
        )
        after_commit(session, lambda: forget_user(user_id))  # this process: at once
