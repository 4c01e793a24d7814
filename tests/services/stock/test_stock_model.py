"""A hypothesis state machine: the stock service behaves like a dictionary of counters."""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from stock_saas.errors import Conflict, InsufficientStock, ValidationFailed
from stock_saas.services import catalog, stock
from stock_saas.services.core import Context
from stock_saas.services.stock import list_stock

ITEMS = st.sampled_from(["Gloves", "Masks"])
DEPARTMENTS = st.sampled_from(["General", "Lab"])
QUANTITIES = st.integers(min_value=-2, max_value=30)


def make_machine(ctx: Context) -> type[RuleBasedStateMachine]:
    class StockMachine(RuleBasedStateMachine):
        """The model: {(item, department): quantity} and {(item, department): threshold}."""

        def __init__(self) -> None:
            super().__init__()
            self.model: dict[tuple[str, str], int] = {}
            self.thresholds: dict[tuple[str, str], int] = {}
            self.items: set[str] = set()

        @rule(item=ITEMS, department=DEPARTMENTS, quantity=QUANTITIES)
        def add(self, item: str, department: str, quantity: int) -> None:
            key = (item, department)
            if quantity < 0 or (quantity == 0 and key in self.model):
                # 0 onto an existing level is 409 (the stored level decides), < 0 is 422.
                with pytest.raises(ValidationFailed if quantity < 0 else Conflict):
                    stock.add_stock(ctx=ctx, name=item, quantity=quantity, department=department)
                return
            stock.add_stock(ctx=ctx, name=item, quantity=quantity, department=department)
            self.model[key] = self.model.get(key, 0) + quantity
            self.thresholds.setdefault(key, 0)
            self.items.add(item)

        @rule(item=ITEMS, department=DEPARTMENTS, quantity=QUANTITIES)
        def issue(self, item: str, department: str, quantity: int) -> None:
            if item not in self.items:
                return
            have = self.model.get((item, department))
            if quantity <= 0:
                expected: type[Exception] | None = ValidationFailed
            elif have is None or have < quantity:
                expected = InsufficientStock
            else:
                expected = None
            if expected is not None:
                with pytest.raises(expected):
                    stock.issue_stock(ctx=ctx, item=item, quantity=quantity, department=department)
                return
            stock.issue_stock(ctx=ctx, item=item, quantity=quantity, department=department)
            self.model[(item, department)] -= quantity

        @rule(item=ITEMS, department=DEPARTMENTS, quantity=st.integers(1, 30))
        def give_back(self, item: str, department: str, quantity: int) -> None:
            if item not in self.items:
                return
            stock.return_stock(ctx=ctx, item=item, quantity=quantity, department=department)
            self.model[(item, department)] = self.model.get((item, department), 0) + quantity
            self.thresholds.setdefault((item, department), 0)

        @rule(item=ITEMS, source=DEPARTMENTS, destination=DEPARTMENTS, quantity=st.integers(1, 30))
        def transfer(self, item: str, source: str, destination: str, quantity: int) -> None:
            if item not in self.items or source == destination:
                return
            have = self.model.get((item, source))
            if have is None or have < quantity:
                with pytest.raises(InsufficientStock):
                    stock.transfer_stock(
                        ctx=ctx,
                        item=item,
                        quantity=quantity,
                        from_department=source,
                        to_department=destination,
                    )
                return
            stock.transfer_stock(
                ctx=ctx,
                item=item,
                quantity=quantity,
                from_department=source,
                to_department=destination,
            )
            self.model[(item, source)] -= quantity
            self.model[(item, destination)] = self.model.get((item, destination), 0) + quantity
            self.thresholds.setdefault((item, destination), 0)

        @rule(item=ITEMS, department=DEPARTMENTS, threshold=st.integers(0, 40))
        def set_threshold(self, item: str, department: str, threshold: int) -> None:
            if item not in self.items:
                return
            stock.set_threshold(ctx=ctx, item=item, threshold=threshold, department=department)
            self.model.setdefault((item, department), 0)
            self.thresholds[(item, department)] = threshold

        @invariant()
        def matches_model(self) -> None:
            rows = list_stock(ctx=ctx, limit=500).items
            assert {(r.name, r.department): r.quantity for r in rows} == self.model
            assert {(r.name, r.department): r.low for r in rows} == {
                k: q < self.thresholds[k] for k, q in self.model.items()
            }

    return StockMachine


def test_stock_service_matches_an_in_memory_model(manager_a: Context):
    catalog.create_department(ctx=manager_a, name="Lab")
    machine = make_machine(manager_a)
    # Every example shares one database, so each run starts from what the last left;
    # a fresh tenant per example would be cleaner but costs a user per example.
    machine.TestCase.settings = settings(max_examples=15, stateful_step_count=25, deadline=None)

    class Fresh(machine):  # type: ignore[valid-type,misc]
        def __init__(self) -> None:
            super().__init__()
            for row in list_stock(ctx=manager_a, limit=500).items:
                self.model[(row.name, row.department)] = row.quantity
                self.thresholds[(row.name, row.department)] = row.threshold
                self.items.add(row.name)

    Fresh.TestCase().runTest()
