"""docker-compose.yml: valid for `docker compose config`, and shaped as the README promises."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
APP_PROCESSES = ("migrate", "app", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def _validator() -> list[str] | None:
    """`docker compose` (v2 plugin) or `docker-compose` (v1), whichever answers."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def _project(tmp_path: Path, env: str) -> Path:
    shutil.copy(REPO / "docker-compose.yml", tmp_path / "docker-compose.yml")
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / ".env").write_text(env)
    return tmp_path


def _config(tmp_path: Path, command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, "--project-directory", str(tmp_path), "-f", "docker-compose.yml", "config"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path)},
    )


def test_compose_config_validates_with_a_generated_env(tmp_path: Path):
    command = _validator()
    if command is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    project = _project(
        tmp_path,
        "SECRET_KEY=k-0123456789abcdef0123456789abcdef\nADMIN_PASSWORD=pw-a\n"
        "POSTGRES_PASSWORD=pw-pg\n",
    )
    result = _config(project, command)
    assert result.returncode == 0, result.stderr
    rendered = yaml.safe_load(result.stdout)
    assert "pw-pg@postgres:5432" in rendered["services"]["app"]["environment"]["DATABASE_URL"]


def test_compose_config_refuses_a_missing_postgres_password(tmp_path: Path):
    command = _validator()
    if command is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    result = _config(_project(tmp_path, "SECRET_KEY=k\n"), command)
    assert result.returncode != 0
    assert "POSTGRES_PASSWORD" in result.stderr


def test_compose_runs_every_process_of_the_stack(compose: dict[str, Any]):
    assert set(compose["services"]) == {"postgres", "redis", *APP_PROCESSES}


def test_exactly_one_beat(compose: dict[str, Any]):
    beats = [
        name
        for name, service in compose["services"].items()
        if "beat" in " ".join(map(str, service.get("entrypoint", []) + service.get("command", [])))
    ]
    assert beats == ["beat"]
    assert compose["services"]["beat"]["deploy"]["replicas"] == 1


def test_app_processes_start_after_the_migration(compose: dict[str, Any]):
    for name in ("app", "worker", "beat"):
        depends = compose["services"][name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name


def test_every_dependency_waits_for_health(compose: dict[str, Any]):
    for name, service in compose["services"].items():
        for dependency, rule in service.get("depends_on", {}).items():
            if dependency != "migrate":
                assert rule["condition"] == "service_healthy", (name, dependency)
                assert "healthcheck" in compose["services"][dependency], dependency


def test_postgres_keeps_its_data_in_a_volume(compose: dict[str, Any]):
    volumes = compose["services"]["postgres"]["volumes"]
    assert "postgres-data:/var/lib/postgresql/data" in volumes
    assert "postgres-data" in compose["volumes"]


def test_app_processes_read_secrets_from_env_file(compose: dict[str, Any]):
    for name in APP_PROCESSES:
        service = compose["services"][name]
        assert service["env_file"] == ".env", name
        assert "SECRET_KEY" not in service.get("environment", {}), name
        assert "ADMIN_PASSWORD" not in service.get("environment", {}), name


def test_app_runs_several_backend_workers(compose: dict[str, Any]):
    assert compose["services"]["app"]["environment"]["WEB_CONCURRENCY"] == "${WEB_CONCURRENCY:-2}"
