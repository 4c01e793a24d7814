"""Fixtures for background work: Slack and SMTP stand-ins, a tenant with recipients, and
real Celery workers (subprocesses) on Redis or on the embedded SQLite broker.

Pairs that run the worker tests: the embedded broker with SQLite data (the zero-set-up
default) and Redis with PostgreSQL (the production shape). Redis tests use database
numbers 10-13 (two per xdist worker) and flush only those.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
from celery import Celery

from stock_saas.config import get_settings
from stock_saas.models import Tenant
from stock_saas.services import catalog, people, stock
from stock_saas.services.core import Context, Role
from stock_saas.services.people import NotificationPreference
from stock_saas.tasks.celery_app import configure
from tests.conftest import BACKENDS, TEST_PASSWORD, ContextFactory
from tests.support.servers import redis_db
from tests.tasks.receivers import SlackReceiver, SmtpServer

PAIRS = [("sqlite", "embedded"), ("postgresql", "redis")]
WORKER_READY_TIMEOUT = 60.0

on_both_brokers = pytest.mark.parametrize(
    ("database", "broker"), [p for p in PAIRS if p[0] in BACKENDS], indirect=True
)
on_redis = pytest.mark.parametrize(
    ("database", "broker"),
    [p for p in PAIRS if p[1] == "redis" and p[0] in BACKENDS],
    indirect=True,
)


@pytest.fixture
def slack() -> Iterator[SlackReceiver]:
    receiver = SlackReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def broker(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "embedded")


def _redis_dbs(worker_id: str) -> tuple[int, int]:
    index = int(worker_id[2:]) if worker_id.startswith("gw") else 0
    first = 10 + 2 * (index % 2)
    return first, first + 1


@pytest.fixture
def alert_env(
    database: str,
    broker: str,
    slack: SlackReceiver,
    smtp: SmtpServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    worker_id: str,
) -> dict[str, str]:
    """Settings for this test (also applied to this process): receivers, broker, dirs."""
    env = {
        "DATABASE_URL": database,
        "SLACK_WEBHOOK_URL": slack.url,
        "SLACK_MIN_INTERVAL_SECONDS": "0",
        "SMTP_SERVER": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "ALERT_EMAIL_FROM": "alerts@stock-saas.test",
        "EXPORT_DIR": str(tmp_path / "exports"),
        "CELERY_DATA_DIR": str(tmp_path / "celery"),
    }
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "ALERT_EMAIL_TO"):
        monkeypatch.delenv(name, raising=False)
    if broker == "redis":
        broker_db, results_db = _redis_dbs(worker_id)
        for number in (broker_db, results_db):
            redis.Redis.from_url(redis_db(number)).flushdb()
        env["CELERY_BROKER_URL"] = redis_db(broker_db)
        env["CELERY_RESULT_BACKEND"] = redis_db(results_db)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    return env


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgements, nothing cleaned up."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(30)


@dataclass
class Workers:
    env: dict[str, str]
    cwd: Path
    started: list[Worker] = field(default_factory=list)

    def start(self, name: str = "w1") -> Worker:
        log = self.cwd / f"worker-{name}-{len(self.started)}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "stock_saas.tasks.celery_app", "worker",
            "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "-n", f"{name}-{os.getpid()}@%h",
        ]  # fmt: skip
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, cwd=self.cwd, env={**os.environ, **self.env}, stdout=out, stderr=out
            )
        worker = Worker(process, log)
        self.started.append(worker)
        deadline = time.monotonic() + WORKER_READY_TIMEOUT
        while b" ready." not in log.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"worker did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.05)
        return worker


@pytest.fixture
def workers(alert_env: dict[str, str], tmp_path: Path) -> Iterator[Workers]:
    pool = Workers(alert_env, tmp_path)
    yield pool
    for worker in pool.started:
        worker.kill()


@pytest.fixture
def celery_client(alert_env: dict[str, str]) -> Iterator[Celery]:
    """A Celery client on this test's broker, to enqueue tasks and read their results."""
    app = configure(Celery("tests"), get_settings())
    yield app
    app.close()


# ---- a tenant whose low stock concerns some people and not others ---------------------


@dataclass
class Ward:
    """Tenant A: Gloves in "Ward 3" at 20 (threshold 10), and who should hear of a drop."""

    manager: Context
    admin: Context
    department_id: int
    slack_users: list[str]
    email_to: list[str]
    silent_users: list[str]  # preference none: a skipped row, no message
    bystanders: list[str]  # other department / other tenant: nothing at all

    def drop(self, quantity: int = 15) -> None:
        stock.issue_stock(ctx=self.manager, item="Gloves", quantity=quantity, department="Ward 3")

    def recover(self, quantity: int = 15) -> None:
        stock.restock(ctx=self.manager, item="Gloves", quantity=quantity, department="Ward 3")


def _person(
    admin: Context, name: str, department_id: int | None, preference: NotificationPreference
) -> str:
    people.create_user(
        ctx=admin,
        username=name,
        password=TEST_PASSWORD,
        role=Role.USER,
        email=f"{name}@example.test",
        department_id=department_id,
        notification_preference=preference,
    )
    return name


@pytest.fixture
def ward(
    tenant_a: Tenant, tenant_b: Tenant, make_ctx: ContextFactory, alert_env: dict[str, str]
) -> Ward:
    admin, manager = make_ctx(tenant_a, Role.ADMIN), make_ctx(tenant_a, Role.MANAGER)
    make_ctx(tenant_b, Role.ADMIN)  # another tenant's admin hears nothing
    assert manager.user_id is not None
    people.update_user(
        ctx=admin, user_id=manager.user_id, notification_preference=NotificationPreference.SLACK
    )
    ward_id = catalog.create_department(ctx=manager, name="Ward 3").id
    lab_id = catalog.create_department(ctx=manager, name="Lab").id
    slack_nurse = _person(admin, "nurse-slack", ward_id, NotificationPreference.SLACK)
    mail_nurse = _person(admin, "nurse-mail", ward_id, NotificationPreference.EMAIL)
    quiet_nurse = _person(admin, "nurse-quiet", ward_id, NotificationPreference.NONE)
    lab_tech = _person(admin, "lab-tech", lab_id, NotificationPreference.EMAIL)
    stock.add_stock(ctx=manager, name="Gloves", quantity=20, threshold=10, department="Ward 3")
    return Ward(
        manager=manager,
        admin=admin,
        department_id=ward_id,
        slack_users=[manager.actor_name, slack_nurse],
        email_to=[f"{admin.actor_name}@example.test", f"{mail_nurse}@example.test"],
        silent_users=[quiet_nurse],
        bystanders=[lab_tech, f"admin-{tenant_b.id}"],
    )


# ---- audit trails to export ----------------------------------------------------------

# Names are stripped on input, so tab/CR-led text is left to the neutraliser's own tests.
FORMULAS = ['=HYPERLINK("http://evil.test","x")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.fixture
def export_dir(database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "exports"
    monkeypatch.setenv("EXPORT_DIR", str(directory))
    get_settings.cache_clear()
    return directory


@dataclass
class AuditTrail:
    admin: Context
    manager: Context
    other_admin: Context
    lab_id: int


@pytest.fixture
def audit_trail(tenant_a: Tenant, tenant_b: Tenant, make_ctx: ContextFactory) -> AuditTrail:
    """Movements in tenant A (items named like formulas) and in tenant B."""
    admin, manager = make_ctx(tenant_a, Role.ADMIN), make_ctx(tenant_a, Role.MANAGER)
    other_admin, other_manager = make_ctx(tenant_b, Role.ADMIN), make_ctx(tenant_b, Role.MANAGER)
    lab_id = catalog.create_department(ctx=manager, name="Lab").id
    stock.add_stock(ctx=manager, name="Gloves", quantity=50, threshold=5)
    for name in FORMULAS:
        stock.add_stock(ctx=manager, name=name, quantity=3, department="Lab")
    stock.issue_stock(ctx=manager, item="Gloves", quantity=7)
    stock.transfer_stock(
        ctx=manager, item="Gloves", quantity=4, from_department="General", to_department="Lab"
    )
    stock.add_stock(ctx=other_manager, name="Secret reagent", quantity=9)
    stock.issue_stock(ctx=other_manager, item="Secret reagent", quantity=1)
    return AuditTrail(admin, manager, other_admin, lab_id)
