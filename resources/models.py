"""A social resource (社会資源) in the directory: the seed's seven kinds, formal or
informal, what it offers and to whom, when and where, how to reach it (each contact
with who may see it), who provides and who keeps it current, and when it was last
confirmed (HSDS `assured_date`). Every edit keeps a revision."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.text import validate_single_line


class Kind(models.TextChoices):
    PEOPLE = "people", _("人")
    SERVICE = "service", _("サービス・事業")
    INFORMATION = "information", _("情報")
    PLACE = "place", _("場所")
    FUNDING = "funding", _("資金")
    SYSTEM = "system", _("制度・仕組み")
    NETWORK = "network", _("つながり・ネットワーク")


class Formality(models.TextChoices):
    FORMAL = "formal", _("フォーマル（制度化されたもの）")
    INFORMAL = "informal", _("インフォーマル（地域・住民の力）")


class Offer(models.TextChoices):
    SPACE = "space", _("場所・スペース")
    GOODS = "goods", _("物品")
    PEOPLE = "people", _("人手")
    SKILLS = "skills", _("技能")
    MONEY = "money", _("お金")
    INFORMATION = "information", _("情報")


# What a resource offers is a set of these six, kept as bits of one column so the
# directory filters and counts them without a join (and an index covers them).
OFFER_BITS = {offer: 1 << index for index, offer in enumerate(Offer.values)}


def offers_mask(offers) -> int:
    return sum(OFFER_BITS[offer] for offer in set(offers))


# Every mask that holds each offer: "offers X" is `offers_mask IN (...)`, which an index
# on offers_mask can read as a few ranges (a bit test it cannot).
MASKS_WITH = {
    offer: [mask for mask in range(1 << len(OFFER_BITS)) if mask & bit]
    for offer, bit in OFFER_BITS.items()
}


class Status(models.TextChoices):
    DRAFT = "draft", _("下書き")
    ACTIVE = "active", _("利用できる")
    PAUSED = "paused", _("休止中")
    ENDED = "ended", _("終了")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("だれでも")
    SIGNED_IN = "signed_in", _("ログインした人")
    LINKED = "linked", _("つながっているプラットフォームの参加者")


class Cost(models.TextChoices):
    FREE = "free", _("無料")
    PAID = "paid", _("有料")
    VARIES = "varies", _("場合による")


postal_code_validator = RegexValidator(
    r"^\d{3}-?\d{4}$", _("郵便番号は「123-4567」の形で入れてください。")
)


# The fields a form or an import may set (the rest are the services': status rules,
# who, when).
EDITABLE_FIELDS = (
    "name",
    "description",
    "kind",
    "formality",
    "eligibility",
    "age_min",
    "age_max",
    "cost",
    "cost_note",
    "by_arrangement",
    "hours",
    "postal_code",
    "municipality",
    "address",
    "area",
    "latitude",
    "longitude",
    "phone",
    "phone_audience",
    "email",
    "email_audience",
    "url",
    "url_audience",
    "languages",
    "accessibility",
    "status",
    "provider_organisation",
    "steward_organisation",
)


class Resource(models.Model):
    # A public identifier that never changes (the HSDS id in open data).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("名前"), max_length=120, validators=[validate_single_line])
    description = models.TextField(_("説明"), max_length=4000)
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    formality = models.CharField(_("区分"), max_length=20, choices=Formality.choices)
    eligibility = models.CharField(_("対象（だれが使えるか）"), max_length=300, blank=True)
    age_min = models.PositiveSmallIntegerField(
        _("対象年齢（から）"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("対象年齢（まで）"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    cost = models.CharField(_("費用"), max_length=10, choices=Cost.choices, default=Cost.FREE)
    cost_note = models.CharField(_("費用の説明"), max_length=200, blank=True)
    by_arrangement = models.BooleanField(_("日時は相談して決める"), default=False)
    hours = models.CharField(
        _("開いている日・時間"),
        max_length=300,
        blank=True,
        help_text=_("例：月・水・金 10:00〜16:00"),
    )
    postal_code = models.CharField(
        _("郵便番号"), max_length=8, blank=True, validators=[postal_code_validator]
    )
    municipality = models.CharField(_("市区町村"), max_length=60, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    area = models.CharField(
        _("日常生活圏域"), max_length=100, blank=True, help_text=_("例：第三中学校区")
    )
    latitude = models.DecimalField(_("緯度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("経度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = models.CharField(_("電話"), max_length=30, blank=True)
    phone_audience = models.CharField(
        _("電話を見られる人"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    email = models.EmailField(_("メール"), blank=True)
    email_audience = models.CharField(
        _("メールを見られる人"), max_length=20, choices=Audience.choices, default=Audience.SIGNED_IN
    )
    url = models.URLField(_("ウェブサイト"), blank=True)
    url_audience = models.CharField(
        _("ウェブサイトを見られる人"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.EVERYONE,
    )
    languages = models.CharField(_("使える言語"), max_length=200, blank=True)
    accessibility = models.CharField(_("バリアフリー・配慮"), max_length=300, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    provider_organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provided_resources",
        verbose_name=_("提供する団体"),
    )
    provider_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provided_resources",
        verbose_name=_("提供する人"),
    )
    # A person who provides a resource decides whether their name is shown.
    provider_person_shown = models.BooleanField(_("提供する人の名前を載せる"), default=False)
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stewarded_resources",
        verbose_name=_("情報を更新する人"),
    )
    steward_organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stewarded_resources",
        verbose_name=_("情報を更新する団体"),
    )
    # A resource a platform is creating (社会資源開発): drafted while the platform works,
    # made active when it is archived if the closing step said it continues.
    created_by_platform = models.ForeignKey(
        "platforms.Platform",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_resources",
        verbose_name=_("生まれたプラットフォーム"),
    )
    continues = models.BooleanField(_("プラットフォームの終了後も続く"), null=True, blank=True)
    # The id in an imported list (a municipality's spreadsheet): importing the same
    # file again updates these rows instead of adding new ones.
    external_id = models.CharField(_("外部ID"), max_length=100, blank=True, default="")
    confirmed_at = models.DateField(_("最終確認日"), null=True, blank=True)
    offers_mask = models.PositiveSmallIntegerField(default=0, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The day the steward was last asked to confirm it (resources.reminders).
    confirm_reminded_on = models.DateField(null=True, blank=True, editable=False)
    search_text = models.TextField(editable=False, blank=True, default="")
    # search_text in two-character pieces, for two-character searches (common.text).
    search_bigrams = models.TextField(editable=False, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("社会資源")
        verbose_name_plural = _("社会資源")
        indexes = [
            # The directory reads its filters, facets and order from this index alone
            # (an index-only scan), not from the wide rows.
            models.Index(
                fields=[
                    "status",
                    "kind",
                    "municipality",
                    "area",
                    "formality",
                    "confirmed_at",
                    "offers_mask",
                    "name",
                    "id",
                ],
                name="resource_directory_cover",
            ),
            # The same, for a search by what a resource offers.
            models.Index(
                fields=[
                    "status",
                    "offers_mask",
                    "kind",
                    "municipality",
                    "area",
                    "formality",
                    "confirmed_at",
                    "name",
                    "id",
                ],
                name="resource_directory_offers",
            ),
            models.Index(fields=["municipality"]),
            models.Index(fields=["area"]),
            # The map's points in a box, read from the index alone.
            models.Index(
                fields=[
                    "latitude",
                    "longitude",
                    "status",
                    "kind",
                    "name",
                    "municipality",
                    "area",
                    "id",
                ],
                name="resource_map_point",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_min__lte=models.F("age_max")),
                name="resource_age_range_in_order",
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="one_resource_per_external_id",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resources:resource-detail", args=[self.pk])

    @property
    def offers(self) -> list[str]:
        return [offer for offer, bit in OFFER_BITS.items() if self.offers_mask & bit]

    @property
    def offer_labels(self) -> list[str]:
        return [str(Offer(offer).label) for offer in self.offers]


class ResourceRevision(models.Model):
    """What an edit changed: the fields and their values before, by whom, when."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="revisions")
    changed_fields = models.JSONField(default=list)
    before = models.JSONField(default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed = models.BooleanField(default=False)  # a one-click "still correct"
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.resource_id} @ {self.created_at}"


class PlatformResource(models.Model):
    """A platform's tie to a resource (活用・連携): it uses the resource, for what; or
    the resource funds it (the charter's "how much")."""

    class Use(models.TextChoices):
        USES = "uses", _("活用している")
        FUNDS = "funds", _("資金源")

    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.CASCADE, related_name="resource_links"
    )
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="platform_links")
    use = models.CharField(_("使い方"), max_length=10, choices=Use.choices, default=Use.USES)
    purpose = models.CharField(
        _("何のために"), max_length=200, blank=True, validators=[validate_single_line]
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "resource", "use"], name="one_link_per_platform_resource_use"
            )
        ]

    def __str__(self):
        return f"{self.platform_id} {self.use} {self.resource_id}"


class ResourceQuestion(models.Model):
    """A question to a resource's steward, answered on the hub: neither side's email
    address is shown to the other."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="questions")
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_questions"
    )
    text = models.TextField(_("質問"), max_length=1000)
    answer = models.TextField(_("回答"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.resource_id} ? {self.pk}"


class GapStatus(models.TextChoices):
    OPEN = "open", _("まだない")
    ADDRESSED = "addressed", _("つくる動きがある")
    CLOSED = "closed", _("解消した")


class Gap(models.Model):
    """A resource that is missing (足りない社会資源): what is needed, where, for whom.
    Never a case record: no names, no addresses of people, no contacts."""

    need = models.CharField(_("足りないもの"), max_length=120, validators=[validate_single_line])
    description = models.TextField(_("くわしく"), max_length=1000, blank=True)
    for_whom = models.CharField(_("だれのために"), max_length=200, blank=True)
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices, blank=True)
    municipality = models.CharField(_("市区町村"), max_length=60)
    area = models.CharField(
        _("日常生活圏域"), max_length=100, blank=True, help_text=_("例：第三中学校区")
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=GapStatus.choices, default=GapStatus.OPEN
    )
    # The platform launched to create what is missing (「なければつくる」).
    platform = models.ForeignKey(
        "platforms.Platform",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gaps_addressed",
    )
    search_text = models.TextField(editable=False, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("足りない社会資源")
        verbose_name_plural = _("足りない社会資源")
        ordering = ["municipality", "area", "-created_at", "pk"]

    def __str__(self):
        return self.need

    def get_absolute_url(self):
        return reverse("resources:gap-detail", args=[self.pk])


class GapNote(models.Model):
    """One person saying "this is missing here too" (the count beside a gap)."""

    gap = models.ForeignKey(Gap, on_delete=models.CASCADE, related_name="notes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gap", "user"], name="one_note_per_person")]

    def __str__(self):
        return f"{self.gap_id} + {self.user_id}"


class ResourceImport(models.Model):
    """An uploaded list waiting to be confirmed: its rows as read, each with its errors.
    Nothing is in the directory until the person who uploaded it confirms, and then
    every row goes in at once or none does."""

    class State(models.TextChoices):
        PREVIEW = "preview", _("確認待ち")
        APPLIED = "applied", _("取り込み済み")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("提供・更新する団体"),
    )
    filename = models.CharField(max_length=200)
    # [{"line", "data", "offers", "external_id", "action", "errors"}], as read.
    rows = models.JSONField(default=list)
    error_count = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEW)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.filename} ({self.state})"
