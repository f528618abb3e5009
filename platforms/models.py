from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.text import validate_single_line


class Status(models.TextChoices):
    DRAFT = "draft", _("下書き")
    RECRUITING = "recruiting", _("募集中")
    ACTIVE = "active", _("活動中")
    GOAL_MET = "goal_met", _("目標達成")
    CANCELLED = "cancelled", _("中止")
    ARCHIVED = "archived", _("アーカイブ済み")


# The statuses that end a platform for good: read-only from then on.
ENDED_STATUSES = frozenset({Status.ARCHIVED, Status.CANCELLED})


class Visibility(models.TextChoices):
    PUBLIC = "public", _("公開（一覧に載り、誰でも参加を申請できる）")
    PRIVATE = "private", _("非公開（招待された人だけ）")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("コーディネーター")
    MEMBER = "member", _("メンバー")
    OBSERVER = "observer", _("オブザーバー（閲覧のみ）")


# The charter's fields, in 5W2H order; history snapshots and exports use this list.
CHARTER_FIELDS = [
    "name",
    "purpose",
    "why",
    "who",
    "where",
    "area",
    "deadline",
    "what",
    "how",
    "budget",
    "funding",
    "visibility",
]

EVALUATION_FIELDS = ["outcome", "learned", "continues", "carried_by"]


class Platform(models.Model):
    """A purpose-defined group: launched by a coordinator, joined by those who agree,
    closed with an evaluation and archived when the purpose is met."""

    name = models.CharField(_("名称"), max_length=100, validators=[validate_single_line])
    purpose = models.TextField(_("目的"), max_length=2000)
    # 5W2H
    why = models.TextField(_("なぜ（Why：目的・背景）"), max_length=2000)
    who = models.TextField(_("だれが・だれに（Who：呼びかける人と対象）"), max_length=2000)
    where = models.CharField(_("どこで（Where：場所）"), max_length=200)
    area = models.CharField(
        _("地域（日常生活圏域）"), max_length=100, help_text=_("例：豊中市 第三中学校区")
    )
    deadline = models.DateField(_("いつまでに（When：期限）"))
    what = models.TextField(_("なにを（What：内容・プログラム）"), max_length=2000)
    how = models.TextField(_("どのように（How：体制・運営）"), max_length=2000)
    budget = models.PositiveIntegerField(_("いくらで（How much：予算・円）"), null=True, blank=True)
    funding = models.TextField(_("費用のまかない方"), max_length=1000, blank=True)
    visibility = models.CharField(
        _("公開範囲"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Evaluation, written when the platform closes.
    outcome = models.TextField(_("成果（目的と目標に対して）"), max_length=4000, blank=True)
    learned = models.TextField(_("学んだこと"), max_length=4000, blank=True)
    continues = models.TextField(_("続いていくこと"), max_length=4000, blank=True)
    carried_by = models.CharField(_("引き継ぐ人・団体"), max_length=200, blank=True)
    evaluated_at = models.DateTimeField(_("評価の記入日時"), null=True, blank=True)

    search_text = models.TextField(editable=False, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("立ち上げた人"),
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    status_changed_at = models.DateTimeField(_("状態の変更日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("プラットフォーム")
        verbose_name_plural = _("プラットフォーム")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["visibility", "status"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("platforms:platform-detail", args=[self.pk])

    @property
    def is_read_only(self) -> bool:
        return self.status in ENDED_STATUSES

    @property
    def has_evaluation(self) -> bool:
        return bool(self.outcome)


class Goal(models.Model):
    """A measurable goal, e.g. 5 participants in work placements."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("目標"), max_length=200)
    unit = models.CharField(_("単位"), max_length=20, blank=True, help_text=_("例：人、件、回"))
    target_value = models.PositiveIntegerField(_("目標値"), validators=[MinValueValidator(1)])
    current_value = models.PositiveIntegerField(_("現在値"), default=0)
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("目標")
        verbose_name_plural = _("目標")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.current_value / self.target_value))

    @property
    def is_reached(self) -> bool:
        return self.current_value >= self.target_value


class Membership(models.Model):
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="platform_memberships"
    )
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="platform_memberships",
        verbose_name=_("所属団体として"),
    )
    joined_at = models.DateTimeField(_("参加日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("参加者")
        verbose_name_plural = _("参加者")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "user"], name="one_membership_per_platform")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) @ {self.platform}"


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("判断待ち")
        APPROVED = "approved", _("承認")
        DECLINED = "declined", _("見送り")
        WITHDRAWN = "withdrawn", _("取り下げ")

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属団体として"),
    )
    message = models.TextField(_("メッセージ"), max_length=1000)
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("見送りの理由"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("申請日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("参加申請")
        verbose_name_plural = _("参加申請")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.platform} ({self.get_status_display()})"


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("返事待ち")
        ACCEPTED = "accepted", _("参加済み")
        DECLINED = "declined", _("辞退")
        REVOKED = "revoked", _("取り消し")

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("招待するメールアドレス"))
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    message = models.TextField(_("ひとこと"), max_length=1000, blank=True)
    token = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("招待日時"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有効期限"))
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("招待")
        verbose_name_plural = _("招待")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "email"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.platform}"

    def get_absolute_url(self):
        return reverse("platforms:invitation-detail", args=[self.token])


class CharterRevision(models.Model):
    """The charter as it stood after each edit (the first one is the launch)."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    charter = models.JSONField()
    changed_fields = models.JSONField(default=list)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("憲章の改訂")
        verbose_name_plural = _("憲章の改訂")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "number"], name="one_revision_number")
        ]

    def __str__(self):
        return f"{self.platform_id} #{self.number}"


class PlatformEvent(models.Model):
    """Everything that happened to a platform: who, what, when. Notifications hook in
    here; the platform page shows the lifecycle steps from it."""

    class Kind(models.TextChoices):
        LAUNCHED = "platform.launched", _("立ち上げ")
        CHARTER_EDITED = "charter.edited", _("憲章の変更")
        STATUS_CHANGED = "status.changed", _("状態の変更")
        EVALUATION_WRITTEN = "evaluation.written", _("評価の記入")
        GOAL_ADDED = "goal.added", _("目標の追加")
        GOAL_UPDATED = "goal.updated", _("目標の更新")
        GOAL_REMOVED = "goal.removed", _("目標の削除")
        JOIN_REQUESTED = "join.requested", _("参加申請")
        JOIN_APPROVED = "join.approved", _("参加申請の承認")
        JOIN_DECLINED = "join.declined", _("参加申請の見送り")
        JOIN_WITHDRAWN = "join.withdrawn", _("参加申請の取り下げ")
        INVITATION_SENT = "invitation.sent", _("招待")
        INVITATION_ACCEPTED = "invitation.accepted", _("招待の受諾")
        INVITATION_DECLINED = "invitation.declined", _("招待の辞退")
        INVITATION_REVOKED = "invitation.revoked", _("招待の取り消し")
        MEMBER_LEFT = "member.left", _("退出")
        MEMBER_REMOVED = "member.removed", _("メンバーの除外")
        ROLE_CHANGED = "member.role_changed", _("役割の変更")

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person the event is about, when it is not the actor.",
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("出来事")
        verbose_name_plural = _("出来事")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} @ {self.platform_id}"

    @property
    def to_status_label(self) -> str:
        """For status changes: the label of the state the platform moved to."""
        to = self.data.get("to") if self.kind == self.Kind.STATUS_CHANGED else None
        return Status(to).label if to in Status.values else ""
