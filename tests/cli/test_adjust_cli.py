"""``inventory.py adjust``: counted or signed, with a reason; refusals exit 1 or 2."""

from __future__ import annotations

import pytest

from stock_saas import cli
from stock_saas.services import audit, stock
from stock_saas.services.core import Context
from stock_saas.services.stock import AdjustReason
from tests.api.conftest import cheap_hashing  # noqa: F401 (fixture)

TENANT = ["--tenant", "Acme Hospital"]


@pytest.mark.usefixtures("cheap_hashing")
def test_adjust_by_and_to_counted(
    manager_a: Context, admin_a: Context, capsys: pytest.CaptureFixture[str]
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=10, threshold=8)
    code = cli.main(
        ["adjust", "Gloves", "--by", "-2", "--reason", "damaged", "--note", "wet", *TENANT]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "Adjusted Gloves (General) by -2 (damaged): 8 on hand (threshold 8)." in out.out
    assert cli.main(["adjust", "Gloves", "--counted", "5", "--reason", "counted", *TENANT]) == 0
    out = capsys.readouterr()
    assert "by -3 (counted): 5 on hand" in out.out
    assert "WARNING: Gloves in General is below its threshold (5 < 8)" in out.err
    entries = audit.latest(ctx=admin_a, limit=2).entries
    assert [(e.reason, e.delta, e.note, e.source.value) for e in entries] == [
        (AdjustReason.COUNTED, -3, "", "cli"),
        (AdjustReason.DAMAGED, -2, "wet", "cli"),
    ]


@pytest.mark.usefixtures("cheap_hashing")
def test_adjust_below_zero_exits_1_with_one_line(
    manager_a: Context, capsys: pytest.CaptureFixture[str]
):
    stock.add_stock(ctx=manager_a, name="Gloves", quantity=3)
    assert cli.main(["adjust", "Gloves", "--by=-9", "--reason", "lost", *TENANT]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: Only 3 of 'Gloves' in General; cannot take 9 (lost)."
    ]
    assert stock.list_stock(ctx=manager_a).items[0].quantity == 3


@pytest.mark.parametrize(
    "args",
    [
        ["--counted", "3", "--by", "-1", "--reason", "counted"],  # both
        ["--by", "-1"],  # no reason
        ["--by", "-1", "--reason", "stolen"],
        ["--by", "0", "--reason", "correction"],
        ["--counted", "-4", "--reason", "counted"],
    ],
)
def test_adjust_usage_errors_exit_2_before_touching_the_database(
    args: list[str], capsys: pytest.CaptureFixture[str]
):
    with pytest.raises(SystemExit) as exited:
        cli.main(["adjust", "Gloves", *args, *TENANT])
    assert exited.value.code == 2
    assert "usage: inventory.py adjust" in capsys.readouterr().err
