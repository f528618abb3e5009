from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from resources.models import Resource


class BoardTemplate(models.TextChoices):
    INTERMEDIATE_EMPLOYMENT = "intermediate_employment", _("中間的就労")
    COMMUNITY_BUSINESS = "community_business", _("コミュニティビジネス")
    BLANK = "blank", _("白紙")


# Column names each template starts with, in order.
TEMPLATE_COLUMNS = {
    BoardTemplate.INTERMEDIATE_EMPLOYMENT: [
        _("相談・アセスメント"),
        _("職場開拓"),
        _("体験・訓練"),
        _("就労中"),
        _("定着支援"),
    ],
    BoardTemplate.COMMUNITY_BUSINESS: [
        _("アイデア"),
        _("企画(5W2H)"),
        _("試作"),
        _("販売"),
        _("振り返り"),
    ],
    BoardTemplate.BLANK: [_("やること"), _("進行中"), _("完了")],
}


class PositionField(models.CharField):
    """A fractional-index key (tasks.ordering). Keys mix upper and lower case and must
    sort byte-wise, whatever the database's locale: the "C" collation on PostgreSQL,
    BINARY on SQLite. Declared here so a migration keeps it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        parameters["collation"] = "C" if connection.vendor == "postgresql" else "BINARY"
        return parameters


class Board(models.Model):
    """A platform's kanban. `seq` counts its changes: every change bumps it and stores a
    BoardEvent with that number, which is what clients replay from."""

    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.CASCADE, related_name="boards"
    )
    name = models.CharField(_("ボード名"), max_length=100)
    template = models.CharField(
        _("ひな形"), max_length=40, choices=BoardTemplate.choices, default=BoardTemplate.BLANK
    )
    seq = models.BigIntegerField(default=0)
    archived = models.BooleanField(_("アーカイブ済み"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ボード")
        verbose_name_plural = _("ボード")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tasks:board-detail", args=[self.platform_id, self.pk])


class Column(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="columns")
    name = models.CharField(_("列の名前"), max_length=60)
    position = PositionField()
    wip_limit = models.PositiveSmallIntegerField(_("WIP制限"), null=True, blank=True)
    goal = models.ForeignKey(
        "platforms.Goal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="columns",
        verbose_name=_("連動する目標"),
    )
    archived = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("列")
        verbose_name_plural = _("列")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class Label(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(_("ラベル"), max_length=30)

    class Meta:
        verbose_name = _("ラベル")
        verbose_name_plural = _("ラベル")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["board", "name"], name="one_label_name_per_board")
        ]

    def __str__(self):
        return self.name


class CardQuerySet(models.QuerySet):
    def for_payload(self):
        """With everything tasks.events.card_payload reads, in a fixed number of
        queries."""
        return (
            self.select_related("column")
            .prefetch_related(
                "assignees",
                "labels",
                "checklist",
                models.Prefetch("claims", queryset=HelperClaim.objects.select_related("user")),
                models.Prefetch("resources", queryset=Resource.objects.only("pk", "name")),
            )
            .annotate(comment_count=models.Count("comments", distinct=True))
        )


class Card(models.Model):
    """A piece of work. `version` rises with every edit of the card's fields (title,
    description, due date, labels, assignees, confidentiality, helper slots wanted) so
    a save made against an old version is caught as a conflict instead of overwriting
    someone else's change. Moves, checklist ticks, claims and comments leave it."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="cards")
    column = models.ForeignKey(Column, on_delete=models.CASCADE, related_name="cards")
    position = PositionField()
    title = models.CharField(_("タイトル"), max_length=200)
    description = models.TextField(_("説明"), max_length=5000, blank=True)
    due_date = models.DateField(_("期日"), null=True, blank=True)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_cards", verbose_name=_("担当")
    )
    labels = models.ManyToManyField(
        Label, blank=True, related_name="cards", verbose_name=_("ラベル")
    )
    # People told about its comments besides the assignees (notifications).
    watchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="watched_cards",
        verbose_name=_("ウォッチ"),
    )
    # Social resources the card's work uses (from those its platform is linked to).
    resources = models.ManyToManyField(
        "resources.Resource", blank=True, related_name="cards", verbose_name=_("社会資源")
    )
    confidential = models.BooleanField(
        _("個人情報を含む（コーディネーターと担当者だけが見られる）"), default=False
    )
    helpers_needed = models.PositiveSmallIntegerField(_("募集する手伝いの人数"), default=0)
    helper_skills = models.CharField(_("求めるスキル"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    archived = models.BooleanField(default=False)
    # The card's event payload as of its last content change, minus the fields a move
    # changes (column, position, archived). Kept by tasks.services so a move, the
    # most frequent change, publishes without re-reading the card's relations; the
    # names in it are looked up again when a move is published.
    payload_cache = models.JSONField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        verbose_name = _("カード")
        verbose_name_plural = _("カード")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["board", "archived"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("tasks:card-detail", args=[self.board.platform_id, self.board_id, self.pk])


class ChecklistItem(models.Model):
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="checklist")
    text = models.CharField(_("項目"), max_length=200)
    done = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class Comment(models.Model):
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("コメント"), max_length=2000)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:40]


class HelperClaim(models.Model):
    """A member who took one of a card's helper slots."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["card", "user"], name="one_claim_per_person")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.card_id}"


class BoardEvent(models.Model):
    """One change of a board, numbered by the board's seq. The payload is the full
    content; tasks.events redacts it per reader."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="events")
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    card = models.ForeignKey(
        Card, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["board", "seq"], name="one_event_per_seq")]

    def __str__(self):
        return f"{self.board_id}#{self.seq} {self.kind}"
