"""Child processes for tests: in a session of their own (so their children stop with them),
output in a log file."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

__all__ = ["Process", "stop_process_group"]


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
