"""Count sessions: start, count typed and scanned, movements during a count, submit."""

from __future__ import annotations

import csv
import io
import threading

import pytest

from stock_saas.errors import Conflict, Forbidden, NotFound
from stock_saas.services import audit, catalog, counts, stock
from stock_saas.services.core import Context
from stock_saas.services.counts import CountStatus, LineEntry
from stock_saas.services.stock import AdjustReason, MovementAction
from tests.api.conftest import cheap_hashing  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def _shelf(manager: Context) -> dict[str, int]:
    """Lab holds Gauze 20, Gloves 10 (barcode G-1), Masks 5, Tape 0; General holds Gloves 3."""
    ids = {}
    for name, quantity, code in (("Gloves", 10, "G-1"), ("Gauze", 20, None), ("Masks", 5, None)):
        ids[name] = stock.add_stock(
            ctx=manager, name=name, quantity=quantity, department="Lab", barcode=code
        ).item_id
    ids["Tape"] = stock.add_stock(ctx=manager, name="Tape", quantity=0, department="Lab").item_id
    stock.add_stock(ctx=manager, name="Gloves", quantity=3)
    return ids


def _quantities(ctx: Context) -> dict[str, int]:
    lab = next(d.id for d in catalog.list_departments(ctx=ctx) if d.name == "Lab")
    return {r.name: r.quantity for r in stock.list_stock(ctx=ctx, department_id=lab).items}


def _lines(ctx: Context, count_id: int) -> dict[str, tuple[int | None, int | None]]:
    page = counts.get_count(ctx=ctx, count_id=count_id)
    return {line.name: (line.counted, line.expected) for line in page.lines}


def test_a_count_lists_the_departments_levels_and_only_one_is_open(manager_a: Context):
    _shelf(manager_a)
    started = counts.start_count(ctx=manager_a, department="Lab")
    assert (started.status, started.summary.lines, started.summary.uncounted) == (
        CountStatus.OPEN,
        4,
        4,
    )
    assert _lines(manager_a, started.id) == {
        "Gauze": (None, 20),
        "Gloves": (None, 10),
        "Masks": (None, 5),
        "Tape": (None, 0),
    }
    with pytest.raises(Conflict, match=f"Lab already has an open count \\(#{started.id}"):
        counts.start_count(ctx=manager_a, department="Lab")
    assert counts.start_count(ctx=manager_a, department=None).department == "General"


def test_typed_counts_and_scans_add_up(manager_a: Context, user_a: Context):
    ids = _shelf(manager_a)
    count = counts.start_count(ctx=manager_a, department="Lab")
    counts.record_counts(
        ctx=user_a, count_id=count.id, entries=[LineEntry(item_id=ids["Gauze"], counted=19)]
    )
    for _ in range(3):
        lines = counts.record_counts(
            ctx=user_a, count_id=count.id, entries=[LineEntry(barcode="G-1", add=1)]
        )
    assert [(line.name, line.counted, line.variance) for line in lines] == [("Gloves", 3, -7)]
    assert counts.line_position(ctx=user_a, count_id=count.id, item_id=ids["Gloves"]) == 1
    with pytest.raises(NotFound, match="No item with barcode 'NOPE'"):
        counts.record_counts(
            ctx=user_a,
            count_id=count.id,
            entries=[LineEntry(item_id=ids["Masks"], counted=4), LineEntry(barcode="NOPE", add=1)],
        )
    with pytest.raises(Conflict, match="below 0"):
        counts.record_counts(
            ctx=user_a, count_id=count.id, entries=[LineEntry(item_id=ids["Tape"], add=-1)]
        )
    assert _lines(manager_a, count.id) == {
        "Gauze": (19, 20),
        "Gloves": (3, 10),
        "Masks": (None, 5),  # the refused request changed nothing
        "Tape": (None, 0),
    }


def test_two_people_scanning_the_same_department_both_count(manager_a: Context, user_a: Context):
    _shelf(manager_a)
    count = counts.start_count(ctx=manager_a, department="Lab")
    errors: list[BaseException] = []

    def scanner(ctx: Context) -> None:
        try:
            for _ in range(10):
                counts.record_counts(
                    ctx=ctx, count_id=count.id, entries=[LineEntry(barcode="G-1", add=1)]
                )
        except BaseException as exc:
            errors.append(exc)

    people = [threading.Thread(target=scanner, args=(ctx,)) for ctx in (manager_a, user_a)]
    for person in people:
        person.start()
    for person in people:
        person.join()
    assert not errors, errors
    assert _lines(manager_a, count.id)["Gloves"] == (20, 10)


def test_submit_applies_exactly_the_variances_and_movements_during_the_count_stay(
    manager_a: Context, user_a: Context, admin_a: Context
):
    ids = _shelf(manager_a)
    count = counts.start_count(ctx=manager_a, department="Lab")
    newest = audit.latest(ctx=admin_a, limit=1).entries[0].id
    entries = [
        LineEntry(item_id=ids["Gloves"], counted=8),  # short 2
        LineEntry(item_id=ids["Gauze"], counted=20),  # matches
        LineEntry(item_id=ids["Tape"], counted=4),  # over 4
    ]
    counts.record_counts(ctx=user_a, count_id=count.id, entries=entries)
    # After Gloves was counted, 3 are issued from the shelf and 1 more put back in Gauze.
    stock.issue_stock(ctx=user_a, item="Gloves", quantity=3, department="Lab")
    stock.return_stock(ctx=manager_a, item="Gauze", quantity=1, department="Lab")
    done = counts.submit_count(ctx=manager_a, count_id=count.id)
    assert done.status == CountStatus.SUBMITTED
    summary = done.summary
    assert (summary.counted, summary.uncounted, summary.matched) == (3, 1, 1)
    assert (summary.rows_short, summary.units_short, summary.rows_over, summary.units_over) == (
        1,
        2,
        1,
        4,
    )
    assert _quantities(manager_a) == {"Gloves": 5, "Gauze": 21, "Masks": 5, "Tape": 4}
    adjusts = [
        (e.item_name, e.delta, e.reason)
        for e in audit.latest(ctx=admin_a, limit=50).entries
        if e.id > newest and e.action == MovementAction.ADJUST
    ]
    assert sorted(adjusts) == [
        ("Gloves", -2, AdjustReason.COUNTED),
        ("Tape", 4, AdjustReason.COUNTED),
    ]
    with pytest.raises(Conflict, match="already submitted"):
        counts.submit_count(ctx=manager_a, count_id=count.id)
    with pytest.raises(Conflict, match="already submitted"):
        counts.record_counts(ctx=user_a, count_id=count.id, entries=[entries[0]])
    assert _quantities(manager_a)["Gloves"] == 5


def test_a_variance_the_shelf_can_no_longer_cover_applies_nothing(
    manager_a: Context, user_a: Context
):
    ids = _shelf(manager_a)
    count = counts.start_count(ctx=manager_a, department="Lab")
    counts.record_counts(
        ctx=user_a,
        count_id=count.id,
        entries=[LineEntry(item_id=ids["Tape"], counted=2), LineEntry(item_id=ids["Masks"], add=1)],
    )
    stock.issue_stock(ctx=user_a, item="Masks", quantity=5, department="Lab")
    with pytest.raises(Conflict, match="Masks: counted 1 where 5 were expected"):
        counts.submit_count(ctx=manager_a, count_id=count.id)
    assert _quantities(manager_a) == {"Gloves": 10, "Gauze": 20, "Masks": 0, "Tape": 0}
    assert counts.get_count(ctx=user_a, count_id=count.id).count.status == CountStatus.OPEN


def test_a_blind_count_hides_what_the_books_say_until_submitted(
    manager_a: Context, user_a: Context
):
    ids = _shelf(manager_a)
    count = counts.start_count(ctx=manager_a, department="Lab", blind=True)
    counts.record_counts(
        ctx=user_a, count_id=count.id, entries=[LineEntry(item_id=ids["Masks"], counted=4)]
    )
    page = counts.get_count(ctx=user_a, count_id=count.id)
    assert {line.expected for line in page.lines} == {None}
    assert page.count.summary.units_short is None
    out = io.StringIO()
    counts.write_variance_csv(ctx=user_a, count_id=count.id, out=out)
    assert "5" not in [row["expected"] for row in csv.DictReader(io.StringIO(out.getvalue()))]
    done = counts.submit_count(ctx=manager_a, count_id=count.id)
    assert done.summary.units_short == 1
    out = io.StringIO()
    counts.write_variance_csv(ctx=user_a, count_id=count.id, out=out)
    rows = {row["item"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert (rows["Masks"]["expected"], rows["Masks"]["variance"], rows["Masks"]["applied"]) == (
        "5",
        "-1",
        "-1",
    )
    assert rows["Gauze"]["counted"] == ""


def test_cancel_changes_no_stock_and_frees_the_department(manager_a: Context, user_a: Context):
    ids = _shelf(manager_a)
    count = counts.start_count(ctx=manager_a, department="Lab")
    counts.record_counts(
        ctx=user_a, count_id=count.id, entries=[LineEntry(item_id=ids["Gauze"], counted=1)]
    )
    assert counts.cancel_count(ctx=manager_a, count_id=count.id).status == CountStatus.CANCELLED
    assert _quantities(manager_a)["Gauze"] == 20
    assert counts.start_count(ctx=manager_a, department="Lab").status == CountStatus.OPEN
    assert [c.status for c in counts.list_counts(ctx=user_a)] == [
        CountStatus.OPEN,
        CountStatus.CANCELLED,
    ]


def test_roles_starting_and_submitting_need_a_manager(manager_a: Context, user_a: Context):
    _shelf(manager_a)
    with pytest.raises(Forbidden):
        counts.start_count(ctx=user_a, department="Lab")
    count = counts.start_count(ctx=manager_a, department="Lab")
    with pytest.raises(Forbidden):
        counts.submit_count(ctx=user_a, count_id=count.id)
    with pytest.raises(Forbidden):
        counts.cancel_count(ctx=user_a, count_id=count.id)


def test_another_tenant_cannot_see_or_touch_a_count(manager_a: Context, manager_b: Context):
    ids = _shelf(manager_a)
    count = counts.start_count(ctx=manager_a, department="Lab")
    for attempt in (
        lambda: counts.get_count(ctx=manager_b, count_id=count.id),
        lambda: counts.submit_count(ctx=manager_b, count_id=count.id),
        lambda: counts.cancel_count(ctx=manager_b, count_id=count.id),
        lambda: counts.record_counts(
            ctx=manager_b, count_id=count.id, entries=[LineEntry(item_id=ids["Gauze"], add=1)]
        ),
        lambda: counts.start_count(ctx=manager_b, department="Lab"),
    ):
        with pytest.raises(NotFound):
            attempt()
    assert counts.list_counts(ctx=manager_b) == []
    assert _lines(manager_a, count.id)["Gauze"] == (None, 20)
