"""Alerts through real Celery workers (subprocesses) on Redis and on the embedded broker."""

from __future__ import annotations

import subprocess
import sys

from celery import Celery
from sqlmodel import col, func, select

from stock_saas.db import read_session
from stock_saas.models import Notification, User
from stock_saas.services import stock
from stock_saas.services.core import Context
from tests.support.waiting import wait_until
from tests.tasks.conftest import Ward, Workers, on_both_brokers, on_redis
from tests.tasks.receivers import SlackReceiver, SmtpServer

RESULT_TIMEOUT = 120

# A front door in its own process: installs the triggers, then drops the stock.
DROP_WITH_TRIGGERS = """
import sys
from stock_saas.tasks import triggers
from stock_saas.services import stock
from stock_saas.services.core import Context, Role, Source
triggers.install()
ctx = Context(tenant_id=int(sys.argv[1]), role=Role.MANAGER, source=Source.CLI, actor_name="t")
stock.issue_stock(ctx=ctx, item="Gloves", quantity=15, department="Ward 3")
"""


def _heard(ward: Ward, slack: SlackReceiver, smtp: SmtpServer) -> list[int]:
    """Messages per expected recipient: Slack users first, then e-mail addresses."""
    return [slack.count_for(name) for name in ward.slack_users] + [
        smtp.mailbox.count_to(address) for address in ward.email_to
    ]


def _rows_per_user(tenant_id: int) -> list[int]:
    with read_session() as session:
        query = (
            select(func.count())
            .select_from(Notification)
            .join(User, col(User.id) == col(Notification.user_id))
            .where(col(Notification.tenant_id) == tenant_id)
            .group_by(col(Notification.user_id))
        )
        return list(session.exec(query))


def _check_stock(celery_client: Celery, **kwargs: int) -> dict[str, int]:
    return celery_client.send_task("stock_saas.tasks.alerts.check_stock", kwargs=kwargs).get(
        timeout=RESULT_TIMEOUT
    )


def _low_stock_in_tenant_b(ward: Ward, manager_b: Context) -> None:
    """A second tenant with work, so a sweep in batches of one tenant is a chord of two."""
    stock.add_stock(ctx=manager_b, name="Reagent", quantity=1, threshold=5)
    assert manager_b.tenant_id != ward.admin.tenant_id


@on_both_brokers
def test_a_drop_in_a_front_door_reaches_each_recipient_once_through_the_worker(
    ward: Ward,
    slack: SlackReceiver,
    smtp: SmtpServer,
    workers: Workers,
    celery_client: Celery,
    manager_b: Context,
):
    workers.start()
    subprocess.run(
        [sys.executable, "-c", DROP_WITH_TRIGGERS, str(ward.admin.tenant_id)],
        check=True,
        timeout=60,
    )
    wait_until(lambda: min(_heard(ward, slack, smtp)) >= 1, what="every recipient to hear")
    _low_stock_in_tenant_b(ward, manager_b)
    # A sweep afterwards, fanned out in two batches, must not repeat anything.
    swept = _check_stock(celery_client, batch_tenants=1)
    assert (swept["opened"], swept["closed"]) == (1, 0)  # tenant B's episode only
    assert _heard(ward, slack, smtp) == [1, 1, 1, 1]


@on_both_brokers
def test_worker_killed_mid_delivery_then_restarted_sends_each_message_once(
    ward: Ward, slack: SlackReceiver, smtp: SmtpServer, workers: Workers, celery_client: Celery
):
    slack.hold_request = 2  # the second Slack message arrives, then the worker dies
    first = workers.start()
    ward.drop()
    celery_client.send_task("stock_saas.tasks.alerts.check_stock")
    wait_until(slack.holding.is_set, what="the second Slack message to be in flight")
    first.kill()
    slack.release.set()
    workers.start()  # on start it sweeps and delivers what the dead worker left
    _check_stock(celery_client)
    assert _heard(ward, slack, smtp) == [1, 1, 1, 1]
    assert _rows_per_user(ward.admin.tenant_id) == [1, 1, 1, 1, 1]


@on_redis
def test_two_sweeps_fanned_out_over_two_workers_send_each_message_once(
    ward: Ward,
    slack: SlackReceiver,
    smtp: SmtpServer,
    workers: Workers,
    celery_client: Celery,
    manager_b: Context,
):
    workers.start("a")
    workers.start("b")
    ward.drop()
    _low_stock_in_tenant_b(ward, manager_b)
    runs = [
        celery_client.send_task("stock_saas.tasks.alerts.check_stock", kwargs={"batch_tenants": 1})
        for _ in range(2)
    ]
    results = [run.get(timeout=RESULT_TIMEOUT) for run in runs]
    assert sum(result["opened"] for result in results) == 2  # one episode per tenant
    assert _heard(ward, slack, smtp) == [1, 1, 1, 1]
    assert _rows_per_user(ward.admin.tenant_id) == [1, 1, 1, 1, 1]
    assert _rows_per_user(manager_b.tenant_id) == [1, 1]  # its admin and manager
