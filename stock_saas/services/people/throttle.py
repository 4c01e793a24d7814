"""Rate limits of the public doors: sign-in failures and sign-ups, counted in the database
(table ``login_attempts``) so every worker and process shares them.

Sign-in (window LOGIN_WINDOW_SECONDS, default an hour):

- **per client address**, over all usernames: LOGIN_MAX_FAILURES (100) failures, then 429;
- **per (username, address)**: LOGIN_MAX_PAIR_FAILURES (10) failures, then 429 for that
  pair only;
- **per username** nothing is ever blocked, so strangers cannot lock a person out: after
  LOGIN_SLOWDOWN_AFTER (10) failures for the username from anywhere, an address that has
  itself failed for it waits 2, 4, 8 ... seconds (at most LOGIN_MAX_DELAY_SECONDS) after
  the username's last failure; sooner is a 429 with ``Retry-After``. An address with no
  failure for the username is never slowed down by other addresses' failures, so the
  owner signing in from their own device gets in with the right password.

Sign-up: SIGNUP_MAX_PER_ADDRESS (20) attempts per address in SIGNUP_WINDOW_SECONDS; a
successful join with an invite does not count (it spends a single-use code).

Addresses: IPv6 clients are counted per /64 (one host or home usually holds a whole
/64). A caller without an address (``None``: the CLI, scripts, tests) skips the
per-address counts; the API and the dashboard always pass the client's address.
Unknown usernames are counted like real ones, so the answers reveal nothing.

Durability: on PostgreSQL a sign-in's two writes here commit without waiting for the disk
(``db.commit_without_waiting_for_disk``): they were two WAL flushes on every sign-in's path
(5-50 ms inside the app). A crash of the database can forget the last few hundred
milliseconds of counts, which gives a guesser at most that many more tries once, after
crashing the server; every other guarantee (atomic counts, shared by every worker) holds.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlalchemy import select as sa_select
from sqlmodel import col

from stock_saas.config import get_settings
from stock_saas.db import commit_without_waiting_for_disk, read_session, write_session
from stock_saas.errors import RateLimited
from stock_saas.models import LoginAttempt
from stock_saas.services.core import as_utc, utcnow

__all__ = [
    "Attempt",
    "address_key",
    "begin_sign_in",
    "begin_sign_up",
    "forget_attempt",
    "sign_in_succeeded",
    "warm_up",
]

KEY_MAX = 200
MAX_DELAY_DOUBLINGS = 16


def address_key(client_ip: str | None) -> str | None:
    """The address an attempt is counted under: IPv6 by its /64, IPv4 and anything else
    as given (bounded); None when there is no address."""
    if not client_ip:
        return None
    try:
        address = ipaddress.ip_address(client_ip.strip())
    except ValueError:
        return client_ip.strip()[:80]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _username_key(username: str) -> str:
    return username.strip().lower()[:150]


@dataclass(frozen=True, slots=True)
class Attempt:
    """The rows one attempt added (removed again when it turns out not to count)."""

    ids: tuple[int, ...]
    pair_key: str | None = None


def _counts(keys: list[str], window: int) -> dict[str, tuple[int, datetime]]:
    since = utcnow() - timedelta(seconds=window)
    with read_session() as session:
        rows = session.execute(
            sa_select(col(LoginAttempt.key), func.count(), func.max(col(LoginAttempt.created_at)))
            .where(col(LoginAttempt.key).in_(keys), col(LoginAttempt.created_at) >= since)
            .group_by(col(LoginAttempt.key))
        ).all()
    return {key: (int(count), as_utc(last)) for key, count, last in rows}


def _record(keys: list[str], window: int) -> tuple[int, ...]:
    stale = utcnow() - timedelta(seconds=window)
    with write_session() as session:
        commit_without_waiting_for_disk(session)  # see the module's note on durability
        session.execute(
            delete(LoginAttempt).where(
                col(LoginAttempt.key).in_(keys), col(LoginAttempt.created_at) < stale
            )
        )
        rows = [LoginAttempt(key=key[:KEY_MAX]) for key in keys]
        session.add_all(rows)
        session.flush()
        return tuple(row.id for row in rows if row.id is not None)


def _refuse(retry_after: float, detail: str) -> RateLimited:
    return RateLimited(detail, retry_after=max(1, math.ceil(retry_after)))


def begin_sign_in(username: str, client_ip: str | None) -> Attempt:
    """Refuse (RateLimited) a sign-in the limits forbid; else count it as a failure until
    :func:`sign_in_succeeded` says otherwise (counting first keeps parallel guesses from
    all passing the check at once)."""
    settings = get_settings()
    window = settings.login_window_seconds
    address = address_key(client_ip)
    user_key = f"user:{_username_key(username)}"
    pair_key = f"pair:{_username_key(username)}|{address or '-'}"
    keys = [user_key, pair_key] + ([f"ip:{address}"] if address else [])
    counts = _counts(keys, window)
    ip_failures = counts.get(keys[-1], (0, utcnow()))[0] if address else 0
    pair_failures = counts.get(pair_key, (0, utcnow()))[0]
    if ip_failures >= settings.login_max_failures or (
        pair_failures >= settings.login_max_pair_failures
    ):
        raise _refuse(window, "Too many failed sign-ins from your address; try again later.")
    user_failures, last_failure = counts.get(user_key, (0, utcnow()))
    if pair_failures > 0 and user_failures >= settings.login_slowdown_after:
        doublings = min(user_failures - settings.login_slowdown_after + 1, MAX_DELAY_DOUBLINGS)
        delay = min(2.0**doublings, float(settings.login_max_delay_seconds))
        wait = (last_failure + timedelta(seconds=delay) - utcnow()).total_seconds()
        if wait > 0:
            raise _refuse(
                wait, f"Too many failed sign-ins; try again in {max(1, math.ceil(wait))} s."
            )
    return Attempt(_record(keys, window), pair_key)


def sign_in_succeeded(attempt: Attempt) -> None:
    """The attempt was right: it is no failure, and this address's earlier failures for
    the username are forgiven (the username's own count stays: it only ever slows down
    addresses that failed)."""
    with write_session() as session:
        commit_without_waiting_for_disk(session)
        session.execute(delete(LoginAttempt).where(col(LoginAttempt.id).in_(attempt.ids)))
        if attempt.pair_key:
            session.execute(delete(LoginAttempt).where(col(LoginAttempt.key) == attempt.pair_key))


def warm_up() -> None:
    """Count and forget nothing once: a new worker's first sign-in then finds both
    statements compiled and both pools connected (reads no row, changes none)."""
    _counts([""], 1)
    sign_in_succeeded(Attempt(()))


def begin_sign_up(client_ip: str | None) -> Attempt:
    """Refuse (RateLimited) a sign-up past SIGNUP_MAX_PER_ADDRESS; else count it."""
    address = address_key(client_ip)
    if address is None:
        return Attempt(())
    settings = get_settings()
    window = settings.signup_window_seconds
    key = f"signup:{address}"
    count = _counts([key], window).get(key, (0, utcnow()))[0]
    if count >= settings.signup_max_per_address:
        raise _refuse(window, "Too many sign-ups from your address; try again later.")
    return Attempt(_record([key], window))


def forget_attempt(attempt: Attempt) -> None:
    """Do not count this attempt after all (a successful join with an invite)."""
    if attempt.ids:
        with write_session() as session:
            session.execute(delete(LoginAttempt).where(col(LoginAttempt.id).in_(attempt.ids)))
