"""E-mail through SMTP (SMTP_SERVER, SMTP_PORT) from ALERT_EMAIL_FROM.

Sent to the user's address, else ALERT_EMAIL_TO. Each message carries the header
``X-Stock-SaaS-Notification: <notification id>`` so a mailbox can spot a duplicate.
A 5xx refusal is permanent; connection errors and 4xx answers are retried.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from stock_saas.config import get_settings
from stock_saas.services.alerts import Delivery, DeliveryFailed, NotificationKind

__all__ = ["NOTIFICATION_HEADER", "send"]

TIMEOUT_SECONDS = 10.0
NOTIFICATION_HEADER = "X-Stock-SaaS-Notification"
_SIGNATURES = {
    NotificationKind.ALERT: "Stock-SaaS low-stock alerts",
    NotificationKind.DIGEST: "Stock-SaaS weekly reorder digest",
}


def _message(delivery: Delivery, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = delivery.address
    message["Subject"] = delivery.subject
    message["Message-ID"] = make_msgid(f"notification-{delivery.notification_id}")
    message[NOTIFICATION_HEADER] = str(delivery.notification_id)
    signature = _SIGNATURES.get(delivery.kind, "Stock-SaaS")
    message.set_content(f"Hello {delivery.username},\n\n{delivery.text}\n\n-- {signature}\n")
    return message


def send(delivery: Delivery) -> None:
    settings = get_settings()
    if not settings.smtp_server:
        raise DeliveryFailed("SMTP_SERVER is not set.", permanent=True)
    if not delivery.address:
        raise DeliveryFailed(
            "The user has no e-mail address and ALERT_EMAIL_TO is not set.", permanent=True
        )
    message = _message(delivery, settings.alert_email_from)
    try:
        with smtplib.SMTP(
            settings.smtp_server, settings.smtp_port, timeout=TIMEOUT_SECONDS
        ) as smtp:
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryFailed(f"SMTP refused {delivery.address}: {exc}", permanent=True) from exc
    except smtplib.SMTPResponseException as exc:
        raise DeliveryFailed(
            f"SMTP answered {exc.smtp_code}: {exc.smtp_error!r}", permanent=exc.smtp_code >= 500
        ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(f"SMTP unreachable: {type(exc).__name__}: {exc}") from exc
