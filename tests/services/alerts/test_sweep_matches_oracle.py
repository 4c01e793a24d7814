"""The set-based sweep against the per-level one it replaced, on random tenants.

Random stock levels, people, audit trails (some recoveries no check saw), open and closed
episodes, some with their rows already written: the old algorithm (tests/services/alerts/
oracle.py) runs on one copy, the new one on an identical copy with both tenants in one
batch; the episodes opened and closed and the notification rows must be the same. A
second sweep then changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert
from sqlmodel import SQLModel, col, select

from stock_saas.db import read_session, write_session
from stock_saas.models import (
    AlertEpisode,
    AuditLog,
    Department,
    Item,
    Notification,
    StockLevel,
    Tenant,
    User,
)
from stock_saas.services import alerts
from stock_saas.services.core import TenantBatch
from stock_saas.tasks.system import system_context
from tests.services.alerts.oracle import check_tenant_per_level

TENANTS = (101, 102)
SEEDED = 1_000_000  # ids of seeded episodes and rows, clear of the sequences' range
SEEDED_TIME = datetime(2024, 1, 1, tzinfo=UTC)  # only "closed or not" is compared
NAMES = ["Gloves", "Syringes 5 ml", "Café filters", "O'Brien kit", "=cmd"]
quantities = st.integers(0, 6)


@dataclass
class World:
    rows: list[SQLModel] = field(default_factory=list)
    next_id: int = SEEDED

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id


@st.composite
def worlds(draw: st.DrawFn) -> World:
    world = World()
    for tenant_id in TENANTS:
        world.rows.append(Tenant(id=tenant_id, name=f"T{tenant_id}"))
        departments = []
        for n in range(draw(st.integers(1, 2))):
            department = Department(id=world.new_id(), tenant_id=tenant_id, name=f"Ward {n}")
            departments.append(department)
        items = [
            Item(id=world.new_id(), tenant_id=tenant_id, name=name)
            for name in draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True))
        ]
        world.rows += departments + items
        for n in range(draw(st.integers(0, 4))):
            world.rows.append(
                User(
                    id=world.new_id(),
                    tenant_id=tenant_id,
                    username=f"u{tenant_id}-{n}",
                    password_hash="x",
                    role=draw(st.sampled_from(["admin", "manager", "user"])),
                    department_id=draw(st.sampled_from([None, *[d.id for d in departments]])),
                    is_active=draw(st.booleans()),
                    notification_preference=draw(st.sampled_from(["email", "slack", "none"])),
                )
            )
        users = [r for r in world.rows if isinstance(r, User) and r.tenant_id == tenant_id]
        for item in items:
            for department in departments:
                if draw(st.booleans()):
                    _draw_level(draw, world, tenant_id, item, department, users)
    return world


def _draw_level(
    draw: st.DrawFn,
    world: World,
    tenant_id: int,
    item: Item,
    department: Department,
    users: list[User],
) -> None:
    level = StockLevel(
        id=world.new_id(),
        tenant_id=tenant_id,
        item_id=item.id,
        department_id=department.id,
        quantity=draw(quantities),
        threshold=draw(quantities),
    )
    world.rows.append(level)
    audit_ids = []
    for _ in range(draw(st.integers(0, 3))):
        audit_ids.append(world.new_id())
        world.rows.append(
            AuditLog(
                id=audit_ids[-1],
                tenant_id=tenant_id,
                stock_level_id=level.id,
                item_id=item.id,
                department_id=department.id,
                item_name=item.name,
                department_name=department.name,
                actor_name="seed",
                source="cli",
                action="issue",
                delta=-1,
                quantity_after=draw(quantities),
                threshold=draw(quantities),
            )
        )
    for closed in draw(st.sampled_from([(), (False,), (True,), (True, False)])):
        episode = AlertEpisode(
            id=world.new_id(),
            tenant_id=tenant_id,
            stock_level_id=level.id,
            item_id=item.id,
            department_id=department.id,
            quantity=draw(quantities),
            threshold=draw(quantities),
            opened_audit_id=draw(st.sampled_from([None, *audit_ids])),
            closed_at=SEEDED_TIME if closed else None,
        )
        world.rows.append(episode)
        if users and draw(st.booleans()):  # its rows already written (and so stamped)
            episode.notified_at = SEEDED_TIME
            world.rows.append(
                Notification(
                    id=world.new_id(),
                    tenant_id=tenant_id,
                    user_id=draw(st.sampled_from(users)).id,
                    episode_id=episode.id,
                    item_id=item.id,
                    department_id=department.id,
                    channel="email",
                    status="sent",
                    message="seeded",
                )
            )


# Parents before children (foreign keys), children before parents when clearing.
TABLES = (Tenant, Department, Item, User, StockLevel, AuditLog, AlertEpisode, Notification)


def _seed(world: World) -> None:
    with write_session() as session:
        for model in reversed(TABLES[1:]):
            session.execute(delete(model))
        session.execute(delete(Tenant).where(col(Tenant.id).in_(TENANTS)))
        for model in TABLES:
            rows = [row.model_dump() for row in world.rows if type(row) is model]
            if rows:
                session.execute(insert(model), rows)


def _outcome() -> tuple[list[Any], list[Any]]:
    """Episodes and notification rows, with new episodes known by their stock level."""
    with read_session() as session:
        episodes = session.exec(select(AlertEpisode)).all()
        notes = session.exec(select(Notification)).all()
    key = {e.id: e.id if e.id >= SEEDED else ("new", e.stock_level_id) for e in episodes}  # type: ignore[operator]
    episode_rows = sorted(
        (
            repr(key[e.id]),
            e.tenant_id,
            e.stock_level_id,
            e.quantity,
            e.threshold,
            e.opened_audit_id,
            e.closed_at is None,
        )
        for e in episodes
    )
    note_rows = sorted(
        (
            repr(key[n.episode_id]),
            n.tenant_id,
            n.user_id,
            n.item_id,
            n.department_id,
            n.channel,
            n.status,
            n.message,
        )
        for n in notes
    )
    return episode_rows, note_rows


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds())
def test_set_based_sweep_opens_closes_and_notifies_as_the_per_level_one(
    database: str, world: World
):
    _seed(world)
    for tenant_id in TENANTS:
        check_tenant_per_level(system_context(tenant_id))
    expected = _outcome()

    _seed(world)
    batch = TenantBatch.of(system_context(tenant_id) for tenant_id in TENANTS)
    alerts.check_tenants(batch=batch)
    assert _outcome() == expected

    again = alerts.check_tenants(batch=batch)
    assert (again.opened, again.closed, again.notifications) == (0, 0, 0)
    assert _outcome() == expected
