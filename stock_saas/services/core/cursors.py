"""Keyset page cursors: where the next page of a listing starts, sealed for the client.

A cursor holds the last row's sort key and id, the tenant, the listing's name and a
digest of its filters and sort, all signed (``security.sealed``): a client cannot move
it, replay it in another tenant, or carry it over to other filters or another order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import and_, or_

from stock_saas.errors import Conflict, ValidationFailed
from stock_saas.security.sealed import open_sealed, seal
from stock_saas.services.core.context import Context

__all__ = ["MAX_CURSOR", "after_position", "read_cursor", "write_cursor"]

MAX_CURSOR = 512
Position = list[str | int]


def _digest(listing: str, binding: Mapping[str, Any]) -> str:
    canonical = json.dumps([listing, dict(binding)], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:24]


def write_cursor(
    ctx: Context, *, listing: str, binding: Mapping[str, Any], position: Position
) -> str:
    """The cursor of the page that starts after ``position`` (the last row's sort values)."""
    return seal({"t": ctx.tenant_id, "l": _digest(listing, binding), "p": position})


def read_cursor(
    ctx: Context, cursor: str, *, listing: str, binding: Mapping[str, Any], size: int
) -> Position:
    """The position a cursor of this listing holds; Conflict (409, nothing read) for a
    cursor that was altered, belongs to another tenant or to other filters or sort: the
    schema states a cursor's form, only its signature and binding say whether it fits."""
    if len(cursor) > MAX_CURSOR:
        raise ValidationFailed(f"cursor must be at most {MAX_CURSOR} characters.")
    try:
        value = open_sealed(cursor)
    except ValueError as exc:
        raise Conflict(
            "cursor is not valid: it was altered or its signing key is gone; "
            "start again without a cursor."
        ) from exc
    if value.get("t") != ctx.tenant_id:
        raise Conflict("cursor belongs to another tenant; start again without it.")
    if value.get("l") != _digest(listing, binding):
        raise Conflict("cursor was made for other filters or another sort; start again without it.")
    position = value.get("p")
    if not isinstance(position, list) or len(position) != size:
        raise Conflict("cursor is not valid; start again without a cursor.")
    return position


def after_position(keys: list[Any], position: Position, *, descending: bool) -> Any:
    """SQL condition: the row comes after ``position`` in ``ORDER BY keys`` (all in one
    direction). Spelled ``k1 >= v1 AND (k1 > v1 OR (k2 > v2 ...))`` so an index on the
    first key still bounds the scan (a row-value comparison would not use it everywhere)."""
    key, value = keys[0], position[0]
    beyond = key < value if descending else key > value
    if len(keys) == 1:
        return beyond
    reached = key <= value if descending else key >= value
    rest = after_position(keys[1:], position[1:], descending=descending)
    return and_(reached, or_(beyond, rest))
