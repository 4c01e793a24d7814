"""Webhooks that keep up: one sender per endpoint, events in order, a lagging endpoint's
events batched into one signed JSON array, a failed attempt holding back what follows."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from stock_saas.services import stock, webhooks
from stock_saas.services.core import Context
from stock_saas.tasks import webhooks as webhook_tasks
from tests.events.conftest import Collector, Receiver


@pytest.fixture
def eager(eager_webhooks: Callable[..., None]) -> None:
    """No dispatcher: the test records the deliveries itself, so they are pending
    together, as behind a lagging endpoint."""
    eager_webhooks(WEBHOOK_PAUSE_AFTER_FAILURES="5", WEBHOOK_BATCH_MAX="4")


def _pending_changes(bus: Collector, admin: Context, count: int) -> list[str]:
    """``count`` stock changes recorded as pending deliveries; their event ids in order."""
    ids = [str(stock.add_stock(ctx=admin, name="Gloves", quantity=100).audit_id)]
    ids += [
        str(stock.issue_stock(ctx=admin, item="Gloves", quantity=1).audit_id)
        for _ in range(count - 1)
    ]
    envelopes = [bus.wait_for(lambda e, wanted=i: e.id == wanted) for i in ids]
    webhooks.record_deliveries(ctx=admin, envelopes=envelopes)
    return ids


def _endpoint(admin: Context, receiver: Receiver) -> webhooks.NewEndpoint:
    return webhooks.create_endpoint(ctx=admin, url=receiver.url, event_types=["stock.changed"])


def _ids(request: dict) -> list[str]:  # type: ignore[type-arg]
    body = request["json"]
    return [e["id"] for e in body] if isinstance(body, list) else [body["id"]]


def test_a_lagging_endpoint_gets_its_events_in_order_in_signed_arrays(
    eager: None, bus: Collector, receiver: Receiver, admin_a: Context
) -> None:
    made = _endpoint(admin_a, receiver)
    ids = _pending_changes(bus, admin_a, 7)

    webhook_tasks.deliver_webhooks.apply(args=(admin_a.tenant_id, made.endpoint.id))

    requests = receiver.wait_for_count(2)
    assert [len(r["json"]) for r in requests] == [4, 3]
    assert [i for r in requests for i in _ids(r)] == ids
    for request in requests:
        header = request["headers"][webhooks.SIGNATURE_HEADER]
        assert webhooks.verify_signature(made.secret, header, request["body"])
        assert not webhooks.verify_signature("whsec_other", header, request["body"])
        assert request["headers"]["X-StockSaas-Event"] == "batch"


def test_a_failed_attempt_holds_back_the_events_after_it(
    eager: None, bus: Collector, receiver: Receiver, admin_a: Context
) -> None:
    made = _endpoint(admin_a, receiver)
    ids = _pending_changes(bus, admin_a, 6)
    receiver.statuses = [500, 500]

    webhook_tasks.deliver_webhooks.apply(args=(admin_a.tenant_id, made.endpoint.id))

    requests = receiver.wait_for_count(4)
    assert [_ids(r) for r in requests] == [ids[:4], ids[:4], ids[:4], ids[4:]]
    deliveries = webhooks.list_deliveries(ctx=admin_a, endpoint_id=made.endpoint.id)
    attempts = {d.event_id: (d.status, d.attempts) for d in deliveries}
    assert attempts == {
        **{i: ("delivered", 3) for i in ids[:4]},
        **{i: ("delivered", 1) for i in ids[4:]},
    }


def test_one_sender_per_endpoint_at_a_time(
    eager: None, bus: Collector, receiver: Receiver, admin_a: Context
) -> None:
    made = _endpoint(admin_a, receiver)
    ids = _pending_changes(bus, admin_a, 5)

    first = webhooks.claim_batch(ctx=admin_a, endpoint_id=made.endpoint.id)
    assert first is not None
    assert webhooks.claim_batch(ctx=admin_a, endpoint_id=made.endpoint.id) is None
    webhooks.record_result(
        ctx=admin_a, delivery_ids=first.delivery_ids, response_code=204, error=None
    )
    second = webhooks.claim_batch(ctx=admin_a, endpoint_id=made.endpoint.id)

    assert second is not None
    assert [j.event_id for j in first.jobs + second.jobs] == ids
    assert second.body.startswith("{")  # one event: its object, not an array


def test_a_task_queued_behind_a_sender_leaves_it_what_it_was_queued_for(
    eager: None, bus: Collector, receiver: Receiver, admin_a: Context
) -> None:
    made = _endpoint(admin_a, receiver)
    ids = _pending_changes(bus, admin_a, 6)
    under_way = webhooks.claim_batch(ctx=admin_a, endpoint_id=made.endpoint.id)
    assert under_way is not None
    assert webhooks.has_sender(ctx=admin_a, endpoint_id=made.endpoint.id)

    queued = webhook_tasks.deliver_webhooks.apply(args=(admin_a.tenant_id, made.endpoint.id))

    assert queued.get() == 0  # left at once: no attempt, nothing claimed or sent
    assert receiver.requests == []
    webhooks.record_result(
        ctx=admin_a, delivery_ids=under_way.delivery_ids, response_code=204, error=None
    )
    assert not webhooks.has_sender(ctx=admin_a, endpoint_id=made.endpoint.id)
    rest = webhooks.claim_batch(ctx=admin_a, endpoint_id=made.endpoint.id)
    assert rest is not None
    assert [j.event_id for j in under_way.jobs + rest.jobs] == ids


def test_a_batch_of_events_is_recorded_for_every_endpoint_in_their_order(
    eager: None, bus: Collector, admin_a: Context, receiver: Receiver
) -> None:
    made = [_endpoint(admin_a, receiver) for _ in range(3)]
    ids = _pending_changes(bus, admin_a, 5)

    for endpoint in made:
        batch = webhooks.claim_batch(ctx=admin_a, endpoint_id=endpoint.endpoint.id)
        assert batch is not None
        assert [j.event_id for j in batch.jobs] == ids[:4]
        assert sorted(batch.delivery_ids) == list(batch.delivery_ids)
