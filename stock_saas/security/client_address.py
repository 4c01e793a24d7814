"""Who a request came from: the peer address, or, when the peer is a proxy named in
FORWARDED_ALLOW_IPS, the address that proxy puts in ``X-Forwarded-For``.

The one rule behind every rate limit of the public doors, in the API (``api/deps.py``)
and the dashboard's sign-in (``state/signin.py``), whatever server runs them (granian
under Reflex does not read proxy headers; uvicorn run alone reads FORWARDED_ALLOW_IPS
itself and agrees). ``X-Forwarded-For`` is read from the right, skipping trusted proxies,
as proxies append the address they saw: what a client writes on the left is never
believed. Nothing is trusted by default.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from stock_saas.config import get_settings

__all__ = ["client_address"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _trusted(setting: str) -> tuple[bool, tuple[Network, ...]]:
    """(any peer trusted, trusted networks) of a FORWARDED_ALLOW_IPS value."""
    entries = [e.strip() for e in setting.split(",") if e.strip()]
    networks = []
    for entry in entries:
        if entry == "*":
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue  # a host name or typo: trusted by nobody (config.py documents the form)
    return "*" in entries, tuple(networks)


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _is_trusted(address: str, setting: str) -> bool:
    any_peer, networks = _trusted(setting)
    parsed = _parse(address)
    if parsed is None:
        return False
    return any_peer or any(parsed in network for network in networks)


def client_address(
    peer: str | None, forwarded_for: str | None, *, trusted: str | None = None
) -> str | None:
    """The client's address for a request from ``peer`` carrying ``X-Forwarded-For:
    forwarded_for``; ``trusted`` defaults to FORWARDED_ALLOW_IPS."""
    setting = get_settings().forwarded_allow_ips if trusted is None else trusted
    if not peer or not forwarded_for or not _is_trusted(peer, setting):
        return peer or None
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if _parse(hop) is None:
            return peer  # a proxy we trust wrote no address: count the proxy
        if not _is_trusted(hop, setting):
            return hop
    return hops[0] if hops else peer
