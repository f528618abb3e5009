"""Sending deliveries: claim, send, record the outcome. The jobs call these.

A job works through its deliveries CLAIM_CHUNK at a time: it claims a chunk by one
conditional UPDATE (pending → sending, under the rows' lock on PostgreSQL), sends
it, and marks what went out in one UPDATE. Two runs of the same job, or a job and
the sweep, never both send a delivery while its claim stands.

What a worker killed mid-chunk leaves (SIGKILL, a lost machine): at most one chunk
`sending`, of which the messages already accepted by the mail server go out a second
time when the claim is given back. That is the re-send window: at least once, with
at most CLAIM_CHUNK repeats, each carrying the Message-ID of its first attempt so
mail clients show it once. Nothing is lost. Claims are given back by, whichever
comes first: the same job delivered again by the broker (it resumes the claims
under its own id), the worker starting again under the same name (jobs'
worker_ready handler), or the sweep after STALE_CLAIM (longer than any job's hard
time limit).
"""

import contextlib
import json
import logging
import secrets
import smtplib
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core import mail
from django.db.models import Case, F, PositiveSmallIntegerField, Q, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
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
# Deliveries claimed, sent and marked together: the most a killed worker re-sends.
CLAIM_CHUNK = 50


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after the first, second, third … failure, at most an hour."""
    return timedelta(
        seconds=min(BACKOFF_CAP_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** max(0, attempts - 1))
    )


def claim(queryset, *, now, token: str = "", holder: str = "") -> list[Delivery]:
    """Takes the pending, due deliveries of `queryset` for this run. With the job's
    `token` (its Celery id), also takes back what an earlier run of the same job
    claimed and did not finish (it died: the broker delivered the job again)."""
    token = token or secrets.token_hex(16)
    due = Q(status=PENDING, next_attempt_at__lte=now)
    mine = Q(status=SENDING, claim_token=token)
    taken = queryset.filter(due | mine).update(
        status=SENDING,
        claim_token=token,
        claimed_by=holder,
        claimed_at=now,
        # A claim taken back was counted when it was first taken.
        attempts=Case(
            When(status=PENDING, then=F("attempts") + 1),
            default=F("attempts"),
            output_field=PositiveSmallIntegerField(),
        ),
    )
    if not taken:
        return []
    # Only this chunk's rows still being sent: the job's token also marks the rows
    # of its earlier chunks, sent by now. A card's board and platform (for its
    # confidentiality at read time) only where there is a card.
    claimed = list(
        queryset.filter(claim_token=token, status=SENDING)
        .select_related("notification", "recipient", "subscription")
        .prefetch_related("notification__card__board__platform")
        .order_by("pk")
    )
    for delivery in claimed:
        if delivery.notification is not None:
            # The same person: no second copy of the user row.
            delivery.notification.recipient = delivery.recipient
    return claimed


def _sent(deliveries, now) -> None:
    """Marks deliveries sent, in one UPDATE (they share the job's claim)."""
    by_token: dict[str, list[int]] = {}
    for delivery in deliveries:
        by_token.setdefault(delivery.claim_token, []).append(delivery.pk)
    for token, ids in by_token.items():
        Delivery.objects.filter(pk__in=ids, claim_token=token).update(
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


class Mailer:
    """One SMTP connection for a job's chunks, opened when first needed and opened
    again after a failure; and the renderings the job's messages share."""

    def __init__(self):
        self.connection = None
        self.rendered = RenderedOnce()

    def open(self):
        if self.connection is None:
            connection = mail.get_connection()
            connection.open()
            self.connection = connection
        return self.connection

    def drop(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.connection.close()
        self.connection = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.drop()


def send_claimed(deliveries: list[Delivery], *, now, mailer: Mailer | None = None) -> None:
    if mailer is None:
        with Mailer() as own:
            return send_claimed(deliveries, now=now, mailer=own)
    addressed = [d for d in deliveries if d.message]
    if addressed:
        _send_emails(addressed, addressed_email, now=now, mailer=mailer)
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
            return notification_email(delivery, language, connection, rendered=mailer.rendered)

        _send_emails(emails, build, now=now, mailer=mailer)
    for delivery in deliveries:
        if delivery.channel == Channel.PUSH:
            _send_push(delivery, user_settings[delivery.recipient_id], now=now)


# --- email --------------------------------------------------------------------------


def message_id(kind: str, pk: int) -> str:
    """The same Message-ID on every attempt of one delivery, so a message sent again
    after a worker died is shown once by mail clients."""
    domain = urlsplit(settings.SITE_URL).hostname or "hub.invalid"
    return f"<hub.{kind}.{pk}@{domain}>"


# Stands in for the recipient's name while a message is rendered once for many.
NAME_MARK = "\ue000name\ue000"


class RenderedOnce:
    """A notification email's subject, text and HTML rendered once per template,
    language, words and link (a status change to 1,000 members is one render), then
    addressed to each recipient by name."""

    def __init__(self):
        self._parts: dict[tuple, tuple[str, str, str]] = {}

    def parts(self, language: str, subject_text: str, context: dict, template: str):
        key = (template, language, subject_text, tuple(sorted(context.items())))
        if key not in self._parts:
            self._parts[key] = _render(NAME_MARK, language, subject_text, context, template)
        return self._parts[key]


def _render(name: str, language: str, subject_text: str, context: dict, template: str):
    with translation.override(language):
        context = {
            **context,
            "recipient_name": name,
            "preferences_url": absolute(reverse("notifications:preferences")),
        }
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + one_line(subject_text)[:120]
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    return subject, text, html


def _email(recipient, language, subject_text, context, template, connection, *, msgid, rendered):
    if rendered is not None:
        subject, text, html = rendered.parts(language, subject_text, context, template)
        text = text.replace(NAME_MARK, recipient.name)
        html = html.replace(NAME_MARK, escape(recipient.name))
    else:
        subject, text, html = _render(recipient.name, language, subject_text, context, template)
    message = mail.EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
        connection=connection,
        headers={
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{absolute(reverse('notifications:preferences'))}>",
            "Message-ID": msgid,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def notification_email(delivery: Delivery, language: str, connection=None, *, rendered=None):
    notification = delivery.notification
    with translation.override(language):
        text = notification_text(notification)
    context = {"text": text, "url": absolute(notification.url) if notification.url else ""}
    return _email(
        delivery.recipient,
        language,
        text,
        context,
        "notification",
        connection,
        msgid=message_id("delivery", delivery.pk),
        rendered=rendered,
    )


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
        headers={
            "Auto-Submitted": "auto-generated",
            "Message-ID": message_id("delivery", delivery.pk),
        },
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


def _send_emails(deliveries, build, *, now, mailer: Mailer) -> None:
    """Sends each delivery's message (`build(delivery, connection)`; None cancels it)
    over the job's SMTP connection; what went out is marked sent together at the end
    (the deliveries are one claimed chunk: sending.CLAIM_CHUNK)."""
    try:
        connection = mailer.open()
    except (OSError, smtplib.SMTPException) as error:
        mailer.drop()
        _failed(deliveries, f"connect: {error!r}", now=now)
        return
    sent = []
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
                mailer.drop()
                _failed(deliveries[index:], repr(error), now=now)
                return
            sent.append(delivery)
    finally:
        _sent(sent, now)


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
    first = min(d.pk for d in deliveries)
    return _email(
        recipient,
        language,
        subject,
        context,
        "digest",
        connection,
        msgid=message_id("digest", first),
        rendered=None,
    )


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
    _sent([delivery], now)
    type(subscription).objects.filter(pk=subscription.pk).update(last_success_at=now)
