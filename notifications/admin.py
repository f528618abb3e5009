"""Staff see who was told what and how it went. Failed deliveries are the ones to
look at: their last error says why."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Delivery, DeliveryStatus, Notification, PushSubscription
from .services import deliveries_enqueue


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "platform", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__email"]
    raw_id_fields = ["recipient", "actor", "platform"]
    # Staff are not entitled to case details: the card is shown by its number only
    # (a raw-id widget would print its title), and the data is left out.
    exclude = ["data", "card"]
    readonly_fields = ["card_number"]

    @admin.display(description=_("カード番号"))
    def card_number(self, notification):
        return notification.card_id or "-"


@admin.action(description=_("選んだ配信をもう一度送る"))
def retry_deliveries(modeladmin, request, queryset):
    failed = queryset.filter(status=DeliveryStatus.FAILED)
    ids = list(failed.values_list("pk", flat=True))
    failed.update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    deliveries_enqueue(ids)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "recipient",
        "address",
        "channel",
        "digest",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "channel", "digest"]
    search_fields = ["recipient__email"]
    raw_id_fields = ["notification", "recipient", "subscription"]
    readonly_fields = ["claim_token", "claimed_at", "sent_at", "created_at", "last_error"]
    actions = [retry_deliveries]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "label", "created_at", "last_success_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["endpoint", "p256dh", "auth"]
