"""The integrator's run: schemathesis's own CLI (``st run``) against the API served by
uvicorn, signed in as an admin, with every check and every phase (examples, coverage,
fuzzing and the stateful phase that follows the OpenAPI links), finds nothing.

Seeded and deterministic, one worker, a few examples per operation, so it is the same
run every time and stays around a minute per database. Two paths are left out: the SSE
stream never ends, and signing out revokes the admin's token (every later call would
then be a correct 401, not a finding).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from stock_saas.services.core import Context
from tests.api.conftest import token_for
from tests.support.api_thread import serving_api

ST = str(Path(sys.executable).with_name("st"))
EXCLUDED = "/api/(events|auth/logout)"
RUN_SECONDS = 900  # an upper bound for a hung run, never a speed requirement


def run_schemathesis(
    base_url: str, token: str, workdir: Path, *options: str
) -> subprocess.CompletedProcess[str]:
    command = [
        ST,
        "run",
        f"{base_url}/api/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        "all",
        "--exclude-path-regex",
        EXCLUDED,
        "--workers",
        "1",
        "--seed",
        "17",
        "--generation-deterministic",
        "--no-color",
        *options,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=RUN_SECONDS, check=False)


def test_schemathesis_cli_finds_nothing(
    cheap_hashing: None, key_store: object, admin_a: Context, tmp_path: Path
) -> None:
    with serving_api() as base_url:
        # In tmp_path: the CLI keeps its example database in ./.schemathesis.
        result = run_schemathesis(base_url, token_for(admin_a), tmp_path, "--max-examples", "8")
    report = result.stdout + result.stderr
    assert "Stateful" in report  # the stateful phase ran (it needs the links)
    assert result.returncode == 0, report[-12000:]
    counts = re.search(r"(\d+) generated, (\d+) passed", report)
    assert counts is not None, report[-3000:]
    assert counts.group(1) == counts.group(2) != "0", report[-3000:]
