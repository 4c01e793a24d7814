"""Production processes of Stock-SaaS: the Docker image's entry point and ``make run-prod``.

Commands (``python scripts/run_prod.py COMMAND``):

- ``all`` (default; ``make run-prod``): what docker-compose runs, without Docker, against the
  local PostgreSQL and Redis: creates the database if missing (default
  ``postgresql://postgres@127.0.0.1:5432/stock_saas_prod`` and Redis db 5, broker db 6,
  results db 7, unless DATABASE_URL/REDIS_URL/... are set in the environment or ``.env``),
  migrates (prestart), exports the frontend once, then supervises the web app with
  WEB_CONCURRENCY (default 2) backend workers, one Celery worker and one beat.
- ``build``: export the frontend (``reflex export --frontend-only``): the Dockerfile's build stage.
- ``prestart``: migrate to head and create the first admin (the compose ``migrate`` service).
- ``web [--skip-prestart]``: serve the exported frontend and the backend (websocket + /api)
  on STOCK_SAAS_PORT with WEB_CONCURRENCY granian workers, without rebuilding anything.
- ``worker`` / ``beat``: the Celery worker / the one beat, logging JSON lines.
- ``check [--url URL]``: exit 0 when ``/api/health`` answers 200 (the image's HEALTHCHECK).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from scripts.run_all import ProcessSpec, app_environment, supervise  # noqa: E402

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/stock_saas_prod"
DEFAULT_REDIS = "redis://127.0.0.1:6379/5"


def _port() -> int:
    return int(os.environ.get("STOCK_SAAS_PORT", "3000"))


def _workers() -> int:
    return max(1, int(os.environ.get("WEB_CONCURRENCY", "2")))


def _reflex_env() -> dict[str, str]:
    return {
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        # Reflex reads its config overrides with the REFLEX_ prefix only.
        "REFLEX_API_URL": os.environ.get("API_URL", f"http://localhost:{_port()}"),
    }


def build() -> int:
    """Compile the pages and export the static frontend into the Reflex web dir."""
    command = [sys.executable, "-m", "reflex", "export", "--frontend-only", "--no-zip"]
    return subprocess.run(command, cwd=REPO, env=app_environment(_reflex_env())).returncode


def prestart() -> int:
    """Migrate to head and ensure tenant ``default`` and its first admin."""
    command = [sys.executable, "inventory.py", "migrate"]
    return subprocess.run(command, cwd=REPO, env=app_environment({})).returncode


def web(*, skip_prestart: bool) -> int:
    """Serve frontend and backend on one port with WEB_CONCURRENCY workers (never returns)."""
    if not skip_prestart and prestart() != 0:
        return 1
    os.chdir(REPO)
    os.environ.update(
        {
            **_reflex_env(),
            "GRANIAN_WORKERS": str(_workers()),
            "REFLEX_ENV_MODE": "prod",
            "REFLEX_SKIP_COMPILE": "true",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        }
    )
    from reflex.utils import exec as reflex_exec
    from reflex_base import constants

    from stock_saas.config import get_settings
    from stock_saas.logging import configure_logging

    configure_logging()
    if _workers() > 1 and not get_settings().redis_url:
        print("run_prod: no REDIS_URL, so one backend worker (state is per process)", flush=True)
        os.environ["GRANIAN_WORKERS"] = "1"
    reflex_exec.run_backend_prod(
        "0.0.0.0",
        _port(),
        constants.LogLevel.INFO,
        mount_frontend_compiled_app=True,
    )
    return 0


def celery(role: str) -> int:
    """Run the Celery ``worker`` or ``beat`` with JSON log lines."""
    from celery.signals import setup_logging

    from stock_saas.config import get_settings
    from stock_saas.logging import configure_logging
    from stock_saas.tasks.celery_app import app, data_dir

    data_dir(get_settings()).mkdir(parents=True, exist_ok=True)  # beat's schedule file
    # Connecting a receiver stops Celery from installing its own (plain text) handlers.
    setup_logging.connect(lambda **_: configure_logging(), weak=False)
    level = get_settings().log_level.upper()
    argv = [role, "--loglevel", level]
    if role == "worker":
        argv += ["--concurrency", os.environ.get("CELERY_CONCURRENCY", "2")]
    app.start(argv)
    return 0


def check(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


def _local_environment() -> dict[str, str]:
    """DATABASE_URL and Redis URLs for ``all``: the configured ones, else local defaults."""
    from stock_saas.config import get_settings

    settings = get_settings()
    redis_url = settings.redis_url or DEFAULT_REDIS
    base = redis_url.rsplit("/", 1)[0]
    return {
        "DATABASE_URL": DEFAULT_DATABASE if settings.is_sqlite else settings.database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": settings.celery_broker_url
        or (f"{base}/6" if not settings.redis_url else redis_url),
        "CELERY_RESULT_BACKEND": settings.celery_result_backend
        or (f"{base}/7" if not settings.redis_url else redis_url),
    }


def _create_database(url: str) -> None:
    """CREATE DATABASE when it does not exist yet (PostgreSQL; needs CREATEDB)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from stock_saas.db import normalize_url

    target = make_url(normalize_url(url))
    if target.get_backend_name() != "postgresql" or not target.database:
        return
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            ).first()
            if exists is None:
                quoted = target.database.replace('"', '""')
                connection.execute(text(f'CREATE DATABASE "{quoted}"'))
                print(f"[run_prod] created database {target.database}", flush=True)
    finally:
        server.dispose()


def run_all(*, skip_build: bool) -> int:
    """Everything docker-compose runs, as local processes under one supervisor."""
    local = _local_environment()
    os.environ.update(local)
    _create_database(local["DATABASE_URL"])
    if prestart() != 0:
        return 1
    if not skip_build and build() != 0:
        return 1
    me = [sys.executable, str(Path(__file__).resolve())]
    processes = [
        ProcessSpec("web", [*me, "web", "--skip-prestart"]),
        ProcessSpec("worker", [*me, "worker"]),
        ProcessSpec("beat", [*me, "beat"]),
    ]
    print(
        f"[run_prod] Stock-SaaS on http://localhost:{_port()} ({_workers()} backend workers, "
        "1 Celery worker, 1 beat)",
        flush=True,
    )
    return supervise(processes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    every = commands.add_parser("all", help="make run-prod: the whole stack, supervised")
    every.add_argument("--skip-build", action="store_true", help="reuse the exported frontend")
    commands.add_parser("build", help="export the frontend")
    commands.add_parser("prestart", help="migrate and create the first admin")
    serve = commands.add_parser("web", help="serve the app (exported frontend + backend)")
    serve.add_argument("--skip-prestart", action="store_true", help="do not migrate first")
    commands.add_parser("worker", help="one Celery worker")
    commands.add_parser("beat", help="the one Celery beat")
    probe = commands.add_parser("check", help="exit 0 when /api/health answers 200")
    probe.add_argument("--url", default=None)
    args = parser.parse_args(argv)
    command = args.command or "all"
    if command == "all":
        return run_all(skip_build=getattr(args, "skip_build", False))
    if command == "build":
        return build()
    if command == "prestart":
        return prestart()
    if command == "web":
        return web(skip_prestart=args.skip_prestart)
    if command in ("worker", "beat"):
        return celery(command)
    return check(args.url or f"http://127.0.0.1:{_port()}/api/health")


if __name__ == "__main__":
    sys.exit(main())
