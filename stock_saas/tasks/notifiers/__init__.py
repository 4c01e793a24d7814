"""Transports for alert deliveries: Slack incoming webhook and SMTP e-mail."""

from __future__ import annotations

from stock_saas.services.alerts import Delivery, DeliveryFailed
from stock_saas.tasks.notifiers import email, slack

__all__ = ["send"]

_SENDERS = {"slack": slack.send, "email": email.send}


def send(delivery: Delivery) -> None:
    """Deliver through the channel the recipient chose; DeliveryFailed when it fails."""
    sender = _SENDERS.get(delivery.channel)
    if sender is None:
        raise DeliveryFailed(f"Unknown channel {delivery.channel!r}.", permanent=True)
    sender(delivery)
