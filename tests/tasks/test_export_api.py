"""The export routes over HTTP: 202 task id, 202 progress, 200 CSV, 404 and 403."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from stock_saas.api.app import create_app
from stock_saas.config import get_settings
from stock_saas.security.tokens import issue_token
from stock_saas.services import audit, exports
from stock_saas.services.core import Context
from stock_saas.tasks.system import system_context
from tests.tasks.conftest import AuditTrail

EXPORT = "/api/analytics/audit/export"


@pytest.fixture
def api(export_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_STORE_FILE", str(tmp_path / "secrets.json"))
    get_settings.cache_clear()
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client


def _auth(ctx: Context) -> dict[str, str]:
    assert ctx.user_id is not None
    token = issue_token(user_id=ctx.user_id, tenant_id=ctx.tenant_id, role=ctx.role.value)
    return {"Authorization": f"Bearer {token}"}


def _request(api: TestClient, ctx: Context, **params: object) -> str:
    response = api.post(EXPORT, params={"tenant_id": ctx.tenant_id, **params}, headers=_auth(ctx))
    assert response.status_code == 202, response.text
    return str(response.json()["task_id"])


def _poll(api: TestClient, ctx: Context, task_id: str, tenant_id: int | None = None):  # type: ignore[no-untyped-def]
    return api.get(
        f"{EXPORT}/{task_id}",
        params={"tenant_id": tenant_id or ctx.tenant_id},
        headers=_auth(ctx),
    )


def test_a_request_answers_202_with_a_task_id(api: TestClient, audit_trail: AuditTrail):
    assert _request(api, audit_trail.admin)


def test_polling_before_the_worker_ran_answers_202_with_status_and_progress(
    api: TestClient, audit_trail: AuditTrail
):
    task_id = _request(api, audit_trail.admin)
    response = _poll(api, audit_trail.admin, task_id)
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["progress"]) == ("pending", 0.0)


def test_a_finished_export_downloads_as_a_csv_attachment(api: TestClient, audit_trail: AuditTrail):
    admin = audit_trail.admin
    task_id = _request(api, admin, limit=5)
    exports.run_export(ctx=system_context(admin.tenant_id), task_id=task_id)
    response = _poll(api, admin, task_id)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment;")
    ids = [row["id"] for row in csv.DictReader(io.StringIO(response.text))]
    log = [str(e.id) for batch in audit.iter_entries(ctx=admin) for e in batch]
    assert ids == log[-5:]


def test_another_tenants_task_id_is_404(api: TestClient, audit_trail: AuditTrail):
    task_id = _request(api, audit_trail.admin)
    assert _poll(api, audit_trail.other_admin, task_id).status_code == 404


def test_naming_another_tenant_is_403(api: TestClient, audit_trail: AuditTrail):
    task_id = _request(api, audit_trail.admin)
    response = _poll(api, audit_trail.other_admin, task_id, tenant_id=audit_trail.admin.tenant_id)
    assert response.status_code == 403


def test_a_manager_cannot_request_an_export(api: TestClient, audit_trail: AuditTrail):
    manager = audit_trail.manager
    response = api.post(EXPORT, params={"tenant_id": manager.tenant_id}, headers=_auth(manager))
    assert response.status_code == 403
