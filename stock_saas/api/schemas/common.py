"""Field types and base models every API schema is built from.

Every string is bounded and must be text a database can store (no NUL, valid UTF-8);
every id and number fits the columns behind it, so bad input is a 422, never a 500.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
)

from stock_saas.models import BARCODE_MAX, NAME_MAX, USERNAME_MAX
from stock_saas.services.core import MAX_CURSOR, MAX_QUANTITY, UtcDatetime
from stock_saas.services.people import PASSWORD_MAX, PASSWORD_MIN

__all__ = [
    "ID_MAX",
    "ApiModel",
    "Barcode",
    "Cursor",
    "DateTime",
    "DepartmentRef",
    "Email",
    "GivenBarcode",
    "ErrorDetail",
    "Flag",
    "Id",
    "JsonInteger",
    "QueryId",
    "InviteCode",
    "Name",
    "NewPassword",
    "NewQuantity",
    "NewUsername",
    "Note",
    "Password",
    "Quantity",
    "SearchText",
    "TenantBody",
    "TenantPatch",
    "Threshold",
    "UtcDatetime",
    "Username",
    "exactly_one",
    "json_integer",
    "given",
    "storable_text",
]

# Ids fit a BIGINT, and stay exact where JSON numbers are doubles (JavaScript, and tools
# that read the schema's bounds as floats: 2**63 - 1 is not a double, so a client could
# not tell 2**63 + 1 from it).
ID_MAX = 2**53 - 1


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


# The patterns are what the services accept, stated in the schema (and checked by pydantic
# first, so the schema and the server agree): no control characters (U+0000-U+001F), and a
# name holds at least one character that is not white space (the services strip names).
# Python's and pydantic's (Rust) regex engines read these classes alike.
# White space is spelled out (what Python's str.strip removes beyond the controls): \s
# means different sets in ECMAScript (JSON Schema), Python and Rust regexes.
_SPACE = r"\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NO_CONTROL = r"^[^\x00-\x1f]*$"
NO_NUL = r"^[^\x00]*$"  # passwords: anything a database can store
NOT_BLANK = rf"^[^\x00-\x1f]*[^\x00-\x1f{_SPACE}][^\x00-\x1f]*$"
# ASCII letters, digits and . _ - @ (a subset of what services.people.clean_username takes).
USERNAME = r"^[A-Za-z0-9._@-]+$"
# Blank (no e-mail) or something@something without spaces (services.people users).
EMAIL = rf"^([^\x00-\x1f{_SPACE}]*@[^\x00-\x1f{_SPACE}]*)?$"


def _bounded(max_length: int, min_length: int = 0, pattern: str | None = None) -> StringConstraints:
    return StringConstraints(min_length=min_length, max_length=max_length, pattern=pattern)


Name = Annotated[str, _bounded(NAME_MAX, 1, NOT_BLANK), _STORABLE]
# In bodies an empty barcode clears it; to look one up (or count it) it must be given.
Barcode = Annotated[str, _bounded(BARCODE_MAX, 0, NO_CONTROL), _STORABLE]
GivenBarcode = Annotated[str, _bounded(BARCODE_MAX, 1, NOT_BLANK), _STORABLE]
Note = Annotated[str, _bounded(500, 0, NO_CONTROL), _STORABLE]
Username = Annotated[str, _bounded(USERNAME_MAX, 1), _STORABLE]
NewUsername = Annotated[str, _bounded(USERNAME_MAX, 3, USERNAME), _STORABLE]
Password = Annotated[str, _bounded(128, 1, NO_NUL), _STORABLE]
InviteCode = Annotated[
    str,
    _bounded(100, 1, r"^[A-Za-z0-9_-]+$"),
    Field(description="The invite's code (URL-safe base64); 404 when not usable."),
]
NewPassword = Annotated[str, _bounded(PASSWORD_MAX, PASSWORD_MIN, NO_NUL), _STORABLE]
Email = Annotated[str, _bounded(254, 0, EMAIL), _STORABLE]
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


# Numbers in bodies are strict: JSON true/false is not 1/0, "5" is not 5 (the schema says
# integer). Query and path parameters arrive as text and keep their own annotations.
def json_integer(value: Any) -> Any:
    """A JSON integer: a number without a fraction (JSON Schema counts 2.0 as one), never
    ``true``/``false`` or a string of digits (pydantic's lax mode would take them)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be an integer")
    return value


JsonInteger = BeforeValidator(json_integer)


def date_time_text(value: Any) -> Any:
    """An RFC 3339 date-time, as the schema's ``format: date-time`` says: pydantic alone
    would also read ``17`` as a Unix timestamp."""
    if isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", value.strip()):
        raise ValueError("must be a date-time such as 2026-01-31T08:00:00Z")
    return value


DateTime = Annotated[datetime, BeforeValidator(date_time_text)]
Id = Annotated[int, Field(ge=1, le=ID_MAX), JsonInteger]
QueryId = Annotated[int, Field(ge=1, le=ID_MAX)]
Quantity = Annotated[
    int, Field(ge=1, le=MAX_QUANTITY, description="Whole units, at least 1."), JsonInteger
]
NewQuantity = Annotated[
    int,
    Field(ge=0, le=MAX_QUANTITY, description="Whole units; 0 creates an empty level."),
    JsonInteger,
]
Threshold = Annotated[
    int, Field(ge=0, le=MAX_QUANTITY, description="Low below this quantity."), JsonInteger
]
Flag = Annotated[bool, Strict()]
DepartmentRef = Annotated[
    Id | Name, Field(description="A department's id (number) or name (string).")
]


def given(name: str) -> dict[str, Any]:
    """JSON Schema: ``name`` is present and not null."""
    return {"required": [name], "properties": {name: {"not": {"type": "null"}}}}


def exactly_one(*pairs: tuple[str, str]) -> dict[str, Any]:
    """JSON Schema for "exactly one of the two is given (and not null)", for each pair: what
    the models' ``_one_*`` validators check, stated so clients and fuzzers see it."""
    rules = [{"oneOf": [given(name) for name in pair]} for pair in pairs]
    return {"allOf": rules}


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
