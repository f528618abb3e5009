"""Sending deliveries: claim, send, record the outcome. The jobs call these.

A delivery is claimed by one conditional UPDATE (pending → sending, under the row's
lock on PostgreSQL), so two runs of the same job, or a job and the sweep, never both
send it. The cost is at-most-once at the edge: a worker killed between the mail
server's "250 OK" and the status update leaves the delivery `sending`; the sweep
gives such claims back after STALE_CLAIM, longer than the hard time limit of any
job, and only then can it go out a second time.
"""

import contextlib
import json
import logging
import secrets
import smtplib
from datetime import timedelta

import requests
from django.conf import settings
from django.core import mail
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from pywebpush import WebPushException, webpush

from common.text import one_line

from . import messages, preferences
from .models import Channel, Delivery, DeliveryStatus
from .text import notification_text
from .vapid import vapid

logger = logging.getLogger(__name__)

PENDING, SENDING, SENT, FAILED = (
    DeliveryStatus.PENDING,
    DeliveryStatus.SENDING,
    DeliveryStatus.SENT,
    DeliveryStatus.FAILED,
)
MAX_ATTEMPTS = 8
BACKOFF_FIRST_SECONDS = 60
BACKOFF_CAP_SECONDS = 3600
STALE_CLAIM = timedelta(minutes=15)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after the first, second, third … failure, at most an hour."""
    return timedelta(
        seconds=min(BACKOFF_CAP_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** max(0, attempts - 1))
    )


def claim(queryset, *, now) -> list[Delivery]:
    """Takes the pending, due deliveries of `queryset` for this run."""
    token = secrets.token_hex(16)
    taken = queryset.filter(status=PENDING, next_attempt_at__lte=now).update(
        status=SENDING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1
    )
    if not taken:
        return []
    return list(
        Delivery.objects.filter(claim_token=token)
        .select_related(
            "notification__recipient",
            "notification__card__board__platform",
            "notification__platform",
            "recipient",
            "subscription",
        )
        .order_by("pk")
    )


def _sent(delivery: Delivery, now) -> None:
    Delivery.objects.filter(pk=delivery.pk, claim_token=delivery.claim_token).update(
        status=SENT, sent_at=now, last_error=""
    )


def _failed(deliveries, error: str, *, now, permanent: bool = False) -> None:
    """Retries later with backoff, or gives up for good after MAX_ATTEMPTS."""
    for delivery in deliveries:
        give_up = permanent or delivery.attempts >= MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery.pk, claim_token=delivery.claim_token).update(
            status=FAILED if give_up else PENDING,
            next_attempt_at=now if give_up else now + backoff(delivery.attempts),
            claim_token="",
            last_error=error[:2000],
        )
        if give_up:
            logger.error("delivery %s failed for good: %s", delivery.pk, error)


def _later(delivery: Delivery, when) -> None:
    """Puts a claimed delivery back untried (quiet hours), not counting an attempt."""
    Delivery.objects.filter(pk=delivery.pk, claim_token=delivery.claim_token).update(
        status=PENDING, next_attempt_at=when, claim_token="", attempts=F("attempts") - 1
    )


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path


def send_claimed(deliveries: list[Delivery], *, now) -> None:
    addressed = [d for d in deliveries if d.message]
    if addressed:
        _send_emails(addressed, addressed_email, now=now)
    deliveries = [d for d in deliveries if not d.message]
    gone = [d for d in deliveries if not d.recipient.is_active]
    if gone:
        # A deactivated account gets nothing more from us.
        _failed(gone, "recipient deactivated", now=now, permanent=True)
        deliveries = [d for d in deliveries if d.recipient.is_active]
    user_settings = preferences.settings_by_user({d.recipient_id for d in deliveries})
    emails = [d for d in deliveries if d.channel == Channel.EMAIL]
    if emails:

        def build(delivery, connection):
            language = preferences.language_of(user_settings[delivery.recipient_id])
            return notification_email(delivery, language, connection)

        _send_emails(emails, build, now=now)
    for delivery in deliveries:
        if delivery.channel == Channel.PUSH:
            _send_push(delivery, user_settings[delivery.recipient_id], now=now)


# --- email --------------------------------------------------------------------------


def _email(recipient, language: str, subject_text: str, context: dict, template: str, connection):
    with translation.override(language):
        context = {
            **context,
            "recipient": recipient,
            "preferences_url": absolute(reverse("notifications:preferences")),
        }
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + one_line(subject_text)[:120]
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    message = mail.EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
        connection=connection,
        headers={
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{context['preferences_url']}>",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def notification_email(delivery: Delivery, language: str, connection=None):
    notification = delivery.notification
    with translation.override(language):
        text = notification_text(notification)
    context = {"text": text, "url": absolute(notification.url) if notification.url else ""}
    return _email(delivery.recipient, language, text, context, "notification", connection)


def addressed_email(delivery: Delivery, connection=None):
    """The registered app's message (notifications.messages), or None when it is no
    longer wanted."""
    rendered = messages.render(delivery.message, delivery.message_ref)
    if rendered is None:
        return None
    return mail.EmailMessage(
        one_line(rendered.subject)[:200],
        rendered.text,
        settings.DEFAULT_FROM_EMAIL,
        [delivery.address],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated"},
    )


def _is_permanent(error: Exception) -> bool:
    """A mail server's 5xx answer about the message or recipient will not change."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    code = getattr(error, "smtp_code", 0)
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= code < 600


def _cancelled(delivery: Delivery, now) -> None:
    Delivery.objects.filter(pk=delivery.pk, claim_token=delivery.claim_token).update(
        status=DeliveryStatus.CANCELLED, sent_at=None, next_attempt_at=now, claim_token=""
    )


def _send_emails(deliveries, build, *, now) -> None:
    """Sends each delivery's message (`build(delivery, connection)`; None cancels it)
    over one SMTP connection."""
    connection = mail.get_connection()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        _failed(deliveries, f"connect: {error!r}", now=now)
        return
    try:
        for index, delivery in enumerate(deliveries):
            message = build(delivery, connection)
            if message is None:
                _cancelled(delivery, now)
                continue
            try:
                message.send()
            except (OSError, smtplib.SMTPException) as error:
                if _is_permanent(error):
                    _failed([delivery], repr(error), now=now, permanent=True)
                    continue
                # The connection is likely gone: this and the rest go back for later.
                _failed(deliveries[index:], repr(error), now=now)
                return
            _sent(delivery, now)
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()


def digest_email(recipient, deliveries, language: str, connection=None):
    with translation.override(language):
        items = [
            {
                "text": notification_text(d.notification),
                "url": absolute(d.notification.url) if d.notification.url else "",
                "at": d.notification.created_at,
            }
            for d in deliveries
        ]
        subject = translation.gettext("本日のお知らせ（%(count)s件）") % {"count": len(items)}
    context = {"items": items, "url": absolute(reverse("notifications:notification-list"))}
    return _email(recipient, language, subject, context, "digest", connection)


def send_digest(recipient_id: int, *, now) -> bool:
    """One email listing every digest delivery of the person that is due."""
    deliveries = claim(
        Delivery.objects.filter(recipient_id=recipient_id, channel=Channel.EMAIL, digest=True),
        now=now,
    )
    if not deliveries:
        return False
    deliveries.sort(key=lambda d: (d.notification.created_at, d.pk))
    language = preferences.language_of(preferences.settings_by_user([recipient_id])[recipient_id])
    try:
        digest_email(deliveries[0].recipient, deliveries, language).send()
    except (OSError, smtplib.SMTPException) as error:
        _failed(deliveries, repr(error), now=now, permanent=_is_permanent(error))
        return False
    Delivery.objects.filter(claim_token=deliveries[0].claim_token).update(
        status=SENT, sent_at=now, last_error=""
    )
    return True


# --- web push -----------------------------------------------------------------------


def push_payload(delivery: Delivery, language: str) -> dict:
    notification = delivery.notification
    with translation.override(language):
        return {
            "title": translation.gettext("協働ハブ"),
            "body": notification_text(notification),
            # A path: the service worker opens it on its own origin.
            "url": notification.url or reverse("notifications:notification-list"),
            "tag": f"notification-{notification.pk}",
        }


def _send_push(delivery: Delivery, user_settings, *, now) -> None:
    subscription = delivery.subscription
    if subscription is None:  # the device was removed meanwhile
        _failed([delivery], "subscription removed", now=now, permanent=True)
        return
    quiet_end = preferences.quiet_until(user_settings, now)
    if quiet_end is not None:
        _later(delivery, quiet_end)
        return
    payload = push_payload(delivery, preferences.language_of(user_settings))
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=vapid(),
            vapid_claims={"sub": settings.WEBPUSH_VAPID_SUBJECT},
            ttl=settings.WEBPUSH_TTL_SECONDS,
            timeout=10,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in (404, 410):
            # The browser unsubscribed or the subscription expired: forget the device
            # (its deliveries go with it).
            subscription.delete()
            return
        permanent = status is not None and 400 <= status < 500 and status != 429
        _failed([delivery], f"push {status}: {error.message}", now=now, permanent=permanent)
        return
    except (requests.RequestException, OSError, ValueError) as error:
        _failed([delivery], repr(error), now=now)
        return
    _sent(delivery, now)
    type(subscription).objects.filter(pk=subscription.pk).update(last_success_at=now)
