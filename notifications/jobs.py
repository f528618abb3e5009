"""Celery jobs for notifications: take ids, load, act; safe to run twice."""

import logging
from datetime import timedelta

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.utils import timezone

from common import live

from . import reminders, sending
from .consumers import user_channel
from .models import Channel, Delivery, DeliveryStatus
from .services import deliveries_enqueue

logger = logging.getLogger(__name__)

# At most this many deliveries are re-enqueued per sweep; the next sweep takes more.
SWEEP_LIMIT = 5000


@shared_task(acks_late=True, bind=True)
def deliveries_send(self, delivery_ids: list[int]) -> int:
    """Sends the given deliveries that are still pending (none twice while a claim
    stands), sending.CLAIM_CHUNK at a time. Claimed under the job's own id: if the
    broker delivers this job again because its worker died, it takes back what that
    run held."""
    token = (self.request.id or "").replace("-", "")[:64]
    holder = self.request.hostname or ""
    count = 0
    ids = sorted(delivery_ids)
    with sending.Mailer() as mailer:
        for start in range(0, len(ids), sending.CLAIM_CHUNK):
            now = timezone.now()
            chunk = Delivery.objects.filter(
                pk__in=ids[start : start + sending.CLAIM_CHUNK], digest=False
            )
            claimed = sending.claim(chunk, now=now, token=token, holder=holder)
            sending.send_claimed(claimed, now=now, mailer=mailer)
            count += len(claimed)
    return count


@worker_ready.connect(dispatch_uid="notifications.release_claims_of_a_dead_run")
def release_claims_of_a_dead_run(sender=None, **kwargs) -> int:
    """A worker starting under a name gives back what the previous run under that name
    held: a node name runs once, so that run is dead (killed, or its machine lost),
    and its deliveries are sent again now instead of after STALE_CLAIM."""
    hostname = getattr(sender, "hostname", "") or ""
    if not hostname:
        return 0
    held = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_by=hostname)
    ids = list(held.values_list("pk", flat=True))
    if ids:
        Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.PENDING, claim_token="", claimed_by=""
        )
        logger.warning("gave back %s deliveries held by %s before it restarted", len(ids), hostname)
        deliveries_enqueue(ids)
    return len(ids)


def sweep(*, now) -> int:
    """Gives back claims whose worker died, and enqueues every delivery that is due
    and has waited longer than the grace period (its job was never run)."""
    Delivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - sending.STALE_CLAIM
    ).update(status=DeliveryStatus.PENDING, claim_token="", claimed_by="")
    grace = timedelta(seconds=settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS)
    ids = list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, digest=False, next_attempt_at__lte=now - grace
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    deliveries_enqueue(ids)
    return len(ids)


@shared_task(acks_late=True)
def deliveries_sweep() -> int:
    return sweep(now=timezone.now())


@shared_task(acks_late=True)
def digests_send() -> int:
    """One digest email to each person whose digest time has come."""
    now = timezone.now()
    recipients = (
        Delivery.objects.filter(
            channel=Channel.EMAIL,
            digest=True,
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now,
        )
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return sum(sending.send_digest(recipient_id, now=now) for recipient_id in list(recipients))


@shared_task(acks_late=True)
def reminders_send() -> int:
    return reminders.reminders_send(now=timezone.now())


@shared_task(acks_late=True)
def bell_publish(user_ids: list[int]) -> None:
    """Tells each person's open pages that their unread count changed. Best effort:
    the count on every page load is the truth."""
    for user_id in user_ids:
        live.publish_control(user_channel(user_id), {"kind": "unread_changed"})
