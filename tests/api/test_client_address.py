"""The client address behind the rate limits: X-Forwarded-For only from trusted proxies."""

from __future__ import annotations

import pytest

from stock_saas.security.client_address import client_address

PROXY = "10.0.0.5"


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        # Nothing trusted (the default): the header is ignored, whoever sends it.
        ("198.51.100.7", "203.0.113.1", "", "198.51.100.7"),
        (PROXY, "203.0.113.1", "", PROXY),
        # A trusted proxy: the address it appended (rightmost) is the client...
        (PROXY, "203.0.113.1", PROXY, "203.0.113.1"),
        # ...and whatever the client wrote to the left of it is not believed.
        (PROXY, "1.2.3.4, 203.0.113.1", PROXY, "203.0.113.1"),
        # Chains of trusted proxies are walked from the right; networks work.
        (PROXY, "203.0.113.1, 10.0.0.9", "10.0.0.0/24", "203.0.113.1"),
        # An untrusted peer cannot pose as a proxy.
        ("198.51.100.7", "203.0.113.1", PROXY, "198.51.100.7"),
        # A trusted proxy writing no address: the proxy itself is counted.
        (PROXY, "unknown", PROXY, PROXY),
        (PROXY, None, PROXY, PROXY),
        ("::1", "2001:db8::7", "::1", "2001:db8::7"),
        ("127.0.0.1", "203.0.113.1", "*", "203.0.113.1"),
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(
    peer: str, forwarded: str | None, trusted: str, expected: str
):
    assert client_address(peer, forwarded, trusted=trusted) == expected


def test_no_peer_is_no_address():
    assert client_address(None, "203.0.113.1", trusted="*") is None
