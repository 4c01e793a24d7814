"""Child processes for tests: in a session of their own (so their children stop with them),
output in a log file."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

__all__ = ["Process", "start_web_app", "stop_process_group"]


def stop_process_group(proc: subprocess.Popen[bytes], *, grace: float = 15.0) -> None:
    """SIGTERM the process's group, SIGKILL it after ``grace`` seconds."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


class Process:
    """A child process in its own session, with its output in ``log``."""

    def __init__(
        self, argv: list[str], env: dict[str, str], log: Path, *, cwd: Path | None = None
    ) -> None:
        self.log = log
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def stop(self, grace: float = 20.0) -> None:
        stop_process_group(self.proc, grace=grace)


def start_web_app(port: int, env: dict[str, str], log: Path, *, timeout: float = 300) -> Process:
    """``reflex run --env prod`` on ``port`` with ``env`` (``scripts.run_all.app_environment``:
    give each app its own ``work``), its output in ``log``; returned once it answers."""
    from scripts.run_all import REPO, web_app
    from tests.support.waiting import wait_for_http

    app = Process(web_app(port).argv, env, log, cwd=REPO)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http([url + "/login", url + "/ping"], app.proc, log, timeout=timeout)
    except BaseException:
        app.stop(grace=15)
        raise
    return app
