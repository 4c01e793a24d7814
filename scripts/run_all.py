"""Run everything Stock-SaaS needs in one terminal, and stop it all together.

``make run`` calls this after ``inventory.py migrate``. It starts every process in
:data:`PROCESSES` (the web app: ``reflex run --env prod``, frontend, websocket and REST API
on one port, default 3000; it compiles and builds the frontend first when that is
needed), forwards Ctrl-C / SIGTERM to all of them, and when any one of them exits it
stops the others and exits with that status. Other parts add their processes by
appending a :class:`ProcessSpec` to :data:`PROCESSES` (e.g. a Celery worker and beat).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STOP_GRACE_SECONDS = 15


@dataclass
class ProcessSpec:
    """One long-running child: its name (for messages), command line and extra env."""

    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)


def web_app(port: int) -> ProcessSpec:
    return ProcessSpec(
        "web",
        [
            sys.executable,
            "-m",
            "reflex",
            "run",
            "--env",
            "prod",
            "--single-port",
            "--frontend-port",
            str(port),
            "--backend-port",
            str(port),
        ],
    )


def private_frontend(work: Path) -> dict[str, str]:
    """Environment for a Reflex process that shares no build files with any other one.

    Its own ``.web`` and ``.states`` under ``work``, and its own copy of the persisted
    lockfile directory (``reflex.lock``, which Reflex otherwise keeps at the app root and
    rewrites on every start, non-atomically): two apps starting at once from one checkout
    (the browser tests' app on each xdist worker, run-prod, the two-worker cluster) once
    read each other's half-written lockfile pair and the second refused to start ("The
    persisted lockfile is out of sync"). ``rxconfig.py`` points Reflex at the copy.
    """
    lock_dir = work / "reflex.lock"
    shared = REPO / "reflex.lock"
    if shared.is_dir() and not lock_dir.exists():
        shutil.copytree(shared, lock_dir)
    return {
        "REFLEX_WEB_WORKDIR": str(work / "web"),
        "REFLEX_STATES_WORKDIR": str(work / "states"),
        "STOCK_SAAS_REFLEX_LOCK_DIR": str(lock_dir),
    }


PORT = int(os.environ.get("STOCK_SAAS_PORT", "3000"))
PROCESSES: list[ProcessSpec] = [web_app(PORT)]


def celery(role: str, *options: str) -> ProcessSpec:
    """A Celery process on the app's broker (embedded SQLite unless REDIS_URL/CELERY_BROKER_URL)."""
    argv = [sys.executable, "-m", "celery", "-A", "stock_saas.tasks.celery_app", role]
    return ProcessSpec(f"celery-{role}", [*argv, "--loglevel=INFO", *options])


# One worker (solo pool: one task at a time, the mode the worker tests exercise) and
# exactly ONE beat, as separate processes so the beat's schedule never runs twice even
# if more workers are added (stock_saas/tasks/celery_app.py; README "Alerts and exports").
PROCESSES += [celery("worker", "--pool=solo"), celery("beat")]


def app_environment(extra: dict[str, str], *, work: Path | None = None) -> dict[str, str]:
    """This process's environment with the project's bun/node and venv first on PATH, Reflex
    kept offline (no telemetry, no version check, the system bun), then ``extra``. With
    ``work`` (an app a test or bench starts), a frontend build of its own there."""
    tools = REPO / ".tools" / "node_modules" / ".bin"
    venv = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(tools), str(venv), os.environ.get("PATH", "")]),
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "PYTHONUNBUFFERED": "1",
        **(private_frontend(work) if work is not None else {}),
    }
    env.update(extra)
    return env


def _stop(children: dict[str, subprocess.Popen[bytes]]) -> None:
    """SIGTERM every child's process group, then SIGKILL what is left after the grace time."""
    for child in children.values():
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def supervise(specs: list[ProcessSpec]) -> int:
    """Start ``specs``; return the exit status of the first child to exit (or 0 on a signal)."""
    stopping: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        stopping.append(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    children: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for spec in specs:
            print(f"[run_all] starting {spec.name}: {' '.join(spec.argv)}", flush=True)
            children[spec.name] = subprocess.Popen(
                spec.argv, cwd=REPO, env=app_environment(spec.env), start_new_session=True
            )
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    print(f"[run_all] {name} exited with {child.returncode}; stopping the rest")
                    return child.returncode or 1
            time.sleep(0.5)
        print(f"[run_all] {signal.Signals(stopping[0]).name}: stopping everything", flush=True)
        return 0
    finally:
        _stop(children)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-migrate", action="store_true", help="do not migrate first")
    args = parser.parse_args(argv)
    if not args.skip_migrate:
        migrate = [sys.executable, "inventory.py", "migrate"]
        subprocess.run(migrate, cwd=REPO, env=app_environment({}), check=True)
    print(f"[run_all] Stock-SaaS on http://localhost:{PORT} (REST API under /api)", flush=True)
    return supervise(PROCESSES)


if __name__ == "__main__":
    sys.exit(main())
