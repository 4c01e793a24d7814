"""The Celery application: brokers from Settings and the one beat schedule.

Broker: CELERY_BROKER_URL, else REDIS_URL, else an embedded SQLite broker
``sqla+sqlite:///<dir>/celery-broker.db`` with results in ``<dir>/celery-results.db``,
where <dir> is CELERY_DATA_DIR or the SQLite database's directory (else the working
directory). Result backend: CELERY_RESULT_BACKEND, else REDIS_URL, else the embedded one.

Every task is ``acks_late`` and rejected (requeued) when its worker is lost; the tasks
are idempotent, and the database, not the broker, is the source of truth: the periodic
sweeps pick up whatever a lost message or a killed worker left behind (the embedded
broker loses an unacknowledged message on SIGKILL; Redis requeues it after its
visibility timeout). A worker that starts runs the alert sweep and the export resume
once, so work interrupted by a crash finishes right after the restart.

Run: ``celery -A stock_saas.tasks.celery_app worker`` plus exactly one
``celery -A stock_saas.tasks.celery_app beat`` (or ``worker -B`` on a single machine).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_init, worker_process_init, worker_ready
from sqlalchemy.engine import make_url

from stock_saas.config import Settings, get_settings
from stock_saas.db import dispose_engines
from stock_saas.security.file_modes import keep_private
from stock_saas.services import events

__all__ = ["app", "beat_schedule", "broker_urls", "configure", "data_dir"]

TASKS = "stock_saas.tasks"
RETRY_SWEEP_SECONDS = 60.0
EXPORT_RESUME_SECONDS = 5.0  # with a 10 s lease: a dead worker's export moves in <= 15 s
EXPORT_PURGE_SECONDS = 900.0
WEBHOOK_SWEEP_SECONDS = 30.0
# The weekly digest is due at Monday 07:00 in each tenant's zone; some zones are offset by
# quarter hours, so look every quarter hour (tasks.reports).
DIGEST_SCHEDULE = crontab(minute="*/15")


def data_dir(settings: Settings) -> Path:
    """Where the embedded broker, result store and beat schedule files live."""
    if settings.celery_data_dir is not None:
        return settings.celery_data_dir.resolve()
    if settings.is_sqlite:
        database = make_url(settings.database_url).database
        if database and database != ":memory:":
            return Path(database).resolve().parent
    return Path.cwd()


def broker_urls(settings: Settings) -> tuple[str, str]:
    """(broker URL, result backend URL) for this deployment."""
    directory = data_dir(settings)
    broker = (
        settings.celery_broker_url
        or settings.redis_url
        or f"sqla+sqlite:///{directory / 'celery-broker.db'}"
    )
    backend = (
        settings.celery_result_backend
        or settings.redis_url
        or f"db+sqlite:///{directory / 'celery-results.db'}"
    )
    return broker, backend


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """The one schedule: stock sweep, delivery retries, export resume and expiry, webhook
    retries, weekly digests."""
    return {
        "check-stock": {
            "task": f"{TASKS}.alerts.check_stock",
            "schedule": float(settings.stock_check_interval),
        },
        "retry-deliveries": {
            "task": f"{TASKS}.alerts.deliver_notifications",
            "schedule": RETRY_SWEEP_SECONDS,
        },
        "resume-exports": {
            "task": f"{TASKS}.exports.resume_exports",
            "schedule": EXPORT_RESUME_SECONDS,
        },
        "purge-exports": {
            "task": f"{TASKS}.exports.purge_exports",
            "schedule": EXPORT_PURGE_SECONDS,
        },
        "retry-webhooks": {
            "task": f"{TASKS}.webhooks.retry_webhooks",
            "schedule": WEBHOOK_SWEEP_SECONDS,
        },
        "weekly-digest": {
            "task": f"{TASKS}.reports.send_weekly_digests",
            "schedule": DIGEST_SCHEDULE,
        },
    }


def _transport_options(broker: str) -> dict[str, Any]:
    if broker.startswith("sqla+sqlite"):
        # Passed straight to create_engine by kombu's SQLAlchemy transport: wait for the
        # SQLite lock instead of failing when the web app and a worker write at once.
        return {"connect_args": {"timeout": 30}}
    if broker.startswith(("redis://", "rediss://")):
        # Fail fast in the web request that enqueues when Redis is down (the sweep catches up).
        return {"socket_connect_timeout": 2, "socket_timeout": 5}
    return {}


def configure(target: Celery, settings: Settings) -> Celery:
    """Apply ``settings`` to a Celery app (the worker's, or a test's client)."""
    broker, backend = broker_urls(settings)
    directory = data_dir(settings)
    if broker.startswith("sqla+sqlite") or backend.startswith("db+sqlite"):
        directory.mkdir(parents=True, exist_ok=True)
    target.conf.update(
        broker_url=broker,
        result_backend=backend,
        broker_transport_options=_transport_options(broker),
        database_engine_options={"connect_args": {"timeout": 30}}
        if backend.startswith("db+sqlite")
        else {},
        broker_connection_retry_on_startup=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=24 * 3600,
        timezone="UTC",
        enable_utc=True,
        beat_schedule=beat_schedule(settings),
        beat_schedule_filename=str(directory / "celerybeat-schedule"),
    )
    return target


app = configure(
    Celery(
        "stock_saas",
        include=[f"{TASKS}.alerts", f"{TASKS}.exports", f"{TASKS}.webhooks", f"{TASKS}.reports"],
    ),
    get_settings(),
)


@worker_init.connect
def _publish_events(**_: Any) -> None:
    # Changes made by tasks reach live dashboards, SSE and webhooks in other processes.
    events.install_publisher()
    keep_private()  # exports and the embedded broker's files: the owner's alone


@worker_process_init.connect
def _fresh_connections(**_: Any) -> None:
    # A forked pool process must not reuse its parent's database connections.
    dispose_engines()


@worker_ready.connect
def _resume_interrupted_work(sender: Any = None, **_: Any) -> None:
    # Finish what a crashed worker left (pending deliveries, orphaned exports) now,
    # not at the next beat tick.
    target = sender.app if sender is not None else app
    target.send_task(f"{TASKS}.alerts.check_stock")
    target.send_task(f"{TASKS}.exports.resume_exports", kwargs={"watch": True})
