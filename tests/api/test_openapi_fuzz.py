"""Schemathesis against /api/openapi.json as a signed-in admin: no 5xx, and every response
(status, content type, body) matches what the schema documents.

``tenant_id`` is pinned to the admin's tenant on most examples so the fuzzing reaches the
services instead of stopping at the tenant check. Examples are bounded (per operation) so
the run stays short on both backends.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stock_saas.api.app import create_app
from stock_saas.services import stock
from stock_saas.services.core import Context

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# The schema does not depend on the database: load it once. The app reads its settings
# (database, key store) per request, so each test's fixtures apply.
schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app())


@pytest.fixture
def stocked(cheap_hashing: None, key_store: object, manager_a: Context) -> None:
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=50, threshold=5, barcode="4006381")


def _pin_tenant(case: schemathesis.Case, tenant_id: int) -> None:
    if isinstance(case.query, dict) and "tenant_id" in case.query:
        case.query["tenant_id"] = tenant_id
    if isinstance(case.body, dict) and "tenant_id" in case.body:
        case.body["tenant_id"] = tenant_id


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(
    case: schemathesis.Case,
    stocked: None,
    admin_a: Context,
    auth: Callable[[Context], dict[str, str]],
):
    _pin_tenant(case, admin_a.tenant_id)
    case.call_and_validate(headers=auth(admin_a), checks=CHECKS)
