"""Missing resources (足りない社会資源): anyone signed in records what is needed, where
and for whom, and others add "here too"; a platform launched from a gap sets out to
create it (「なければつくる」). A gap is never a case record: text that carries a
phone number or an email address is refused."""

import re
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.text import search_key
from platforms.models import ENDED_STATUSES
from platforms.services import platform_launch

from ..models import Gap, GapNote, GapStatus

GAP_FIELDS = ("need", "description", "for_whom", "kind", "municipality", "area")
# After NFKC: a Japanese phone number (0X-XXXX-XXXX, 090XXXXXXXX) or an email address.
_PHONE = re.compile(r"0\d{1,4}[-(（ ]?\d{1,4}[-)） ]?\d{3,4}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PERSONAL_MESSAGE = _(
    "電話番号やメールアドレスは書けません。足りない社会資源には、個人が分かることを書かないでください。"
)


def _require_no_contact(data: dict) -> None:
    errors = {}
    for field in ("need", "description", "for_whom"):
        text = unicodedata.normalize("NFKC", str(data.get(field) or ""))
        if _PHONE.search(text) or _EMAIL.search(text):
            errors[field] = PERSONAL_MESSAGE
    if errors:
        raise ValidationError(errors)


def _refresh_search_text(gap: Gap) -> None:
    gap.search_text = search_key(gap.need, gap.description, gap.for_whom, gap.area)


@transaction.atomic
def gap_record(*, actor, data: dict) -> Gap:
    if not actor.is_authenticated:
        raise PermissionDenied(_("足りない社会資源を記録するにはログインしてください。"))
    _require_no_contact(data)
    gap = Gap(created_by=actor, **{name: data[name] for name in GAP_FIELDS if name in data})
    gap.municipality = gap.municipality.strip()
    gap.area = gap.area.strip()
    _refresh_search_text(gap)
    gap.full_clean()
    gap.save()
    GapNote.objects.create(gap=gap, user=actor)
    return gap


@transaction.atomic
def gap_note(*, actor, gap: Gap) -> bool:
    """「ここでも足りない」: counted once per person. True when it was new."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("記録するにはログインしてください。"))
    if gap.status == GapStatus.CLOSED:
        raise ValidationError(_("この足りない社会資源は解消済みです。"))
    try:
        with transaction.atomic():
            GapNote.objects.create(gap=gap, user=actor)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def gap_launch_platform(*, actor, gap: Gap, data: dict, goals=None):
    """Launches a platform to create what the gap says is missing; the launcher is its
    coordinator, and the gap shows the platform working on it."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("プラットフォームを立ち上げるにはログインしてください。"))
    gap = Gap.objects.select_for_update(of=("self",)).select_related("platform").get(pk=gap.pk)
    if gap.status == GapStatus.CLOSED:
        raise ValidationError(_("この足りない社会資源は解消済みです。"))
    if gap.platform is not None and gap.platform.status not in ENDED_STATUSES:
        raise ValidationError(
            _("この足りない社会資源には、すでに「%(name)s」が取り組んでいます。")
            % {"name": gap.platform.name}
        )
    platform = platform_launch(actor=actor, data=data, goals=goals)
    gap.platform = platform
    gap.status = GapStatus.ADDRESSED
    gap.save(update_fields=["platform", "status"])
    return platform
