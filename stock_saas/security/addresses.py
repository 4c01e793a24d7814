"""Which addresses a tenant's URL may reach: resolution once, every address checked.

:func:`checked_addresses` resolves a host once and refuses it unless **every** address it
resolves to is public (:func:`is_public_address`: loopback, private, link-local, CGNAT,
multicast, unspecified, reserved and documentation ranges are refused, and so are
IPv4-mapped, IPv4-compatible, 6to4 and NAT64 spellings of them). The connecting side lives
in :mod:`stock_saas.security.outbound`.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable

import httpcore

__all__ = [
    "COULD_NOT_CONNECT",
    "REFUSED",
    "AddressRefused",
    "Resolver",
    "checked_addresses",
    "is_public_address",
    "numeric_addresses",
    "system_resolver",
]

# What a tenant is told about a failed delivery: never the low-level error, which would
# tell a port scanner "reset" from "refused" from "TLS error".
REFUSED = "refused: not a public address"
COULD_NOT_CONNECT = "could not connect"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Iterable[str]]

_NOT_PUBLIC_V4 = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host on Linux
        "10.0.0.0/8",
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, cloud metadata services
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
    )
)
_NOT_PUBLIC_V6 = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments: Teredo, ORCHID, benchmarking ...
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)
_GLOBAL_UNICAST_V6 = ipaddress.IPv6Network("2000::/3")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


class AddressRefused(Exception):
    """The host resolves to (or is) an address that is not public; nothing was sent."""

    def __init__(self, host: str, address: str | None = None) -> None:
        super().__init__(REFUSED)
        self.host = host
        self.address = address


def _embedded_v4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 spelling stands for (mapped, 6to4, NAT64, compatible)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: Address, *, allow_loopback: bool = False) -> bool:
    """True if ``address`` is a public unicast address (or, with ``allow_loopback``, a
    loopback one: development and tests)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return False
        embedded = _embedded_v4(address)
        if embedded is not None:
            # Only the mapped form can reach this host's own loopback; never allow the
            # others (6to4, NAT64 and compatible spellings of 127/8 are an attack).
            loopback_ok = allow_loopback and address.ipv4_mapped is not None
            return is_public_address(embedded, allow_loopback=loopback_ok)
        if address.is_loopback:
            return allow_loopback
        return (
            address in _GLOBAL_UNICAST_V6
            and not any(address in network for network in _NOT_PUBLIC_V6)
            and not (address.is_private or address.is_reserved or address.is_multicast)
        )
    if address.is_loopback:
        return allow_loopback
    return (
        address.is_global
        and not any(address in network for network in _NOT_PUBLIC_V4)
        and not (address.is_private or address.is_reserved or address.is_multicast)
    )


def _parse(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host`` (A and AAAA, hosts file)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def numeric_addresses(host: str) -> list[str] | None:
    """The addresses ``host`` spells if it is a numeric address in any form the system
    accepts (``127.1``, ``0x7f000001``, ``2130706433``, ``[::1]`` ...), without DNS; None
    for a name."""
    host = host.strip("[]")
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError, ValueError):
        return None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def checked_addresses(
    host: str, port: int, *, resolver: Resolver = system_resolver, allow_loopback: bool = False
) -> list[str]:
    """The addresses of ``host``, once resolved, if every one is public; AddressRefused if
    any is not; httpcore.ConnectError if the name does not resolve."""
    host = host.strip("[]")
    if not host:
        raise AddressRefused(host)
    try:
        addresses = list(dict.fromkeys(resolver(host, port)))
    except (OSError, UnicodeError, ValueError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host!r}") from exc
    if not addresses:
        raise httpcore.ConnectError(f"{host!r} has no address")
    for text in addresses:
        address = _parse(text)
        if address is None or not is_public_address(address, allow_loopback=allow_loopback):
            raise AddressRefused(host, text)
    return addresses
