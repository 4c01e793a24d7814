"""Sign-in and sign-up limits: per address, per (username, address), and a slow-down, never
a block, per username, so strangers cannot lock a person out."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlmodel import select

from stock_saas import db
from stock_saas.config import get_settings
from stock_saas.errors import Conflict, RateLimited, Unauthorized
from stock_saas.models import LoginAttempt
from stock_saas.services import people
from stock_saas.services.core import Context, Role
from stock_saas.services.people import address_key
from tests.api.conftest import cheap_hashing  # noqa: F401 (a fixture, used below)
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.usefixtures("cheap_hashing")
Limits = Callable[..., None]
WRONG = "not-the-password"


@pytest.fixture
def limits(database: str, monkeypatch: pytest.MonkeyPatch) -> Limits:
    """``limits(login_max_pair_failures=3, ...)``: small limits for this test."""

    def apply(**values: int) -> None:
        for name, value in values.items():
            monkeypatch.setattr(get_settings(), name, value)

    return apply


def _fail(username: str, address: str) -> None:
    with pytest.raises(Unauthorized):
        people.sign_in(username=username, password=WRONG, client_ip=address)


def test_failures_for_one_username_from_one_address_stop_that_pair_only(
    user_a: Context, limits: Limits
):
    limits(login_max_pair_failures=3)
    for _ in range(3):
        _fail(user_a.actor_name, "192.0.2.1")

    with pytest.raises(RateLimited):
        people.sign_in(username=user_a.actor_name, password=TEST_PASSWORD, client_ip="192.0.2.1")
    signed = people.sign_in(
        username=user_a.actor_name, password=TEST_PASSWORD, client_ip="192.0.2.2"
    )
    assert signed.user.id == user_a.user_id


def test_many_addresses_only_slow_down_the_addresses_that_failed(user_a: Context, limits: Limits):
    limits(login_slowdown_after=3, login_max_delay_seconds=30)
    for n in range(1, 4):
        _fail(user_a.actor_name, f"198.51.100.{n}")

    with pytest.raises(RateLimited) as slowed:
        people.sign_in(username=user_a.actor_name, password=WRONG, client_ip="198.51.100.1")
    assert 1 <= slowed.value.retry_after <= 30
    # A fresh address is never held up by others' failures: the owner gets in...
    owner = people.sign_in(
        username=user_a.actor_name, password=TEST_PASSWORD, client_ip="203.0.113.9"
    )
    assert owner.user.id == user_a.user_id
    # ...and a wrong password from a fresh address is an ordinary 401, not a 429.
    _fail(user_a.actor_name, "203.0.113.10")


def test_a_success_forgives_that_addresss_earlier_failures(user_a: Context, limits: Limits):
    limits(login_max_pair_failures=3)
    _fail(user_a.actor_name, "192.0.2.7")
    _fail(user_a.actor_name, "192.0.2.7")
    people.sign_in(username=user_a.actor_name, password=TEST_PASSWORD, client_ip="192.0.2.7")

    _fail(user_a.actor_name, "192.0.2.7")
    _fail(user_a.actor_name, "192.0.2.7")  # two more: still under 3 since the success

    people.sign_in(username=user_a.actor_name, password=TEST_PASSWORD, client_ip="192.0.2.7")


def test_ipv6_clients_count_per_64(user_a: Context, limits: Limits):
    limits(login_max_failures=2)
    _fail("someone", "2001:db8:5:6::1")
    _fail("someone-else", "2001:db8:5:6:ffff::2")

    with pytest.raises(RateLimited):
        people.sign_in(username="third", password=WRONG, client_ip="2001:db8:5:6::abcd")
    _fail("third", "2001:db8:5:7::1")  # another /64


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
        ("testclient", "testclient"),
        (None, None),
    ],
)
def test_addresses_are_counted_under_one_key(address: str | None, key: str | None):
    assert address_key(address) == key


def _sign_up(name: str, address: str, **extra: object) -> object:
    return people.register(
        username=name,
        password=TEST_PASSWORD,
        client_ip=address,
        **extra,  # type: ignore[arg-type]
    )


def test_sign_ups_from_one_address_are_limited(database: str, limits: Limits):
    limits(signup_max_per_address=2)
    _sign_up("first", "192.0.2.50", organisation="One")
    _sign_up("second", "192.0.2.50", organisation="Two")

    with pytest.raises(RateLimited):
        _sign_up("third", "192.0.2.50", organisation="Three")
    assert _sign_up("fourth", "192.0.2.51", organisation="Four") is not None
    with pytest.raises(Unauthorized):  # the refused sign-up created nobody
        people.sign_in(username="third", password=TEST_PASSWORD)


def test_username_taken_answers_are_limited_too(user_a: Context, limits: Limits):
    limits(signup_max_per_address=2)
    for _ in range(2):
        with pytest.raises(Conflict):
            _sign_up(user_a.actor_name, "192.0.2.60", organisation="Probe")

    with pytest.raises(RateLimited):
        _sign_up(user_a.actor_name, "192.0.2.60", organisation="Probe")


def test_joining_with_an_invite_is_not_counted(admin_a: Context, limits: Limits):
    limits(signup_max_per_address=1)
    for name in ("joiner-one", "joiner-two"):
        code = people.create_invite(ctx=admin_a, role=Role.USER).code
        _sign_up(name, "192.0.2.70", invite_code=code)

    _sign_up("founder", "192.0.2.70", organisation="Founded")
    with pytest.raises(RateLimited):
        _sign_up("founder-two", "192.0.2.70", organisation="Founded too")


def test_a_workers_warm_up_counts_nothing_and_changes_nothing(user_a: Context):
    """people.warm_up runs the sign-in's statements with nothing to find: no attempt is
    recorded, no row changes, and the next sign-in is an ordinary one."""

    def attempts() -> list[tuple[str, int]]:
        with db.read_session() as session:
            return sorted(session.exec(select(LoginAttempt.key, LoginAttempt.id)).all())

    _fail(user_a.actor_name, "203.0.113.9")
    before = attempts()
    people.warm_up()
    assert attempts() == before != []
    assert people.sign_in(username=user_a.actor_name, password=TEST_PASSWORD).user.id == (
        user_a.user_id
    )


def test_the_throttles_writes_alone_skip_waiting_for_the_disk(database: str):
    """On PostgreSQL ``commit_without_waiting_for_disk`` turns synchronous_commit off for
    its own transaction only; the next transaction waits for the disk again."""

    def setting(relaxed: bool) -> str:
        with db.write_session() as session:
            if relaxed:
                db.commit_without_waiting_for_disk(session)
            return str(session.execute(text("SHOW synchronous_commit")).scalar_one())

    if database.startswith("sqlite"):
        pytest.skip("PostgreSQL's setting (on SQLite the call does nothing)")
    assert (setting(True), setting(False)) == ("off", "on")
