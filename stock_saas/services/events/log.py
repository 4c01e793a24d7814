"""Events with stable ids, their wire form, and events rebuilt from the audit log.

Every event that crosses a process carries an id that any process computes the same way:

- ``stock.changed``: the audit row's id, e.g. ``"812"``;
- ``stock.low`` / ``stock.recovered``: the id of the audit row that crossed the threshold
  plus ``.1``, e.g. ``"812.1"`` (it always follows its ``stock.changed``);
- ``stock.imported``: the id of the import's last audit row (its other rows publish nothing:
  one import is one event, however many levels it set);
- ``export.finished``: ``"export:<task id>:<status>"`` (not in the audit log, so live only).

Ids of the first two kinds are *positions* in the audit log: SSE resumes after one and
webhooks use them to deliver an event once per endpoint. The audit tail and the SSE replay
rebuild stock events from audit rows with the same ids and the same low-crossing rule as
the services (``quantity < threshold``, compared before and after the change).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from stock_saas.db import read_session
from stock_saas.models import AuditLog, MovementAction
from stock_saas.services.core import Context, Role, require_role, scoped
from stock_saas.services.events import types as events

__all__ = [
    "IMPORT_NOTE_PREFIX",
    "Envelope",
    "Position",
    "decode",
    "encode",
    "latest_audit_id",
    "parse_position",
    "replay",
    "tail",
]

# Actions that may set a new threshold, so the level's previous one decides "was low".
_THRESHOLD_ACTIONS = (MovementAction.ADD, MovementAction.RESTOCK, MovementAction.THRESHOLD)
CROSSABLE = (events.LowStockEntered, events.LowStockRecovered)

# An import's audit rows carry this note and its id, so they can be told apart and
# rebuilt as the one event they are.
IMPORT_NOTE_PREFIX = "import "

Position = tuple[int, int]  # (audit id, 0 for the change itself | 1 for its crossing)


@dataclass(frozen=True, slots=True)
class Envelope:
    """An event and its deployment-wide id."""

    id: str
    event: events.Event

    @property
    def position(self) -> Position | None:
        """Where the event sits in the audit log, or None for live-only events."""
        return parse_position(self.id)

    def payload(self) -> dict[str, Any]:
        """The JSON object SSE clients and webhook receivers get."""
        data = self.event.to_dict()
        kind = data.pop("type")
        return {"id": self.id, "type": kind, "tenant_id": data.pop("tenant_id"), "data": data}


# Audit ids are BIGINT: 18 digits always fit, so a longer id is no position of ours.
MAX_ID_DIGITS = 18


def parse_position(event_id: str | None) -> Position | None:
    """``"812"`` -> (812, 0), ``"812.1"`` -> (812, 1); None for anything else (also ids
    longer than 18 digits and digits other than ASCII 0-9, which ``int`` would accept)."""
    if not event_id or len(event_id) > MAX_ID_DIGITS + 4:
        return None
    head, _, tail = event_id.strip().partition(".")
    if not (head.isascii() and head.isdigit()) or len(head) > MAX_ID_DIGITS:
        return None
    if tail not in ("", "1"):
        return None
    return int(head), 1 if tail else 0


def encode(envelope: Envelope, origin: str) -> str:
    """The wire form (compact JSON) of ``envelope`` published by process ``origin``."""
    return json.dumps(
        {"id": envelope.id, "origin": origin, "event": envelope.event.to_dict()},
        separators=(",", ":"),
    )


def decode(message: str | bytes) -> tuple[Envelope, str] | None:
    """(envelope, origin) from the wire form; None for anything unrecognised."""
    try:
        raw = json.loads(message)
        fields = dict(raw["event"])
        cls = events.EVENT_CLASSES[fields.pop("type")]
        return Envelope(str(raw["id"]), cls(**fields)), str(raw.get("origin", ""))
    except (ValueError, KeyError, TypeError):
        return None


# ---- events rebuilt from audit rows --------------------------------------------------


def _previous_threshold(session: Session, row: AuditLog) -> int:
    if row.action not in _THRESHOLD_ACTIONS or row.stock_level_id is None:
        return row.threshold
    previous = session.exec(
        select(AuditLog.threshold)
        .where(
            AuditLog.tenant_id == row.tenant_id,
            AuditLog.stock_level_id == row.stock_level_id,
            col(AuditLog.id) < row.id,
        )
        .order_by(col(AuditLog.id).desc())
        .limit(1)
    ).first()
    return 0 if previous is None else int(previous)  # a new level starts at threshold 0


def _import_of(session: Session, row: AuditLog, seen: dict[str, tuple[int, int]]) -> list[Envelope]:
    """The one ``stock.imported`` of an import's rows, rebuilt at its last row."""
    assert row.id is not None
    if row.note not in seen:
        last, count = session.execute(
            select(func.max(AuditLog.id), func.count()).where(
                AuditLog.tenant_id == row.tenant_id,
                col(AuditLog.id) >= row.id,
                AuditLog.action == MovementAction.IMPORT.value,
                AuditLog.note == row.note,
            )
        ).one()
        seen[row.note] = (int(last), int(count))
    last, count = seen[row.note]
    if row.id != last:
        return []
    imported = events.StockImported(
        tenant_id=row.tenant_id,
        import_id=row.note.removeprefix(IMPORT_NOTE_PREFIX),
        audit_id=row.id,
        levels=count,
        source=row.source,
        actor=row.actor_name,
        created_at=row.created_at.isoformat(),
    )
    return [Envelope(str(row.id), imported)]


def _from_rows(session: Session, rows: Sequence[AuditLog]) -> list[Envelope]:
    seen: dict[str, tuple[int, int]] = {}
    return [
        envelope
        for row in rows
        for envelope in (
            _import_of(session, row, seen)
            if row.action == MovementAction.IMPORT.value
            else _from_row(session, row)
        )
    ]


def _from_row(session: Session, row: AuditLog) -> list[Envelope]:
    assert row.id is not None
    level_id = row.stock_level_id or 0
    changed = events.StockChanged(
        tenant_id=row.tenant_id,
        audit_id=row.id,
        stock_level_id=level_id,
        item_id=row.item_id,
        item_name=row.item_name,
        department_id=row.department_id,
        department_name=row.department_name,
        action=row.action,
        delta=row.delta,
        quantity=row.quantity_after,
        threshold=row.threshold,
        source=row.source,
        actor=row.actor_name,
        created_at=row.created_at.isoformat(),
        reason=row.reason or "",
    )
    found = [Envelope(str(row.id), changed)]
    was_low = row.quantity_after - row.delta < _previous_threshold(session, row)
    crossing = events.crossing_of(changed, was_low=was_low)
    if crossing is not None:
        found.append(Envelope(f"{row.id}.1", crossing))
    return found


def replay(*, ctx: Context, after: Position, limit: int = 500) -> list[Envelope]:
    """The tenant's stock events after ``after``, oldest first (at most ``limit`` rows)."""
    require_role(ctx, Role.USER)
    audit_id, part = after
    start = audit_id if part == 0 else audit_id + 1
    with read_session() as session:
        rows = session.exec(
            scoped(ctx, AuditLog)
            .where(col(AuditLog.id) >= start)
            .order_by(col(AuditLog.id))
            .limit(limit)
        ).all()
        found = _from_rows(session, rows)
    return [e for e in found if e.position is not None and e.position > after]


def latest_audit_id() -> int:
    """The newest audit id of the whole deployment (where a tail starts)."""
    with read_session() as session:
        return int(session.exec(select(func.max(AuditLog.id))).one() or 0)


def tail(*, after_id: int, limit: int = 500) -> list[Envelope]:
    """Every tenant's stock events after audit id ``after_id``, oldest first.

    This is the one cross-tenant read of the audit log: the embedded transport hands each
    event to consumers that filter by ``event.tenant_id`` themselves.
    """
    with read_session() as session:
        rows = session.exec(
            select(AuditLog)
            .where(col(AuditLog.id) > after_id)
            .order_by(col(AuditLog.id))
            .limit(limit)
        ).all()
        return _from_rows(session, rows)
