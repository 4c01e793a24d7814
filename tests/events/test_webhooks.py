"""Outbound webhooks: signed deliveries, retries then pause, tenant isolation, URL rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from stock_saas.errors import Forbidden
from stock_saas.services import stock, webhooks
from stock_saas.services.core import Context
from stock_saas.tasks import webhooks as webhook_tasks
from tests.events.conftest import Receiver


@pytest.fixture
def dispatching(eager_webhooks: Callable[..., None]) -> Iterator[None]:
    """The dispatcher running, Celery tasks run in place (retries without waiting)."""
    eager_webhooks(WEBHOOK_PAUSE_AFTER_FAILURES="3")
    webhook_tasks.install_dispatcher()
    yield
    webhook_tasks.uninstall_dispatcher()


def _endpoint(ctx: Context, receiver: Receiver, *types: str) -> webhooks.NewEndpoint:
    return webhooks.create_endpoint(
        ctx=ctx, url=receiver.url, event_types=list(types or ("stock.changed",))
    )


def test_a_delivery_is_signed_with_the_endpoint_secret(
    dispatching: None, receiver: Receiver, admin_a: Context
) -> None:
    made = _endpoint(admin_a, receiver)

    change = stock.add_stock(ctx=admin_a, name="Gloves", quantity=5)

    request = receiver.wait_for_count(1)[0]
    header = request["headers"][webhooks.SIGNATURE_HEADER]
    assert webhooks.verify_signature(made.secret, header, request["body"])
    assert request["json"]["id"] == str(change.audit_id)
    assert request["json"]["type"] == "stock.changed"
    assert request["json"]["data"]["item_name"] == "Gloves"


def test_a_signature_does_not_verify_for_another_body_or_secret(admin_a: Context) -> None:
    header = webhooks.signature_header("whsec_a", b'{"n":1}')

    assert webhooks.verify_signature("whsec_a", header, b'{"n":1}')
    assert not webhooks.verify_signature("whsec_a", header, b'{"n":2}')
    assert not webhooks.verify_signature("whsec_b", header, b'{"n":1}')


def test_an_old_signature_is_refused(admin_a: Context) -> None:
    header = webhooks.signature_header("whsec_a", b"{}", timestamp=1_000_000)

    assert not webhooks.verify_signature("whsec_a", header, b"{}")


def test_a_failing_receiver_gets_retries_then_the_endpoint_is_paused(
    dispatching: None, receiver: Receiver, admin_a: Context
) -> None:
    receiver.status = 500
    made = _endpoint(admin_a, receiver)

    stock.add_stock(ctx=admin_a, name="Masks", quantity=5)

    assert len(receiver.wait_for_count(3)) >= 3
    webhook_tasks.uninstall_dispatcher()  # waits for the dispatcher to finish its work
    [endpoint] = webhooks.list_endpoints(ctx=admin_a)
    assert (endpoint.active, endpoint.consecutive_failures) == (False, 3)
    assert endpoint.paused_reason is not None and "HTTP 500" in endpoint.paused_reason
    [delivery] = webhooks.list_deliveries(ctx=admin_a, endpoint_id=made.endpoint.id)
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 3, 500)
    assert len(receiver.requests) == 3


def test_resuming_a_paused_endpoint_delivers_what_waited(
    dispatching: None, receiver: Receiver, admin_a: Context
) -> None:
    receiver.status = 500
    made = _endpoint(admin_a, receiver)
    stock.add_stock(ctx=admin_a, name="Swabs", quantity=5)
    receiver.wait_for_count(3)
    webhook_tasks.uninstall_dispatcher()
    receiver.status = 200

    webhooks.update_endpoint(ctx=admin_a, endpoint_id=made.endpoint.id, active=True)
    webhook_tasks.retry_webhooks.apply()

    [delivery] = webhooks.list_deliveries(ctx=admin_a, endpoint_id=made.endpoint.id)
    assert (delivery.status, delivery.attempts) == ("delivered", 4)


def test_no_delivery_for_another_tenants_events(
    dispatching: None, receiver: Receiver, admin_a: Context, admin_b: Context
) -> None:
    _endpoint(admin_a, receiver)

    stock.add_stock(ctx=admin_b, name="Beta gloves", quantity=5)
    mine = stock.add_stock(ctx=admin_a, name="Alpha gloves", quantity=5)

    first = receiver.wait_for_count(1)[0]
    assert first["json"]["id"] == str(mine.audit_id)
    assert first["json"]["tenant_id"] == admin_a.tenant_id


def test_only_the_chosen_event_types_are_delivered(
    dispatching: None, receiver: Receiver, admin_a: Context
) -> None:
    _endpoint(admin_a, receiver, "stock.low")
    stock.add_stock(ctx=admin_a, name="Tape", quantity=50, threshold=10)

    change = stock.issue_stock(ctx=admin_a, item="Tape", quantity=45)

    first = receiver.wait_for_count(1)[0]
    assert (first["json"]["type"], first["json"]["id"]) == ("stock.low", f"{change.audit_id}.1")


@pytest.mark.parametrize(
    "url", ["http://example.com/hook", "https://127.0.0.1/hook", "https://10.0.0.7/x", "ftp://x"]
)
def test_endpoints_must_be_public_https(
    admin_a: Context, url: str, settings_env: Callable[..., None]
) -> None:
    settings_env(WEBHOOK_ALLOW_LOOPBACK="0")  # on by default with SQLite (development)
    with pytest.raises(Forbidden):  # where webhooks may point is policy: 403
        webhooks.create_endpoint(ctx=admin_a, url=url, event_types=["stock.changed"])


def test_only_admins_manage_endpoints(manager_a: Context) -> None:
    from stock_saas.errors import Forbidden

    with pytest.raises(Forbidden):
        webhooks.create_endpoint(
            ctx=manager_a, url="https://hooks.example.test/x", event_types=["stock.changed"]
        )
