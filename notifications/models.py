from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import kinds
from .kinds import EmailMode


class Notification(models.Model):
    """Something a person should hear about. The row is the outbox: it is written in
    the same transaction as the change that caused it, with one Delivery per channel
    the recipient wants. Its text is rendered when read (notifications.text), in the
    reader's language and under the confidentiality rule as it stands then."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=kinds.choices)
    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    card = models.ForeignKey(
        "tasks.Card", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    # Reminders carry a key so that a schedule run twice tells a person once.
    dedupe_key = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="one_reminder_per_key",
            )
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"


class Channel(models.TextChoices):
    EMAIL = "email", _("メール")
    PUSH = "push", _("プッシュ通知")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("送信待ち")
    SENDING = "sending", _("送信中")
    SENT = "sent", _("送信済み")
    FAILED = "failed", _("送信できなかった")
    # An addressed message that is no longer wanted (an invitation revoked before it
    # went out).
    CANCELLED = "cancelled", _("取り消し")


class Delivery(models.Model):
    """One notification on its way through one channel (in-app needs none: the
    Notification row is it), or one addressed email that is a message of its own (an
    invitation, to someone who may have no account: `message` names the renderer an
    app registered, `message_ref` its object, `address` the mailbox). A worker claims
    it by moving it from pending to sending in one conditional UPDATE, so a job that
    runs twice sends it once."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", null=True, blank=True
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    message = models.CharField(max_length=40, blank=True, default="")
    message_ref = models.PositiveBigIntegerField(null=True, blank=True)
    address = models.EmailField(blank=True, default="")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # Email gathered into the recipient's daily digest instead of sent on its own.
    digest = models.BooleanField(default=False)
    subscription = models.ForeignKey(
        "PushSubscription", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # Not before this time: now for a new delivery, later for a retry, a digest or
    # a push held back by quiet hours.
    next_attempt_at = models.DateTimeField()
    # The job that claimed it (its Celery id, stable when the job is delivered again)
    # and the worker it ran on: a worker that starts under the same name gives back
    # what its previous, dead run held (notifications.jobs).
    claim_token = models.CharField(max_length=64, blank=True, default="")
    claimed_by = models.CharField(max_length=200, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("配信")
        verbose_name_plural = _("配信")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["claim_token"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(notification__isnull=False, recipient__isnull=False, message="")
                    | Q(notification__isnull=True, channel="email", digest=False)
                    & ~Q(message="")
                    & ~Q(address="")
                ),
                name="delivery_of_a_notification_or_an_addressed_message",
            )
        ]

    def __str__(self):
        return f"{self.channel} {self.status} → {self.recipient_id or self.message}"


class Preference(models.Model):
    """A person's exception for one kind to their switch for all kinds
    (NotificationSettings.email_all, push_all); an empty email or a null push follows
    the switch, and without a row both do (notifications.preferences.effective)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=kinds.choices)
    email = models.CharField(max_length=10, choices=EmailMode.choices, blank=True, default="")
    push = models.BooleanField(null=True, blank=True, default=None)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}"


class NotificationSettings(models.Model):
    """When and in which language a person hears from us. Times are Asia/Tokyo."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    language = models.CharField(
        _("メールと通知の言語"), max_length=10, choices=settings.LANGUAGES, default="ja"
    )
    digest_hour = models.PositiveSmallIntegerField(_("まとめメールを送る時刻"), default=8)
    quiet_start_hour = models.PositiveSmallIntegerField(
        _("プッシュ通知を控える時間（開始）"), null=True, blank=True, default=22
    )
    quiet_end_hour = models.PositiveSmallIntegerField(
        _("プッシュ通知を控える時間（終了）"), null=True, blank=True, default=7
    )
    # One switch for all kinds per channel; empty (or null) keeps each kind's default.
    email_all = models.CharField(
        _("メール（すべてのお知らせ）"),
        max_length=10,
        choices=EmailMode.choices,
        blank=True,
        default="",
    )
    push_all = models.BooleanField(
        _("プッシュ通知（すべてのお知らせ）"), null=True, blank=True, default=None
    )

    class Meta:
        verbose_name = _("通知の設定")
        verbose_name_plural = _("通知の設定")

    def __str__(self):
        return str(self.user_id)


class PushSubscription(models.Model):
    """One browser on one device that agreed to receive push notifications."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    label = models.CharField(_("端末"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("プッシュ通知の端末")
        verbose_name_plural = _("プッシュ通知の端末")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.label or self.endpoint[:60]
