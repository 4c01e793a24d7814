#!/usr/bin/env python3
"""Rotate the token signing key in the JSON key store (SECRET_STORE_FILE).

    python scripts/rotate_secret.py            # new current key; the old one keeps verifying
    python scripts/rotate_secret.py --list     # key ids, which is current, when retired
    python scripts/rotate_secret.py --drop KID # stop accepting tokens signed with KID now

Retired keys are kept for --keep-seconds (default: the token lifetime, TOKEN_TTL_SECONDS),
so nobody is logged out by a rotation; each run drops retired keys older than that. Every
worker re-reads the store when it changes. With SECRET_KEY set there is no store: rotate
by changing SECRET_KEY (which signs everyone out).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from stock_saas.config import get_settings
from stock_saas.security.secret_store import create_store, drop_key, rotate


def _describe(path_text: str) -> str:
    with open(path_text) as handle:
        data = json.load(handle)
    lines = []
    for key in data["keys"]:
        state = "current" if key["kid"] == data["current"] else "retired"
        retired = key.get("retired_at")
        age = f", retired {int(time.time() - float(retired))} s ago" if retired else ""
        lines.append(f"{key['kid']}  {state}{age}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--keep-seconds",
        type=int,
        default=settings.token_ttl_seconds,
        help="keep retired keys this long (default: token lifetime, %(default)s s)",
    )
    parser.add_argument("--drop", metavar="KID", help="remove one retired key at once")
    parser.add_argument("--list", action="store_true", help="show the keys and exit")
    args = parser.parse_args(argv)
    if settings.secret_key:
        print("SECRET_KEY is set, so there is no key store to rotate.", file=sys.stderr)
        return 1
    path = settings.secret_store_file.resolve()
    if args.list:
        create_store(path)
        print(_describe(str(path)))
        return 0
    if args.drop:
        try:
            drop_key(path, args.drop)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"dropped {args.drop}; tokens signed with it are no longer accepted")
        return 0
    if args.keep_seconds < 0:
        parser.error("--keep-seconds must not be negative")
    kid = rotate(path, keep_seconds=args.keep_seconds)
    print(f"new current key {kid} in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
