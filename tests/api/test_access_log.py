"""uvicorn's own access log, when the API runs alone, goes through the redacting logger."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from stock_saas.config import get_settings
from tests.support.api_thread import serving_api
from tests.support.waiting import wait_until


def test_uvicorn_access_lines_are_json_and_redacted(
    database: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
):
    monkeypatch.setenv("SECRET_STORE_FILE", str(tmp_path / "secrets.json"))
    get_settings.cache_clear()
    seen: list[str] = []

    def access_line_logged() -> bool:
        seen.extend(capsys.readouterr().out.splitlines())
        return any('"uvicorn.access"' in line for line in seen)

    with serving_api(log_level="info", access_log=True) as base:
        response = httpx.get(f"{base}/api/health", params={"invite_code": "Sesame-1234abcd"})
        assert response.status_code == 200
        wait_until(access_line_logged, timeout=20, what="uvicorn's access line")

    [access] = [json.loads(line) for line in seen if '"uvicorn.access"' in line]
    assert "/api/health?invite_code=[redacted]" in access["msg"]
    assert "Sesame-1234abcd" not in "\n".join(seen)
