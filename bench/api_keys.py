"""What an API key costs a request: the same GET with a token and with a key, against the
key's lookup in raw SQL, in one run.

    .venv/bin/python -m bench.api_keys [--keys 1000] [--requests 1000]

Seeds the local PostgreSQL database stock_saas_bench_keys (re-created) with one tenant,
its admin and ``--keys`` API keys, then calls GET /api/departments in-process (FastAPI
TestClient: routing, credential check, service, serialisation; no network), alternating
a sign-in token and one of the keys, ``--requests`` times each. The floor is the key's
lookup as hand-written SQL over one psycopg connection (prefix index, creator joined).
The key's per-request rate limit is counted in this process (no REDIS_URL).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import psycopg
from fastapi.testclient import TestClient

from bench._pg import SERVER, drop_database, fresh_database
from bench.api_issue import percentile
from stock_saas.api.app import create_app
from stock_saas.security.tokens import issue_token
from stock_saas.services import keys
from stock_saas.services.core import Context, Role, Source
from stock_saas.services.people import create_user, ensure_tenant

DATABASE = "stock_saas_bench_keys"
RAW_LOOKUP = """
SELECT k.id, k.tenant_id, k.name, k.key_hash, k.role, k.read_only, k.expires_at,
       k.revoked_at, k.last_used_at, u.is_active, u.role, u.tenant_id
  FROM api_keys k LEFT OUTER JOIN users u ON u.id = k.created_by
 WHERE k.prefix = %(prefix)s
"""


def _timed(call: object, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    os.environ.pop("REDIS_URL", None)
    os.environ["LOG_LEVEL"] = "WARNING"  # no access line per request
    os.environ["API_KEY_RATE_LIMIT"] = str(10 * args.requests)
    fresh_database(DATABASE)
    tenant = ensure_tenant("Bench keys")
    assert tenant.id is not None
    operator = Context(tenant_id=tenant.id, role=Role.ADMIN, source=Source.CLI)
    admin_user = create_user(
        ctx=operator, username="bench-admin", password="bench-password-1", role=Role.ADMIN
    )
    admin = Context(tenant_id=tenant.id, role=Role.ADMIN, source=Source.API, user_id=admin_user.id)
    made = [keys.create_key(ctx=admin, name=f"key {n}") for n in range(args.keys)]
    key = made[len(made) // 2]
    token = issue_token(user_id=admin_user.id, tenant_id=tenant.id, role="admin")
    params = {"tenant_id": tenant.id}
    with TestClient(create_app()) as client:

        def get(credential: str) -> object:
            def call() -> None:
                response = client.get(
                    "/api/departments",
                    params=params,
                    headers={"Authorization": f"Bearer {credential}"},
                )
                assert response.status_code == 200, response.text

            return call

        _timed(get(token), 50)  # warm up both paths
        _timed(get(key.key), 50)
        by_token, by_key = [], []
        for _ in range(args.requests // 50):
            by_token += _timed(get(token), 50)
            by_key += _timed(get(key.key), 50)
    with psycopg.connect(f"{SERVER.replace('+psycopg', '')}/{DATABASE}") as raw:
        lookup = _timed(lambda: raw.execute(RAW_LOOKUP, {"prefix": key.prefix}).fetchone(), 1000)
    drop_database(DATABASE)
    print(f"{args.keys} keys in the tenant, {len(by_key)} requests per credential")
    print(f"{'GET /api/departments':32} {'p50 ms':>8} {'p95 ms':>8}")
    for name, samples in (("with a sign-in token", by_token), ("with an API key", by_key)):
        print(f"{name:32} {statistics.median(samples):8.2f} {percentile(samples, 0.95):8.2f}")
    print(
        f"{'raw SQL key lookup (psycopg)':32} {statistics.median(lookup):8.2f} "
        f"{percentile(lookup, 0.95):8.2f}"
    )
    ratio = statistics.median(by_key) / statistics.median(by_token)
    print(f"key / token p50: {ratio:.2f}x")


if __name__ == "__main__":
    main()
