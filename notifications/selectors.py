from .models import Notification


def notification_list_for_user(*, user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count_for_user(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
