"""`.env.example`, the README's configuration table and Settings name the same variables."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from stock_saas.config import Settings

REPO = Path(__file__).resolve().parents[2]
# Read by docker-compose.yml, the Dockerfile and scripts/run_prod.py, not by the app.
DEPLOYMENT_ONLY = {"POSTGRES_PASSWORD", "WEB_CONCURRENCY", "STOCK_SAAS_PORT", "API_URL"}


def env_example_names() -> list[str]:
    """Variables of .env.example: lines `NAME=…` (set) or `#NAME=…` (default shown)."""
    text = (REPO / ".env.example").read_text()
    return re.findall(r"^#?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE)


def readme_table_names() -> list[str]:
    """First-column names of the table under the README's "## Configuration" heading."""
    readme = (REPO / "README.md").read_text()
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section, flags=re.MULTILINE)


def settings_names() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


def test_env_example_lists_every_setting():
    assert settings_names() - set(env_example_names()) == set()


def test_env_example_lists_nothing_unknown():
    assert set(env_example_names()) - settings_names() == DEPLOYMENT_ONLY


def test_env_example_names_each_variable_once():
    names = env_example_names()
    assert len(names) == len(set(names))


def test_readme_table_matches_env_example():
    assert readme_table_names() == env_example_names()


def test_every_env_example_variable_has_a_comment():
    lines = (REPO / ".env.example").read_text().splitlines()
    uncommented = [
        line
        for before, line in itertools.pairwise(lines)
        if re.match(r"^#?[A-Z][A-Z0-9_]*=", line) and not before.startswith("# ")
    ]
    assert uncommented == []
