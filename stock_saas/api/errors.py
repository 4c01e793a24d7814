"""The API's one mapping from exceptions to HTTP: always ``{"detail": "<text>"}``.

Domain errors (``stock_saas.errors``) carry their own status. Request validation becomes
one readable 422 line. Database outages become 503 (nothing was changed); values the
database refuses become 422, and a lost race on a unique key 409.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from stock_saas.api.schemas.common import ErrorDetail
from stock_saas.errors import RateLimited, StockSaasError, Unauthorized

__all__ = ["ERROR_RESPONSES", "error_responses", "install_error_handlers"]

log = logging.getLogger(__name__)

DATABASE_DOWN = "The database is unavailable right now; nothing was changed. Try again shortly."

_DESCRIPTIONS = {
    400: "The HTTP server could not read the request (e.g. a URL over 16 KiB)",
    401: "Missing, invalid or expired token",
    403: "Your role is too low, or tenant_id is not your tenant",
    404: "Nothing of yours by that id or name",
    409: "Conflict (duplicate name, still in use, insufficient stock)",
    413: "Request body larger than 64 KiB",
    422: "Invalid input",
    429: "Too many attempts; see Retry-After",
    503: "A backing service is unavailable",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for these error codes (400 is the HTTP server's own
    answer to a request it cannot read: the app never sends it, it says 422)."""
    return {code: {"model": ErrorDetail, "description": _DESCRIPTIONS[code]} for code in codes}


# What any route may answer: auth, role/tenant, bad input, oversize body, database down.
ERROR_RESPONSES = error_responses(401, 403, 413, 422, 503)


def _detail(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StockSaasError)
    headers = None
    if isinstance(exc, Unauthorized):
        headers = {"WWW-Authenticate": "Bearer"}
    elif isinstance(exc, RateLimited):
        headers = {"Retry-After": str(exc.retry_after)}
    return _detail(exc.status_code, exc.detail, headers)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "body"


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        f"{_field(tuple(e.get('loc', ())))}: {e.get('msg', 'invalid')}" for e in exc.errors()
    ]
    return _detail(422, "; ".join(problems[:10]) or "Invalid input.")


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    # FastAPI answers an unparsable body with 400; the contract says bad input is 422.
    status = 422 if exc.status_code == 400 else exc.status_code
    return _detail(status, str(exc.detail), dict(exc.headers or {}) or None)


def _database_down(_request: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable: %s", exc)
    return _detail(503, DATABASE_DOWN, {"Retry-After": "5"})


def _database_refused(_request: Request, exc: Exception) -> JSONResponse:
    log.info("database refused a value: %s", exc)
    return _detail(422, "A value is out of range or not storable.")


def _lost_race(_request: Request, exc: Exception) -> JSONResponse:
    log.info("integrity error: %s", exc)
    return _detail(409, "That conflicts with a concurrent change; reload and try again.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StockSaasError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    for outage in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(outage, _database_down)
    app.add_exception_handler(DataError, _database_refused)
    app.add_exception_handler(IntegrityError, _lost_race)
