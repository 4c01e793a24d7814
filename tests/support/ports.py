"""Free TCP ports on 127.0.0.1, each suite from a range of its own."""

from __future__ import annotations

import random
import socket

__all__ = ["free_port"]


def free_port(ports: range, *, shuffle: bool = False) -> int:
    """A port of ``ports`` that nothing listens on now."""
    candidates = list(ports)
    if shuffle:
        random.shuffle(candidates)
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports}")
