"""The code base keeps the shape CONVENTIONS.md asks for: short modules, no flat services."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "stock_saas"
MAX_LINES = 300
MODULES = sorted(ROOT.rglob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_stays_under_300_lines(module: Path) -> None:
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module.relative_to(ROOT)} has {lines} lines: split it"


def test_services_are_domain_packages_only() -> None:
    loose = sorted(
        p.name
        for p in (ROOT / "services").glob("*.py")
        if p.name not in ("__init__.py", "health.py")
    )
    assert loose == [], f"modules outside a domain package: {loose}"
