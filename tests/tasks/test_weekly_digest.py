"""The weekly reorder digest through a real Celery worker, the local Slack and SMTP
stand-ins, and the notifications table's delivery and retry rules."""

from __future__ import annotations

from email.message import Message

import pytest
from celery import Celery
from sqlmodel import col, select

from stock_saas.db import read_session
from stock_saas.models import Notification, NotificationKind, NotificationStatus
from stock_saas.services import reports, stock
from stock_saas.services.core import Context
from tests.support.history import issued_days_ago
from tests.support.waiting import wait_until
from tests.tasks.conftest import Ward, Workers, on_both_brokers
from tests.tasks.receivers import SlackReceiver, SmtpServer

RESULT_TIMEOUT = 120
DIGEST_SUBJECT = "Weekly reorder digest"
DIGEST_HEADER = "Weekly reorder digest for Acme Hospital"
TASK = "stock_saas.tasks.reports.send_weekly_digests"
MONDAY_0705_BERLIN = "2026-11-30T06:05:00+00:00"
SAME_MONDAY_LATER = "2026-11-30T10:30:00+00:00"


def _digest_rows(tenant_id: int) -> list[tuple[str, int]]:
    with read_session() as session:
        rows = session.execute(
            select(Notification.status, Notification.attempts)
            .where(
                col(Notification.tenant_id) == tenant_id,
                col(Notification.kind) == NotificationKind.DIGEST.value,
            )
            .order_by(col(Notification.user_id))
        ).all()
    return [(str(status), int(attempts)) for status, attempts in rows]


def _digest_mails(smtp: SmtpServer, address: str) -> list[Message]:
    return [
        m
        for m in smtp.mailbox.messages
        if m["To"] == address and str(m["Subject"]).startswith(DIGEST_SUBJECT)
    ]


def _digest_posts(slack: SlackReceiver, username: str) -> list[str]:
    return [t for t in slack.texts if t.startswith(f"@{username} {DIGEST_HEADER}")]


@on_both_brokers
def test_each_recipient_gets_one_digest_per_week_through_the_worker(
    ward: Ward,
    slack: SlackReceiver,
    smtp: SmtpServer,
    workers: Workers,
    celery_client: Celery,
    admin_b: Context,
    monkeypatch: pytest.MonkeyPatch,
):
    """The admin (e-mail) and the manager (Slack) asked for it in Berlin; the nurses
    cannot. Tenant B's admin is in UTC: not due at 06:05 UTC, due at 10:30. Slack fails
    once (500): the row is retried under the alerts' rules and arrives once."""
    reports.set_time_zone(ctx=ward.admin, time_zone="Europe/Berlin")
    for ctx in (ward.admin, ward.manager, admin_b):
        reports.set_weekly_digest(ctx=ctx, enabled=True)
    # 10 left of 40, 30 issued: not low (no alert), but low within 30 days at 1/day.
    stock.add_stock(
        ctx=ward.manager, name="<!channel> Gauze", quantity=40, threshold=5, department="Ward 3"
    )
    issued_days_ago(ward.manager, "<!channel> Gauze", 30, "Ward 3", 3)
    slack.scripted.append((500, {}))
    monkeypatch.setitem(workers.env, "ALERT_RETRY_BASE_SECONDS", "1")
    workers.start()
    admin_mail, other_mail = (f"{c.actor_name}@example.test" for c in (ward.admin, admin_b))
    manager = ward.manager.actor_name

    first = celery_client.send_task(TASK, kwargs={"at": MONDAY_0705_BERLIN})
    assert first.get(timeout=RESULT_TIMEOUT) == {"tenants": 1, "queued": 2}
    wait_until(
        lambda: (
            len(_digest_mails(smtp, admin_mail)) == 1 and len(_digest_posts(slack, manager)) == 2
        ),
        what="the digest by e-mail and, after one failure, by Slack",
    )
    assert _digest_mails(smtp, other_mail) == []
    later = celery_client.send_task(TASK, kwargs={"at": SAME_MONDAY_LATER})
    assert later.get(timeout=RESULT_TIMEOUT) == {"tenants": 1, "queued": 1}  # B only
    wait_until(lambda: len(_digest_mails(smtp, other_mail)) == 1, what="tenant B's digest")
    again = celery_client.send_task(TASK, kwargs={"at": SAME_MONDAY_LATER})
    assert again.get(timeout=RESULT_TIMEOUT) == {"tenants": 0, "queued": 0}

    assert len(_digest_mails(smtp, admin_mail)) == 1
    assert len(_digest_posts(slack, manager)) == 2  # the 500, then the delivery
    assert sorted(_digest_rows(ward.admin.tenant_id)) == [
        (NotificationStatus.SENT.value, 1),
        (NotificationStatus.SENT.value, 2),
    ]
    assert not any(_digest_mails(smtp, address) for address in ward.email_to[1:])
    mail = _digest_mails(smtp, admin_mail)[0]
    assert mail["Subject"] == f"{DIGEST_SUBJECT} 2026-W49: 1 stock level to reorder"
    body = mail.get_payload(decode=True).decode()
    assert "1. <!channel> Gauze — Ward 3: 10 on hand (threshold 5), 1/day, runs out in 10" in body
    # Slack shows the name as written instead of notifying the whole channel.
    post = _digest_posts(slack, manager)[-1]
    assert "&lt;!channel&gt; Gauze" in post and "<!channel>" not in post
