"""The embedded transport's relay: bus messages that are not audit rows (internal events
such as ``catalog.changed``) written to ``event_relay`` and tailed by id, like the audit
log, by every process that listens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import col, select

from stock_saas.db import read_session, write_session
from stock_saas.models import RelayedEvent

__all__ = ["KEEP", "latest_relay_id", "relay", "relayed_after"]

# A listener reads a message within a poll; older rows only cost space.
KEEP = timedelta(minutes=5)


def relay(messages: list[str]) -> None:
    """Write ``messages`` (wire form) for every listener, and forget expired ones."""
    with write_session() as session:
        expired = datetime.now(UTC) - KEEP
        session.execute(delete(RelayedEvent).where(col(RelayedEvent.created_at) < expired))
        session.add_all([RelayedEvent(message=message) for message in messages])


def latest_relay_id() -> int:
    """Where a listener starts: after every message already relayed."""
    with read_session() as session:
        return int(session.exec(select(func.max(RelayedEvent.id))).one() or 0)


def relayed_after(after_id: int, limit: int = 500) -> list[tuple[int, str]]:
    """(id, message) of the messages relayed after ``after_id``, oldest first."""
    with read_session() as session:
        rows = session.exec(
            select(RelayedEvent.id, RelayedEvent.message)
            .where(col(RelayedEvent.id) > after_id)
            .order_by(col(RelayedEvent.id))
            .limit(limit)
        ).all()
    return [(int(row_id or 0), message) for row_id, message in rows]
