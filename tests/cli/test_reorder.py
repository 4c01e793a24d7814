"""``reorder`` as a user types it, on the hand-computed store (tests.support.history)."""

from __future__ import annotations

import json

import pytest

from stock_saas.services.core import Source
from stock_saas.services.people import DEFAULT_TENANT, ensure_tenant, operator_context
from tests.cli.test_cli import Cli
from tests.cli.test_cli import cli as cli  # the fixture
from tests.support.history import stock_the_store


@pytest.fixture
def store(cli: Cli) -> Cli:
    tenant = ensure_tenant(DEFAULT_TENANT)
    stock_the_store(operator_context(tenant, source=Source.CLI, actor_name="test"))
    return cli


def test_reorder_prints_the_list_soonest_stockout_first(store: Cli):
    result = store("reorder")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "4 to reorder, soonest stock-out first (the pace of the last 30 days; orders last 30 days):"
    )
    assert lines[1].split() == [
        "ITEM", "DEPARTMENT", "QTY", "THRESHOLD", "PER", "DAY", "DAYS", "LEFT", "RUNS", "OUT",
        "ORDER",
    ]  # fmt: skip
    assert [line.split()[0] for line in lines[2:]] == ["Tape", "Swabs", "Gloves", "Bandages"]
    assert lines[3].split()[:4] == ["Swabs", "Ward", "20", "10"]
    assert lines[3].split()[-1] == "80"
    assert lines[5].split()[-2:] == ["5", "LOW"]


def test_reorder_json_has_the_api_shape(store: Cli):
    report = json.loads(store("reorder", "--json", "--days", "7", "--cover", "30").stdout)
    assert (report["days"], report["cover_days"], report["total"]) == (7, 30, 4)
    assert [(r["name"], r["department"], r["suggested_order"]) for r in report["rows"]] == [
        ("Tape", "Lab", 129),  # ceil(30/7 * 30 - 0)
        ("Swabs", "Ward", 162),  # ceil(10 + 40/7 * 30 - 20)
        ("Masks", "Ward", 39),  # ceil(10 + 30/7 * 30 - 100)
        ("Bandages", "Ward", 5),
    ]


def test_reorder_in_one_department_and_with_nothing_to_do(store: Cli):
    lab = store("reorder", "--department", "Lab", "--cover", "0")
    assert lab.returncode == 0
    assert lab.stdout.startswith("Nothing to reorder: no stock level is low or runs low")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--days", "0"), 2),
        (("--days", "366"), 2),
        (("--cover", "-1"), 2),
        (("--days", "ten"), 2),
        (("--department", "Nowhere"), 1),
    ],
)
def test_bad_arguments_are_one_clear_line(cli: Cli, args: tuple[str, ...], code: int):
    result = cli("reorder", *args)
    assert result.returncode == code
    assert result.stdout == ""
    if code == 1:
        assert result.stderr.strip().splitlines() == ["error: No department 'Nowhere'."]
