"""Field types and base models every API schema is built from.

Every string is bounded and must be text a database can store (no NUL, valid UTF-8);
every id and number fits the columns behind it, so bad input is a 422, never a 500.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from stock_saas.models import BARCODE_MAX, NAME_MAX, USERNAME_MAX
from stock_saas.services.core import MAX_CURSOR, MAX_QUANTITY, UtcDatetime

__all__ = [
    "ID_MAX",
    "ApiModel",
    "Barcode",
    "Cursor",
    "DepartmentRef",
    "Email",
    "ErrorDetail",
    "Id",
    "Name",
    "NewQuantity",
    "Note",
    "Password",
    "Quantity",
    "SearchText",
    "TenantBody",
    "TenantPatch",
    "Threshold",
    "UtcDatetime",
    "Username",
    "storable_text",
]

ID_MAX = 2**63 - 1  # BIGINT


def storable_text(value: str) -> str:
    """Refuse text no database column can hold (PostgreSQL rejects NUL; lone surrogates
    cannot be encoded)."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


_STORABLE = AfterValidator(storable_text)


def _bounded(max_length: int, min_length: int = 0) -> StringConstraints:
    return StringConstraints(min_length=min_length, max_length=max_length)


Name = Annotated[str, _bounded(NAME_MAX, 1), _STORABLE]
Barcode = Annotated[str, _bounded(BARCODE_MAX), _STORABLE]
Note = Annotated[str, _bounded(500), _STORABLE]
Username = Annotated[str, _bounded(USERNAME_MAX, 1), _STORABLE]
Password = Annotated[str, _bounded(128, 1), _STORABLE]
Email = Annotated[str, _bounded(254), _STORABLE]
SearchText = Annotated[str, _bounded(120), _STORABLE]
Cursor = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=MAX_CURSOR,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="The previous page's next_cursor (same filters and sort; no offset).",
    ),
]


Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY, description="Whole units, at least 1.")]
NewQuantity = Annotated[
    int, Field(ge=0, le=MAX_QUANTITY, description="Whole units; 0 creates an empty level.")
]
Threshold = Annotated[int, Field(ge=0, le=MAX_QUANTITY, description="Low below this quantity.")]
DepartmentRef = Annotated[
    Id | Name, Field(description="A department's id (number) or name (string).")
]


class ApiModel(BaseModel):
    """Request bodies: unknown fields are refused, so nobody sets ``id``/``role`` by sneaking
    them in."""

    model_config = ConfigDict(extra="forbid")


class TenantBody(ApiModel):
    """A POST on tenant data: names the tenant it acts in, which must be the token's."""

    tenant_id: Id = Field(description="Your tenant's id; must equal the tenant in your token.")


class TenantPatch(ApiModel):
    """A PATCH body: may name its tenant as the query string may (``api.deps.tenant_body``
    checks either against the token, and the two against each other); it never changes it."""

    tenant_id: Id | None = Field(
        None, description="Your tenant's id, here or in the query; must equal your token's."
    )

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, without ``tenant_id`` (it names, never sets)."""
        return self.model_dump(exclude_unset=True, exclude={"tenant_id"})


class ErrorDetail(BaseModel):
    """Every error the API returns: ``{"detail": "..."}``."""

    detail: str
