"""The weekly digest in the services: settings, who gets one, once per week."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import col, select

from stock_saas.db import read_session
from stock_saas.errors import Forbidden, ValidationFailed
from stock_saas.models import Notification, NotificationKind, Tenant, User
from stock_saas.services import alerts, people, reports, stock
from stock_saas.services.core import Context, Role
from stock_saas.services.people import NotificationPreference
from tests.conftest import TEST_PASSWORD, ContextFactory

MONDAY_0705_BERLIN = datetime(2026, 11, 30, 6, 5, tzinfo=UTC)


def _digests(tenant_id: int) -> list[tuple[str, str, str | None]]:
    with read_session() as session:
        rows = session.execute(
            select(User.username, Notification.channel, Notification.period)
            .join(User, col(User.id) == col(Notification.user_id))
            .where(
                col(Notification.tenant_id) == tenant_id,
                col(Notification.kind) == NotificationKind.DIGEST.value,
            )
            .order_by(col(User.username))
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


@pytest.fixture
def berlin(store: Context, admin_a: Context, manager_a: Context, user_a: Context) -> Context:
    """Tenant A in Berlin: its admin (e-mail) and manager (Slack) want the digest; a second
    manager who hears of nothing, a deactivated one and a plain user asked too."""
    reports.set_time_zone(ctx=admin_a, time_zone="Europe/Berlin")
    assert manager_a.user_id is not None
    people.update_user(
        ctx=admin_a, user_id=manager_a.user_id, notification_preference=NotificationPreference.SLACK
    )
    for ctx in (admin_a, manager_a):
        reports.set_weekly_digest(ctx=ctx, enabled=True)
    for name, preference, active in (("quiet-boss", "none", True), ("gone-boss", "email", False)):
        user = people.create_user(
            ctx=admin_a,
            username=name,
            password=TEST_PASSWORD,
            role=Role.MANAGER,
            notification_preference=NotificationPreference(preference),
        )
        with_digest = Context(
            tenant_id=admin_a.tenant_id, role=Role.MANAGER, source=admin_a.source, user_id=user.id
        )
        reports.set_weekly_digest(ctx=with_digest, enabled=True)
        people.update_user(ctx=admin_a, user_id=user.id, is_active=active)
    return admin_a


def test_the_digest_is_off_by_default_and_says_when_it_goes_out(manager_a: Context):
    settings = reports.digest_settings(ctx=manager_a)
    assert (settings.enabled, settings.eligible, settings.time_zone) == (False, True, "UTC")
    assert settings.next_digest_at.weekday() == 0 and settings.next_digest_at.hour == 7


def test_plain_users_cannot_turn_it_on_and_are_told_why(user_a: Context):
    with pytest.raises(Forbidden):
        reports.set_weekly_digest(ctx=user_a, enabled=True)
    settings = reports.digest_settings(ctx=user_a)
    assert (settings.enabled, settings.eligible) == (False, False)
    assert settings.reason == "The weekly digest is for managers and admins."


def test_only_admins_set_the_time_zone_and_only_real_ones(admin_a: Context, manager_a: Context):
    with pytest.raises(Forbidden):
        reports.set_time_zone(ctx=manager_a, time_zone="Europe/Paris")
    with pytest.raises(ValidationFailed):
        reports.set_time_zone(ctx=admin_a, time_zone="Europe/Atlantis")
    assert reports.digest_settings(ctx=manager_a).time_zone == "UTC"
    assert reports.set_time_zone(ctx=admin_a, time_zone="Asia/Tokyo").time_zone == "Asia/Tokyo"


def test_one_digest_per_recipient_and_week(berlin: Context, admin_b: Context):
    reports.set_weekly_digest(ctx=admin_b, enabled=True)  # tenant B is on UTC: not yet due
    assert reports.tenants_due_for_digest(now=MONDAY_0705_BERLIN) == [berlin.tenant_id]
    queued = reports.queue_weekly_digest(ctx=berlin, now=MONDAY_0705_BERLIN)
    again = reports.queue_weekly_digest(ctx=berlin, now=MONDAY_0705_BERLIN.replace(hour=9))
    assert (queued, again) == (2, 0)
    assert _digests(berlin.tenant_id) == [
        (f"admin-{berlin.tenant_id}", "email", "2026-W49"),
        (f"manager-{berlin.tenant_id}", "slack", "2026-W49"),
    ]
    assert _digests(admin_b.tenant_id) == []
    next_week = datetime(2026, 12, 7, 6, 5, tzinfo=UTC)
    assert reports.queue_weekly_digest(ctx=berlin, now=next_week) == 2


def test_not_before_monday_0700_local(berlin: Context):
    early = MONDAY_0705_BERLIN.replace(hour=5, minute=55)  # 06:55 in Berlin
    assert reports.tenants_due_for_digest(now=early) == []
    assert reports.queue_weekly_digest(ctx=berlin, now=early) == 0


def test_the_message_lists_the_reorder_list(berlin: Context):
    reports.queue_weekly_digest(ctx=berlin, now=MONDAY_0705_BERLIN)
    with read_session() as session:
        note = session.exec(
            select(Notification).where(col(Notification.tenant_id) == berlin.tenant_id)
        ).first()
    assert note is not None
    assert note.subject == "Weekly reorder digest 2026-W49: 4 stock levels to reorder"
    lines = note.message.splitlines()
    assert lines[0] == "Weekly reorder digest for Acme Hospital, week 2026-W49"
    assert lines[4].startswith("1. Tape — Lab: 0 on hand (threshold 0), 1/day, runs out in 0")
    assert (
        lines[7] == "4. Bandages — Ward: LOW, 5 on hand (threshold 10), 0/day, no recent usage;"
        " order 5"
    )
    # the admins' delivery status shows it beside the alerts
    overview = alerts.delivery_status(ctx=berlin)
    assert {row.kind for row in overview.rows} == {NotificationKind.DIGEST}


def test_twenty_rows_at_most_and_a_pointer_to_the_rest(tenant_a: Tenant, make_ctx: ContextFactory):
    manager = make_ctx(tenant_a, Role.MANAGER)
    admin = make_ctx(tenant_a, Role.ADMIN)
    for n in range(23):
        stock.add_stock(ctx=manager, name=f"Item {n:02d}", quantity=0, threshold=1)
    reports.set_weekly_digest(ctx=admin, enabled=True)
    reports.queue_weekly_digest(ctx=admin, now=datetime(2026, 11, 30, 7, 5, tzinfo=UTC))
    with read_session() as session:
        note = session.exec(select(Notification)).one()
    numbered = [line for line in note.message.splitlines() if line.split(". ")[0].isdigit()]
    assert len(numbered) == reports.DIGEST_ROWS
    assert "… and 3 more on the Reorder page." in note.message
