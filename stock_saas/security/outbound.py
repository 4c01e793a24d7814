"""Outbound HTTP that only ever reaches public addresses (webhook deliveries, and any later
sender that fetches a URL a tenant chose).

A URL's host is resolved once per connection, **every** address it resolves to is checked
(:func:`is_public_address`: loopback, private, link-local, CGNAT, multicast, unspecified,
reserved and documentation ranges are refused, and so are IPv4-mapped, IPv4-compatible,
6to4 and NAT64 spellings of them), and the connection goes to a checked address: never a
second resolution between check and connect (DNS rebinding). The URL keeps its host name,
so TLS sends it as SNI, the certificate is verified against it and ``Host`` names it.

What is public, and the one resolution per connection, live in
:mod:`stock_saas.security.addresses` (re-exported here). The reusable piece is
:class:`PublicAddressBackend` (and :class:`AsyncPublicAddressBackend`),
an httpcore network backend: :class:`PublicAddressTransport` puts it under an httpx
transport with a keep-alive pool, so a pooled client (one per worker, many deliveries)
gets the same guarantee on every new connection. Use :func:`public_client` (no proxies
from the environment, no redirects) or build ``httpx.Client(transport=..., trust_env=False,
follow_redirects=False)`` yourself: a proxy would resolve names itself, a redirect could
point anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import anyio.to_thread
import httpcore
import httpx

from stock_saas.security.addresses import (
    COULD_NOT_CONNECT,
    REFUSED,
    AddressRefused,
    Resolver,
    checked_addresses,
    is_public_address,
    numeric_addresses,
    system_resolver,
)

__all__ = [
    "COULD_NOT_CONNECT",
    "REFUSED",
    "AddressRefused",
    "AsyncPublicAddressBackend",
    "AsyncPublicAddressTransport",
    "PublicAddressBackend",
    "PublicAddressTransport",
    "Resolver",
    "checked_addresses",
    "is_public_address",
    "numeric_addresses",
    "public_client",
    "system_resolver",
]


class PublicAddressBackend(httpcore.NetworkBackend):
    """An httpcore network backend that connects only to checked public addresses."""

    def __init__(self, *, resolver: Resolver = system_resolver, allow_loopback: bool = False):
        self.resolver = resolver
        self.allow_loopback = allow_loopback
        self._tcp = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = checked_addresses(
            host, port, resolver=self.resolver, allow_loopback=self.allow_loopback
        )
        failure: Exception | None = None
        for address in addresses:  # each a numeric address: connecting resolves nothing
            try:
                return self._tcp.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        raise AddressRefused("unix socket")

    def sleep(self, seconds: float) -> None:
        self._tcp.sleep(seconds)


class AsyncPublicAddressBackend(httpcore.AsyncNetworkBackend):
    """The same for async clients (the resolver runs in a worker thread)."""

    def __init__(self, *, resolver: Resolver = system_resolver, allow_loopback: bool = False):
        self.resolver = resolver
        self.allow_loopback = allow_loopback
        self._tcp = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await anyio.to_thread.run_sync(
            lambda: checked_addresses(
                host, port, resolver=self.resolver, allow_loopback=self.allow_loopback
            )
        )
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._tcp.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("unix socket")

    async def sleep(self, seconds: float) -> None:
        await self._tcp.sleep(seconds)


def _check_scheme(request: httpx.Request, allow_loopback: bool) -> None:
    # Plain http only for development (loopback allowed): anything public gets https.
    if request.url.scheme != "https" and not (request.url.scheme == "http" and allow_loopback):
        raise httpx.UnsupportedProtocol(f"{request.url.scheme!r} is not allowed", request=request)


def _pool_options(verify: Any, limits: httpx.Limits, http2: bool) -> dict[str, Any]:
    """What both transports' httpcore pools are built with, their network backend aside."""
    return {
        "ssl_context": httpx.create_ssl_context(verify=verify, trust_env=False),
        "max_connections": limits.max_connections,
        "max_keepalive_connections": limits.max_keepalive_connections,
        "keepalive_expiry": limits.keepalive_expiry,
        "http1": True,
        "http2": http2,
    }


class PublicAddressTransport(httpx.HTTPTransport):
    """httpx transport over :class:`PublicAddressBackend`: a keep-alive pool whose every
    new connection is checked. No proxy support, on purpose."""

    def __init__(
        self,
        *,
        resolver: Resolver = system_resolver,
        allow_loopback: bool = False,
        verify: Any = True,
        limits: httpx.Limits = httpx.Limits(max_connections=100, max_keepalive_connections=20),
        http2: bool = False,
    ) -> None:
        # httpx 0.28 takes no network backend, so the pool HTTPTransport would build is
        # built here with ours (the pattern of httpx's "custom transports" docs).
        self.allow_loopback = allow_loopback
        self._pool = httpcore.ConnectionPool(
            **_pool_options(verify, limits, http2),
            network_backend=PublicAddressBackend(resolver=resolver, allow_loopback=allow_loopback),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        _check_scheme(request, self.allow_loopback)
        return super().handle_request(request)


class AsyncPublicAddressTransport(httpx.AsyncHTTPTransport):
    """The async twin of :class:`PublicAddressTransport`."""

    def __init__(
        self,
        *,
        resolver: Resolver = system_resolver,
        allow_loopback: bool = False,
        verify: Any = True,
        limits: httpx.Limits = httpx.Limits(max_connections=100, max_keepalive_connections=20),
        http2: bool = False,
    ) -> None:
        self.allow_loopback = allow_loopback
        self._pool = httpcore.AsyncConnectionPool(
            **_pool_options(verify, limits, http2),
            network_backend=AsyncPublicAddressBackend(
                resolver=resolver, allow_loopback=allow_loopback
            ),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        _check_scheme(request, self.allow_loopback)
        return await super().handle_async_request(request)


def public_client(
    *,
    timeout: float,
    resolver: Resolver = system_resolver,
    allow_loopback: bool = False,
    verify: Any = True,
) -> httpx.Client:
    """An httpx client that reaches public addresses only: no redirects, no proxies."""
    return httpx.Client(
        transport=PublicAddressTransport(
            resolver=resolver, allow_loopback=allow_loopback, verify=verify
        ),
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
    )
