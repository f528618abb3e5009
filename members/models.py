import uuid

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.text import validate_single_line

# What others see of a person who has not given a name yet.
NAMELESS = _("（名前未登録）")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("The email must be set")
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class Participation(models.TextChoices):
    VOLUNTEER = "volunteer", _("ボランティア")
    SUPPORT_WORKER = "support_worker", _("支援員")
    SUPPORTED_PERSON = "supported_person", _("支援を受けている人")
    ORGANISATION_STAFF = "organisation_staff", _("団体の職員")


class User(AbstractUser):
    """A person. Email is the login; the profile lives on the same row to keep pages
    to one query."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("メールアドレス"), unique=True)
    display_name = models.CharField(
        _("氏名"),
        max_length=60,
        blank=True,
        validators=[validate_single_line],
        help_text=_("ほかの人に見える名前です。"),
    )
    name_kana = models.CharField(
        _("フリガナ"),
        max_length=60,
        blank=True,
        validators=[validate_single_line],
        help_text=_("読み方を知らせたいときに。"),
    )
    # When a person without a name was asked for one (once; they may skip it).
    name_asked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The secret in this person's calendar feed URL (tasks.views.calendar_feed);
    # calendar apps cannot sign in, so the URL is the key. None: no feed.
    calendar_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    area = models.CharField(
        _("地域"), max_length=100, blank=True, help_text=_("例：豊中市 第三中学校区")
    )
    skills = models.CharField(
        _("できること・スキル"),
        max_length=200,
        blank=True,
        help_text=_("読点（、）またはカンマで区切ってください。"),
    )
    introduction = models.TextField(_("自己紹介"), max_length=1000, blank=True)
    participation = models.CharField(
        _("関わり方"),
        max_length=30,
        choices=Participation.choices,
        default=Participation.VOLUNTEER,
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("ユーザー")
        verbose_name_plural = _("ユーザー")

    def __str__(self):
        return self.display_name or self.email

    @property
    def name(self):
        """What other people see. Never anything taken from the email address: an
        address is private, and its local part is often not a name at all."""
        return self.display_name or str(NAMELESS)

    def skill_list(self):
        raw = self.skills.replace("、", ",")
        return [s.strip() for s in raw.split(",") if s.strip()]


class OrganisationKind(models.TextChoices):
    NPO = "npo", _("NPO")
    CHAMBER_OF_COMMERCE = "chamber_of_commerce", _("商工会・商工会議所")
    SOCIAL_WELFARE_COUNCIL = "social_welfare_council", _("社会福祉協議会")
    BUSINESS = "business", _("企業・事業所")
    GOVERNMENT = "government", _("行政機関")
    NEIGHBOURHOOD_ASSOCIATION = "neighbourhood_association", _("自治会・町内会")
    VOLUNTEER_GROUP = "volunteer_group", _("ボランティア団体")
    OTHER = "other", _("その他")


class ResourceType(models.TextChoices):
    FORMAL = "formal", _("フォーマル（制度化されたサービス）")
    INFORMAL = "informal", _("インフォーマル（地域・住民の力）")


class Organisation(models.Model):
    # A public identifier that never changes (the HSDS organization id in open data).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("団体名"), max_length=120, validators=[validate_single_line])
    kind = models.CharField(_("種別"), max_length=40, choices=OrganisationKind.choices)
    resource_type = models.CharField(
        _("社会資源の区分"), max_length=20, choices=ResourceType.choices
    )
    area = models.CharField(_("地域"), max_length=100, blank=True)
    description = models.TextField(_("紹介"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("作成者"),
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("団体")
        verbose_name_plural = _("団体")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:organisation-detail", args=[self.pk])


class OrganisationMembership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("管理者")
        MEMBER = "member", _("所属メンバー")

    class Status(models.TextChoices):
        PENDING = "pending", _("承認待ち")
        ACTIVE = "active", _("所属中")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("申請日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("団体への所属")
        verbose_name_plural = _("団体への所属")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_membership_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"
