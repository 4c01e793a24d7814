"""Alert episodes and notification rows (services, no worker): who, how many, when."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import col, select

from stock_saas.db import read_session
from stock_saas.errors import Forbidden, NotFound
from stock_saas.models import AlertEpisode, Notification, StockLevel, User
from stock_saas.services import alerts
from stock_saas.services.core import Context, Role
from stock_saas.tasks import notifiers
from stock_saas.tasks.system import system_context
from tests.tasks.conftest import Ward
from tests.tasks.receivers import SlackReceiver, SmtpServer


def _sweep(ctx: Context) -> None:
    system = system_context(ctx.tenant_id)
    alerts.check_tenant(ctx=system)
    alerts.deliver_due(ctx=system, send=notifiers.send)


def _episodes(tenant_id: int) -> list[AlertEpisode]:
    with read_session() as session:
        query = select(AlertEpisode).where(col(AlertEpisode.tenant_id) == tenant_id)
        return list(session.exec(query.order_by(col(AlertEpisode.id))))


def _rows(tenant_id: int) -> list[tuple[str, int, str, str]]:
    """(username, episode id, channel, status) of every notification row of the tenant."""
    with read_session() as session:
        query = (
            select(
                User.username, Notification.episode_id, Notification.channel, Notification.status
            )
            .join(User, col(User.id) == col(Notification.user_id))
            .where(col(Notification.tenant_id) == tenant_id)
            .order_by(col(Notification.id))
        )
        return [tuple(row) for row in session.exec(query)]  # type: ignore[misc]


def test_drop_below_threshold_opens_one_episode_with_a_row_per_recipient(ward: Ward):
    ward.drop()
    alerts.check_tenant(ctx=system_context(ward.admin.tenant_id))
    [episode] = _episodes(ward.admin.tenant_id)
    assert (episode.quantity, episode.threshold, episode.closed_at) == (5, 10, None)
    names = sorted(name for name, *_ in _rows(ward.admin.tenant_id))
    recipients = [*ward.slack_users, "admin-1", "nurse-mail", *ward.silent_users]
    assert names == sorted(recipients)


def test_a_recipient_who_wants_nothing_gets_a_skipped_row(ward: Ward):
    ward.drop()
    alerts.check_tenant(ctx=system_context(ward.admin.tenant_id))
    quiet = [row for row in _rows(ward.admin.tenant_id) if row[0] in ward.silent_users]
    assert [(channel, status) for _, _, channel, status in quiet] == [("none", "skipped")]


def test_stock_above_threshold_opens_nothing(ward: Ward):
    alerts.check_tenant(ctx=system_context(ward.admin.tenant_id))
    assert _episodes(ward.admin.tenant_id) == []


def test_checking_twice_keeps_one_episode_and_one_row_each(ward: Ward):
    ward.drop()
    for _ in range(2):
        alerts.check_tenant(ctx=system_context(ward.admin.tenant_id))
    assert len(_episodes(ward.admin.tenant_id)) == 1
    assert len(_rows(ward.admin.tenant_id)) == 5


def test_recovery_closes_the_episode(ward: Ward):
    ward.drop()
    alerts.check_tenant(ctx=system_context(ward.admin.tenant_id))
    ward.recover()
    result = alerts.check_tenant(ctx=system_context(ward.admin.tenant_id))
    assert result.closed == 1
    assert _episodes(ward.admin.tenant_id)[0].closed_at is not None


def test_recovery_then_new_drop_opens_a_new_episode_and_tells_everyone_again(
    ward: Ward, slack: SlackReceiver, smtp: SmtpServer
):
    ward.drop()
    _sweep(ward.admin)
    ward.recover()
    _sweep(ward.admin)
    ward.drop()
    _sweep(ward.admin)
    assert [e.closed_at is None for e in _episodes(ward.admin.tenant_id)] == [False, True]
    assert [slack.count_for(name) for name in ward.slack_users] == [2, 2]
    assert [smtp.mailbox.count_to(address) for address in ward.email_to] == [2, 2]


def test_recovery_no_check_saw_still_opens_a_new_episode(ward: Ward):
    ward.drop()
    alerts.check_tenant(ctx=system_context(ward.admin.tenant_id))
    ward.recover()
    ward.drop()  # back up and down again between two checks
    alerts.check_tenant(ctx=system_context(ward.admin.tenant_id))
    assert [e.closed_at is None for e in _episodes(ward.admin.tenant_id)] == [False, True]


def test_check_of_one_stock_level_of_another_tenant_is_not_found(ward: Ward, admin_b: Context):
    ward.drop()
    with read_session() as session:
        level_id = session.exec(select(StockLevel.id)).one()
    assert level_id is not None
    with pytest.raises(NotFound):
        alerts.check_stock_level(ctx=system_context(admin_b.tenant_id), stock_level_id=level_id)
    assert _episodes(ward.admin.tenant_id) == []


def test_two_sweeps_at_once_send_one_message_per_person(
    ward: Ward, slack: SlackReceiver, smtp: SmtpServer
):
    ward.drop()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            start.wait(10)
            _sweep(ward.admin)
        except BaseException as exc:  # reported below, in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert [slack.count_for(name) for name in ward.slack_users] == [1, 1]
    assert [smtp.mailbox.count_to(address) for address in ward.email_to] == [1, 1]


def test_my_notifications_are_only_my_own(ward: Ward):
    ward.drop()
    _sweep(ward.admin)
    mine = alerts.my_notifications(ctx=ward.manager)
    assert [(n.username, n.status) for n in mine] == [(ward.manager.actor_name, "sent")]
    assert "Gloves in Ward 3: 5 left, threshold 10" in mine[0].message


def test_delivery_status_needs_an_admin(ward: Ward):
    with pytest.raises(Forbidden):
        alerts.delivery_status(ctx=ward.manager)


def test_delivery_status_counts_the_tenants_rows_only(ward: Ward, admin_b: Context):
    ward.drop()
    _sweep(ward.admin)
    assert alerts.delivery_status(ctx=ward.admin).counts == {"sent": 4, "skipped": 1}
    assert alerts.delivery_status(ctx=admin_b).rows == []


def test_a_user_sees_no_other_tenants_notifications(ward: Ward):
    ward.drop()
    _sweep(ward.admin)
    with read_session() as session:
        other = session.exec(select(User).where(User.username == ward.bystanders[1])).one()
    assert other.id is not None
    outsider = Context(
        tenant_id=other.tenant_id, role=Role.ADMIN, source=ward.admin.source, user_id=other.id
    )
    assert alerts.my_notifications(ctx=outsider) == []
