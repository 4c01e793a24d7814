"""The Dockerfile keeps its promises: build-time frontend, small non-root final stage."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = (REPO / "Dockerfile").read_text()
STAGES = re.split(r"^FROM ", DOCKERFILE, flags=re.MULTILINE)[1:]
FINAL = STAGES[-1]


def test_is_multi_stage_with_the_frontend_exported_in_the_build_stage():
    assert len(STAGES) == 2
    assert "bun@" in STAGES[0] and "run_prod.py build" in STAGES[0]


def test_final_stage_has_no_node_or_build_tools():
    assert not re.search(r"\b(npm|bun|nodejs|apt-get install)\b", FINAL)


def test_final_stage_runs_as_a_non_root_user():
    users = re.findall(r"^USER (\S+)", FINAL, flags=re.MULTILINE)
    assert users and users[-1] not in ("root", "0")


def test_has_a_healthcheck_on_the_api():
    assert re.search(r"^HEALTHCHECK .*\n?.*run_prod.py\", \"check\"", FINAL, flags=re.MULTILINE)


def test_starts_with_the_prestart_step_and_never_builds_at_start():
    assert 'ENTRYPOINT ["python", "scripts/run_prod.py"]' in FINAL
    assert 'CMD ["web"]' in FINAL  # web = prestart (migrate) + serve the exported build


def test_worker_count_is_configurable():
    assert "WEB_CONCURRENCY=" in FINAL


def test_dockerignore_keeps_secrets_and_local_data_out():
    ignored = (REPO / ".dockerignore").read_text().split()
    assert {".env", "secrets.json", "*.db", ".venv", ".web", ".git"} <= set(ignored)
