"""Sending alerts through the real notifiers to local Slack and SMTP stand-ins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from stock_saas.config import get_settings
from stock_saas.db import read_session, write_session
from stock_saas.errors import Conflict, NotFound
from stock_saas.models import Notification, User
from stock_saas.services import alerts
from stock_saas.services.alerts import DeliveryReport
from stock_saas.services.core import Context
from stock_saas.tasks import notifiers
from stock_saas.tasks.system import system_context
from tests.tasks.conftest import Ward
from tests.tasks.receivers import SlackReceiver, SmtpServer


def _open_episode(ward: Ward) -> None:
    ward.drop()
    alerts.check_tenant(ctx=system_context(ward.admin.tenant_id))


def _deliver(ward: Ward) -> DeliveryReport:
    return alerts.deliver_due(ctx=system_context(ward.admin.tenant_id), send=notifiers.send)


def _row(username: str) -> Notification:
    with read_session() as session:
        return session.exec(
            select(Notification)
            .join(User, col(User.id) == col(Notification.user_id))
            .where(User.username == username)
        ).one()


def _make_due_now() -> None:
    with write_session() as session:
        session.execute(update(Notification).values(next_attempt_at=datetime.now(UTC)))


def test_each_recipient_gets_one_message_naming_item_department_quantity_threshold(
    ward: Ward, slack: SlackReceiver, smtp: SmtpServer
):
    _open_episode(ward)
    report = _deliver(ward)
    assert report.sent == 4
    expected = "Gloves in Ward 3: 5 left, threshold 10."
    assert sorted(slack.texts) == sorted(
        f"@{name} Low stock: {expected}" for name in ward.slack_users
    )
    assert sorted(m["To"] for m in smtp.mailbox.messages) == sorted(ward.email_to)
    assert all(expected in m.get_payload() for m in smtp.mailbox.messages)  # type: ignore[operator]


def test_people_of_other_departments_and_tenants_hear_nothing(
    ward: Ward, slack: SlackReceiver, smtp: SmtpServer
):
    _open_episode(ward)
    _deliver(ward)
    heard = [
        slack.count_for(n) + smtp.mailbox.count_to(f"{n}@example.test") for n in ward.bystanders
    ]
    assert heard == [0, 0]


def test_delivering_again_sends_nothing_more(ward: Ward, slack: SlackReceiver, smtp: SmtpServer):
    _open_episode(ward)
    _deliver(ward)
    assert _deliver(ward).sent == 0
    assert (len(slack.texts), len(smtp.mailbox.messages)) == (2, 2)


def test_broken_smtp_does_not_stop_slack(ward: Ward, slack: SlackReceiver, smtp: SmtpServer):
    smtp.stop()
    _open_episode(ward)
    report = _deliver(ward)
    assert (report.sent, report.retrying) == (2, 2)
    assert [slack.count_for(name) for name in ward.slack_users] == [1, 1]


def test_broken_slack_does_not_stop_email(ward: Ward, slack: SlackReceiver, smtp: SmtpServer):
    slack.always = (500, {})
    _open_episode(ward)
    report = _deliver(ward)
    assert (report.sent, report.retrying) == (2, 2)
    assert [smtp.mailbox.count_to(address) for address in ward.email_to] == [1, 1]


def test_a_failed_delivery_stays_visible_with_its_error(ward: Ward, slack: SlackReceiver):
    slack.always = (500, {})
    _open_episode(ward)
    _deliver(ward)
    row = _row(ward.slack_users[0])
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error is not None and "500" in row.last_error
    assert row.next_attempt_at is not None


def test_a_failed_delivery_is_retried_once_due(ward: Ward, slack: SlackReceiver):
    slack.scripted.extend([(500, {}), (500, {})])
    _open_episode(ward)
    _deliver(ward)
    _make_due_now()
    assert _deliver(ward).sent == 2
    assert [slack.count_for(name) for name in ward.slack_users] == [2, 2]  # failed try + success


def test_delivery_gives_up_after_the_last_attempt(
    ward: Ward, slack: SlackReceiver, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("ALERT_MAX_ATTEMPTS", "2")
    get_settings.cache_clear()
    slack.always = (500, {})
    _open_episode(ward)
    _deliver(ward)
    _make_due_now()
    _deliver(ward)
    row = _row(ward.slack_users[0])
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 2, None)


def test_slack_429_waits_for_retry_after_and_is_not_a_failed_attempt(
    ward: Ward, slack: SlackReceiver
):
    slack.scripted.append((429, {"Retry-After": "30"}))
    _open_episode(ward)
    before = datetime.now(UTC)
    _deliver(ward)
    row = _row(ward.slack_users[0])
    assert (row.status, row.attempts) == ("pending", 0)
    assert row.next_attempt_at is not None
    due = row.next_attempt_at.replace(tzinfo=UTC)
    assert due >= before + timedelta(seconds=30)


def test_slack_429_holds_back_the_other_slack_messages(ward: Ward, slack: SlackReceiver):
    slack.scripted.append((429, {"Retry-After": "30"}))
    _open_episode(ward)
    _deliver(ward)
    assert len(slack.texts) == 1  # the second Slack message waited instead of hammering


def test_a_row_left_sending_by_a_dead_worker_turns_unknown_and_is_not_resent(
    ward: Ward, slack: SlackReceiver, smtp: SmtpServer
):
    _open_episode(ward)
    stuck = ward.slack_users[0]
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    with write_session() as session:
        session.execute(
            update(Notification)
            .where(col(Notification.id) == _row(stuck).id)
            .values(status="sending", claimed_at=long_ago, attempts=1)
        )
    report = _deliver(ward)
    assert (report.unknown, report.sent) == (1, 3)
    assert slack.count_for(stuck) == 0
    assert _row(stuck).status == "unknown"


def test_an_admin_can_send_an_unknown_delivery_again(ward: Ward, slack: SlackReceiver):
    _open_episode(ward)
    stuck = _row(ward.slack_users[0])
    with write_session() as session:
        session.execute(
            update(Notification).where(col(Notification.id) == stuck.id).values(status="unknown")
        )
    assert stuck.id is not None
    alerts.retry_delivery(ctx=ward.admin, notification_id=stuck.id)
    _deliver(ward)
    assert slack.count_for(ward.slack_users[0]) == 1


def test_only_failed_or_unknown_deliveries_can_be_retried(ward: Ward):
    _open_episode(ward)
    row = _row(ward.slack_users[0])
    assert row.id is not None
    with pytest.raises(Conflict):
        alerts.retry_delivery(ctx=ward.admin, notification_id=row.id)


def test_email_without_an_address_goes_to_alert_email_to(
    ward: Ward, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("ALERT_EMAIL_TO", "stores@example.test")
    get_settings.cache_clear()
    with write_session() as session:
        session.execute(update(User).where(col(User.username) == "nurse-mail").values(email=None))
    _open_episode(ward)
    _deliver(ward)
    assert smtp.mailbox.count_to("stores@example.test") == 1


def test_email_without_any_address_fails_for_good(ward: Ward, smtp: SmtpServer):
    with write_session() as session:
        session.execute(update(User).where(col(User.username) == "nurse-mail").values(email=None))
    _open_episode(ward)
    _deliver(ward)
    assert _row("nurse-mail").status == "failed"


def test_a_delivery_whose_stock_recovered_first_is_skipped(ward: Ward, slack: SlackReceiver):
    _open_episode(ward)
    ward.recover()
    alerts.check_tenant(ctx=system_context(ward.admin.tenant_id))
    report = _deliver(ward)
    assert (report.sent, report.skipped) == (0, 4)
    assert slack.texts == []


def test_another_tenant_cannot_retry_a_delivery(ward: Ward, admin_b: Context):
    _open_episode(ward)
    row = _row(ward.slack_users[0])
    assert row.id is not None
    with pytest.raises(NotFound):
        alerts.retry_delivery(ctx=admin_b, notification_id=row.id)
