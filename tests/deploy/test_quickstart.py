"""scripts/quickstart.sh writes a usable .env (dry run: it starts nothing)."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GENERATED = ("SECRET_KEY", "ADMIN_PASSWORD", "POSTGRES_PASSWORD")


def _clone(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "quickstart.sh", tmp_path / "scripts" / "quickstart.sh")
    shutil.copy(REPO / ".env.example", tmp_path / ".env.example")
    return tmp_path


def _quickstart(clone: Path) -> str:
    result = subprocess.run(
        ["bash", "scripts/quickstart.sh"],
        cwd=clone,
        env={"PATH": "/usr/bin:/bin", "QUICKSTART_DRY_RUN": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def _values(env_file: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
    return {k: v for k, v in pairs if not k.startswith("#")}


def test_generates_each_secret_into_a_private_env(tmp_path: Path):
    clone = _clone(tmp_path)
    _quickstart(clone)
    values = _values(clone / ".env")
    assert all(len(values[name]) >= 20 for name in GENERATED)
    assert not any(values[name].startswith("change-me") for name in GENERATED)
    assert stat.S_IMODE((clone / ".env").stat().st_mode) == 0o600


def test_secrets_differ_between_clones(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = _clone(tmp_path / "a"), _clone(tmp_path / "b")
    _quickstart(first)
    _quickstart(second)
    assert _values(first / ".env")["SECRET_KEY"] != _values(second / ".env")["SECRET_KEY"]


def test_an_existing_env_keeps_its_values(tmp_path: Path):
    clone = _clone(tmp_path)
    (clone / ".env").write_text("SECRET_KEY=mine-0123456789abcdefghij\nADMIN_USERNAME=root2\n")
    output = _quickstart(clone)
    values = _values(clone / ".env")
    assert values["SECRET_KEY"] == "mine-0123456789abcdefghij"
    assert len(values["ADMIN_PASSWORD"]) >= 20
    assert "Sign in as 'root2'" in output


def test_prints_how_to_sign_in_without_the_password(tmp_path: Path):
    clone = _clone(tmp_path)
    output = _quickstart(clone)
    assert "http://localhost:3000" in output
    assert _values(clone / ".env")["ADMIN_PASSWORD"] not in output
