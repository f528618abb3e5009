"""Creating and reading notifications. Other apps' services call notify() inside
their own transaction, so the notification exists exactly when the change does."""

from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(*, recipients, kind: str, platform=None, actor=None, data=None, url: str = "") -> list:
    """One notification per recipient (never to the actor themselves)."""
    payload = dict(data or {})
    if platform is not None:
        payload.setdefault("platform_name", platform.name)
        url = url or platform.get_absolute_url()
    if actor is not None:
        payload.setdefault("actor_name", actor.name)
    rows = [
        Notification(
            recipient=recipient, kind=kind, platform=platform, actor=actor, data=payload, url=url
        )
        for recipient in {r.pk: r for r in recipients}.values()
        if actor is None or recipient.pk != actor.pk
    ]
    return Notification.objects.bulk_create(rows)


@transaction.atomic
def notification_mark_read(*, user, notification_id) -> Notification | None:
    """Marks the user's own notification read; another person's id finds nothing."""
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
