"""Creating notifications and their deliveries, and reading them.

Other apps' services call notify() inside their own transaction, so a notification
and its deliveries exist exactly when the change does (the outbox). The jobs that
send them are enqueued after commit; if the broker is down then, the sweep
(notifications.jobs.deliveries_sweep) finds the deliveries later.
"""

import base64
import binascii
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.jobs import enqueue

from . import kinds, messages, preferences
from .kinds import NoticeKind
from .models import (
    Channel,
    Delivery,
    DeliveryStatus,
    EmailMode,
    Notification,
    NotificationSettings,
    Preference,
    PushSubscription,
)

logger = logging.getLogger(__name__)

# Deliveries handed to one job: one SMTP connection serves the batch.
SEND_BATCH = 100
# The jobs (notifications.jobs), by name: jobs imports this module.
SEND_JOB = "notifications.jobs.deliveries_send"
BELL_JOB = "notifications.jobs.bell_publish"


def notify(
    *,
    recipients,
    kind: NoticeKind,
    platform=None,
    card=None,
    actor=None,
    data=None,
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """One notification per recipient (never to the actor themselves, never about a
    confidential card to someone who may not see it), with its deliveries. The
    number of queries does not depend on the number of recipients. Who may be told
    is the kind's own rule (NoticeKind.readers: a confidential card's kinds keep it
    to the people who may see the card)."""
    if not isinstance(kind, NoticeKind) or kinds.get(kind.key) is not kind:
        raise LookupError(f"not a registered notice kind: {kind!r}")
    payload = dict(data or {})
    if card is not None:
        platform = platform or card.board.platform
        url = url or card.get_absolute_url()
    if platform is not None:
        payload.setdefault("platform_name", platform.name)
        url = url or platform.get_absolute_url()
    if actor is not None:
        payload.setdefault("actor_name", actor.name)
    people = {r.pk: r for r in recipients if actor is None or r.pk != actor.pk}
    if not people:
        return []
    allowed = kind.readers(card=card, platform=platform, user_ids=list(people))
    if dedupe_key:
        allowed -= set(
            Notification.objects.filter(
                recipient_id__in=allowed, dedupe_key=dedupe_key
            ).values_list("recipient_id", flat=True)
        )
    if not allowed:
        return []
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=people[uid],
                kind=kind.key,
                platform=platform,
                card=card,
                actor=actor,
                data=payload,
                url=url,
                dedupe_key=dedupe_key,
            )
            for uid in sorted(allowed)
        ]
    )
    _deliveries_create(notifications, kind)
    return notifications


def _deliveries_create(notifications: list[Notification], kind: NoticeKind) -> None:
    now = timezone.now()
    user_ids = [n.recipient_id for n in notifications]
    user_settings = preferences.settings_by_user(user_ids)
    choices = preferences.choices_for(user_ids, kind, user_settings)
    pushed = [uid for uid in user_ids if choices[uid][1]]
    subscriptions: dict[int, list[int]] = {}
    for sub_id, user_id in PushSubscription.objects.filter(user_id__in=pushed).values_list(
        "pk", "user_id"
    ):
        subscriptions.setdefault(user_id, []).append(sub_id)
    rows = []
    for notification in notifications:
        uid = notification.recipient_id
        email_mode, _push = choices[uid]
        if email_mode != EmailMode.OFF:
            digest = email_mode == EmailMode.DIGEST
            rows.append(
                Delivery(
                    notification=notification,
                    recipient_id=uid,
                    channel=Channel.EMAIL,
                    digest=digest,
                    next_attempt_at=(
                        preferences.next_digest_at(user_settings[uid], now) if digest else now
                    ),
                )
            )
        rows.extend(
            Delivery(
                notification=notification,
                recipient_id=uid,
                channel=Channel.PUSH,
                subscription_id=sub_id,
                next_attempt_at=now,
            )
            for sub_id in subscriptions.get(uid, [])
        )
    deliveries = Delivery.objects.bulk_create(rows)
    now_ids = [d.pk for d in deliveries if not d.digest]
    transaction.on_commit(lambda: _after_commit(now_ids, sorted(set(user_ids))))


def email_send_later(*, message: str, ref: int, address: str) -> Delivery:
    """An addressed email (notifications.messages) through the outbox: written in the
    caller's transaction, sent after commit, retried and swept like a notification."""
    if message not in messages.RENDERERS:
        raise LookupError(f"no renderer registered for {message!r}")
    delivery = Delivery.objects.create(
        channel=Channel.EMAIL,
        message=message,
        message_ref=ref,
        address=address,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: deliveries_enqueue([delivery.pk]))
    return delivery


def _after_commit(delivery_ids: list[int], user_ids: list[int]) -> None:
    deliveries_enqueue(delivery_ids)
    enqueue(BELL_JOB, user_ids)


def deliveries_enqueue(delivery_ids: list[int]) -> None:
    """One send job per SEND_BATCH deliveries."""
    for start in range(0, len(delivery_ids), SEND_BATCH):
        enqueue(SEND_JOB, delivery_ids[start : start + SEND_BATCH])


@transaction.atomic
def notification_mark_read(*, user, notification_id) -> Notification | None:
    """Marks the user's own notification read; another person's id finds nothing."""
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        transaction.on_commit(lambda: _bell_changed([user.pk]))
    return notification


def notification_mark_all_read(*, user) -> int:
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        _bell_changed([user.pk])
    return count


def _bell_changed(user_ids) -> None:
    enqueue(BELL_JOB, list(user_ids))


# --- preferences ------------------------------------------------------------------


@transaction.atomic
def preferences_save(
    *,
    user,
    choices: dict,
    language: str,
    digest_hour: int,
    quiet=(None, None),
    email_all: str = "",
    push_all: bool | None = None,
):
    """Saves a person's choices: one switch per channel for all kinds (`email_all`:
    an EmailMode or "" for each kind's default; `push_all`: True, False or None),
    and `choices` {kind: (email mode or "", push or None)}, the exceptions to them.
    A kind that follows both switches keeps no row. Digests already waiting move to
    the new digest time."""
    for kind in kinds.all_kinds():
        email, push = choices.get(kind.key, ("", None))
        if not kind.emails:
            email = ""
        if email == "" and push is None:
            Preference.objects.filter(user=user, kind=kind.key).delete()
        else:
            Preference.objects.update_or_create(
                user=user, kind=kind.key, defaults={"email": email, "push": push}
            )
    user_settings, _created = NotificationSettings.objects.update_or_create(
        user=user,
        defaults={
            "language": language,
            "digest_hour": digest_hour,
            "quiet_start_hour": quiet[0],
            "quiet_end_hour": quiet[1],
            "email_all": email_all,
            "push_all": push_all,
        },
    )
    Delivery.objects.filter(
        recipient=user, channel=Channel.EMAIL, digest=True, status=DeliveryStatus.PENDING
    ).update(next_attempt_at=preferences.next_digest_at(user_settings, timezone.now()))
    return user_settings


# --- push subscriptions -------------------------------------------------------------


def _b64url_bytes(value) -> bytes | None:
    if not isinstance(value, str) or len(value) > 200:
        return None
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


def _endpoint_allowed(endpoint) -> bool:
    if not isinstance(endpoint, str) or len(endpoint) > 1000:
        return False
    try:
        parts = urlsplit(endpoint)
    except ValueError:
        return False
    if parts.scheme == "https" and parts.hostname:
        return True
    return parts.scheme == "http" and parts.hostname in settings.WEBPUSH_INSECURE_HOSTS


@transaction.atomic
def push_subscribe(*, user, endpoint, p256dh, auth, label: str = "") -> PushSubscription:
    """Records this browser's subscription for the user. A browser that subscribed
    for someone else before (a shared computer) now belongs to this user only."""
    key, secret = _b64url_bytes(p256dh), _b64url_bytes(auth)
    if not _endpoint_allowed(endpoint):
        raise ValidationError(_("このブラウザのプッシュ通知の宛先を受け付けられませんでした。"))
    if key is None or len(key) != 65 or key[0] != 4 or secret is None or len(secret) != 16:
        raise ValidationError(_("このブラウザの鍵を受け付けられませんでした。"))
    # An endpoint is a browser's address at its push service. Another person's
    # browser is taken over only by that same browser (its keys): someone who merely
    # learned the endpoint must not delete the owner's device or receive its pushes.
    taken = (
        PushSubscription.objects.select_for_update()
        .filter(endpoint=endpoint)
        .exclude(user=user)
        .first()
    )
    if taken is not None:
        if (taken.p256dh, taken.auth) != (p256dh, auth):
            raise ValidationError(_("このブラウザのプッシュ通知の宛先を受け付けられませんでした。"))
        # A shared computer: whatever was waiting for its previous user is not for this one.
        taken.delete()
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "label": label[:120]},
    )
    return subscription


def push_unsubscribe(*, user, subscription_id) -> bool:
    """Removes one of the user's own devices; another person's id removes nothing."""
    deleted, _rows = PushSubscription.objects.filter(pk=subscription_id, user=user).delete()
    return bool(deleted)
