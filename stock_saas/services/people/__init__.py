"""People: tenants (organisations), their users and roles, sign-in and sign-up, invites."""

from stock_saas.models import NotificationPreference
from stock_saas.services.people.auth import (
    BAD_CREDENTIALS,
    SignedIn,
    context_from_token,
    register,
    sign_in,
)
from stock_saas.services.people.invites import (
    MAX_TTL_HOURS,
    InviteView,
    NewInvite,
    create_invite,
    invite_departments,
    list_invites,
    revoke_invite,
)
from stock_saas.services.people.sessions import sign_out
from stock_saas.services.people.tenants import (
    DEFAULT_DEPARTMENT,
    DEFAULT_TENANT,
    create_tenant,
    ensure_tenant,
    get_tenant,
    operator_context,
)
from stock_saas.services.people.throttle import address_key
from stock_saas.services.people.users import (
    UserView,
    add_user,
    check_password_policy,
    clean_username,
    context_for_user,
    create_user,
    get_me,
    list_users,
    update_me,
    update_user,
)

__all__ = [
    "BAD_CREDENTIALS",
    "DEFAULT_DEPARTMENT",
    "DEFAULT_TENANT",
    "MAX_TTL_HOURS",
    "InviteView",
    "NewInvite",
    "NotificationPreference",
    "SignedIn",
    "UserView",
    "add_user",
    "address_key",
    "check_password_policy",
    "clean_username",
    "context_for_user",
    "context_from_token",
    "create_invite",
    "create_tenant",
    "create_user",
    "ensure_tenant",
    "get_me",
    "get_tenant",
    "invite_departments",
    "list_invites",
    "list_users",
    "operator_context",
    "register",
    "revoke_invite",
    "sign_in",
    "sign_out",
    "update_me",
    "update_user",
]
