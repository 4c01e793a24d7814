"""Structured logs: one JSON object per line on stdout, with the request id, never a secret.

:func:`configure_logging` installs the JSON handler on the root logger (idempotent); the
API's :class:`~stock_saas.api.request_log.RequestLog` middleware binds a request id with
:func:`bind_request_id`, and every line logged while that request runs carries it.

Redaction is the last line of defence, applied to every formatted line: the configured
secrets (SECRET_KEY, ADMIN_PASSWORD, the Slack webhook URL) by value, anything shaped
like a JWT, ``Bearer …`` credentials, ``password=…``/``"token": "…"`` pairs and the
password in URLs such as ``postgresql://user:password@host``. Code must still never log
a request body or an Authorization header: redaction cannot know every secret's shape.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from stock_saas.config import get_settings

__all__ = [
    "JsonFormatter",
    "bind_request_id",
    "configure_logging",
    "current_request_id",
    "redact",
]

REDACTED = "[redacted]"
_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "stock_saas_request_id", default=None
)
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # JSON Web Tokens (header.payload.signature, base64url, header starts with {").
    (re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+"), REDACTED),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), rf"\1 {REDACTED}"),
    # key=value / "key": "value" pairs whose key names a secret.
    (
        re.compile(
            r"(?i)((?:password|passwd|pwd|secret|token|api[_-]?key|authorization|invite_code)"
            r"[\"']?\s*[:=]\s*[\"']?)[^\s\"',&}]+"
        ),
        rf"\1{REDACTED}",
    ),
    # Credentials inside URLs: scheme://user:password@host
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@\s/]+@"), rf"\1{REDACTED}@"),
]
_RECORD_FIELDS = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def _known_secrets() -> list[str]:
    settings = get_settings()
    values = [settings.secret_key, settings.admin_password, settings.slack_webhook_url]
    return sorted((v for v in values if v and len(v) >= 4), key=len, reverse=True)


def redact(text: str) -> str:
    """``text`` with every configured secret and every secret-shaped value masked."""
    for secret in _known_secrets():
        text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def current_request_id() -> str | None:
    return _request_id.get()


@contextmanager
def bind_request_id(request_id: str) -> Iterator[None]:
    """Every line logged inside this block (same task or thread context) carries the id."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "msg", "request_id"?, extra fields…, "exc"?}``, redacted."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or _request_id.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _RECORD_FIELDS and key not in entry and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | bool) else str(value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, ensure_ascii=False))


class _StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stdout`` is at the time (test runners swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stdout
        super().emit(record)


# Servers that install handlers of their own (uvicorn's access log prints every URL with
# its query string): their records are sent to the root handler instead, so they are
# JSON lines and redacted like everything else.
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


def _route_server_logs_through_root() -> None:
    for name in SERVER_LOGGERS:
        server_logger = logging.getLogger(name)
        for handler in list(server_logger.handlers):
            server_logger.removeHandler(handler)
        server_logger.propagate = True


def configure_logging(level: str | None = None) -> None:
    """Send every log record to stdout as a JSON line (once per process; level from LOG_LEVEL).

    Also takes over uvicorn's loggers, whose own handlers print unredacted lines; call it
    after the server configured its logging (``create_app`` does, and uvicorn calls the
    ``--factory`` after its own set-up)."""
    root = logging.getLogger()
    root.setLevel((level or get_settings().log_level).upper())
    _route_server_logs_through_root()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = _StdoutHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    # Per-query and per-connection chatter is not an operator's business at INFO.
    for noisy in ("sqlalchemy.engine", "alembic", "httpx", "httpcore", "multipart"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
