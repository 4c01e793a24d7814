"""The one documented error hierarchy. Services raise these; front doors map them once.

=====================  ====  ==========================================
exception              HTTP  meaning
=====================  ====  ==========================================
Unauthorized           401   no or invalid credentials
Forbidden              403   role too low, or a tenant that is not yours
TwoFactorSetupRequired 403   right password, but the tenant requires a second factor
                             this admin or manager has not set up yet
NotFound               404   nothing of yours by that name or id
Conflict               409   state forbids it (duplicate, still in use)
InsufficientStock      409   fewer units on hand than asked for
TooLarge               413   a file over the size or row limit
ValidationFailed       422   the input itself is wrong
RateLimited            429   too many attempts; try later
ServiceUnavailable     503   a backing service is down; nothing changed
=====================  ====  ==========================================
"""

from __future__ import annotations

__all__ = [
    "Conflict",
    "Forbidden",
    "InsufficientStock",
    "NotFound",
    "RateLimited",
    "ServiceUnavailable",
    "StockSaasError",
    "TooLarge",
    "TwoFactorSetupRequired",
    "Unauthorized",
    "ValidationFailed",
]


class StockSaasError(Exception):
    """Base of every domain error; ``detail`` is safe to show to the caller."""

    status_code = 400
    #: What the caller sent is the problem (a form shows it beside its field and keeps the
    #: input), not who is asking or whether something exists.
    about_input = False

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Unauthorized(StockSaasError):
    status_code = 401


class Forbidden(StockSaasError):
    status_code = 403


class Refused(Forbidden):
    """403 for a value the caller sent that policy refuses (a wrong two-factor code, a
    webhook address that is not public), as opposed to a role or tenant the caller lacks."""

    about_input = True


class TwoFactorSetupRequired(Forbidden):
    """Sign-in stops before a session: the person must set up two-factor sign-in first.
    ``user_id`` is for the web sign-in's set-up step only; the API shows ``detail``."""

    def __init__(self, detail: str, *, user_id: int) -> None:
        super().__init__(detail)
        self.user_id = user_id


class NotFound(StockSaasError):
    status_code = 404


class Conflict(StockSaasError):
    status_code = 409
    about_input = True  # a rule across the fields sent, or between them and stored data


class InsufficientStock(Conflict):
    """An issue or transfer asked for more units than the stock level holds."""

    def __init__(self, detail: str, *, available: int = 0, requested: int = 0) -> None:
        super().__init__(detail)
        self.available = available
        self.requested = requested


class TooLarge(StockSaasError):
    """An uploaded file beyond what the operation accepts (bytes or rows)."""

    status_code = 413


class ValidationFailed(StockSaasError):
    status_code = 422
    about_input = True


class RateLimited(StockSaasError):
    status_code = 429

    def __init__(self, detail: str, *, retry_after: int = 60) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ServiceUnavailable(StockSaasError):
    status_code = 503
