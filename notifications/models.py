from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INVITED = "platform.invited", _("プラットフォームへの招待")
    JOIN_REQUESTED = "join.requested", _("判断を待つ参加申請")
    JOIN_APPROVED = "join.approved", _("参加申請の承認")
    JOIN_DECLINED = "join.declined", _("参加申請の見送り")
    MADE_COORDINATOR = "member.made_coordinator", _("コーディネーターになった")
    REMOVED = "member.removed", _("プラットフォームから外された")
    STATUS_CHANGED = "platform.status_changed", _("プラットフォームの状態の変更")
    GOAL_REACHED = "goal.reached", _("目標の達成")


class Notification(models.Model):
    """Something a person should hear about. The row is the outbox: it is written in
    the same transaction as the change that caused it. Its text is rendered when read
    (notifications.text), in the reader's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"
