from .models import Notification, PushSubscription


def notification_list_for_user(*, user):
    # The card and its board come along: the text names the card when the reader may
    # see it.
    return (
        Notification.objects.filter(recipient=user)
        .select_related("recipient", "card__board__platform")
        .order_by("-created_at", "-pk")
    )


def unread_count_for_user(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def push_devices_for_user(*, user):
    return PushSubscription.objects.filter(user=user).order_by("-created_at", "-pk")
