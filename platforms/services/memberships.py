"""Who takes part: leaving, removal by a coordinator, and roles. A platform never
loses its last coordinator. The boards' sockets hear of it on the platform's live
channel (platforms.live)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.services import notify

from .. import live, notices
from ..models import Membership, Platform, PlatformEvent, Role
from .guards import (
    coordinator_count,
    event_record,
    locked,
    require_member,
    require_member_remover,
    require_role_changer,
    require_writable,
)

Kind = PlatformEvent.Kind


@transaction.atomic
def membership_leave(*, actor, platform: Platform) -> None:
    """Leaves the platform. The last coordinator must hand over first."""
    platform = locked(platform)
    require_member(actor, platform)
    require_writable(platform)
    membership = Membership.objects.filter(platform=platform, user=actor).first()
    if membership is None:
        raise ValidationError(_("このプラットフォームには参加していません。"))
    if membership.role == Role.COORDINATOR and coordinator_count(platform) == 1:
        raise ValidationError(
            _(
                "最後のコーディネーターは抜けられません。先に他の参加者をコーディネーターにしてください。"
            )
        )
    membership.delete()
    event_record(platform=platform, kind=Kind.MEMBER_LEFT, actor=actor)
    live.announce_member_gone(platform, actor.pk, "left")


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """A coordinator removes another participant (not themselves: that is leaving)."""
    platform = locked(membership.platform)
    require_member_remover(actor, platform)
    membership = Membership.objects.filter(pk=membership.pk).select_related("user").first()
    if membership is None:
        raise ValidationError(_("この方はすでに参加者ではありません。"))
    if membership.user_id == actor.pk:
        raise ValidationError(_("自分を外すには「退出する」を使ってください。"))
    if membership.role == Role.COORDINATOR and coordinator_count(platform) == 1:
        raise ValidationError(_("最後のコーディネーターは外せません。"))
    subject = membership.user
    membership.delete()
    live.announce_member_gone(platform, subject.pk, "removed")
    event_record(
        platform=platform,
        kind=Kind.MEMBER_REMOVED,
        actor=actor,
        subject=subject,
        data={"name": subject.name},
    )
    notify(
        recipients=[subject],
        kind=notices.REMOVED,
        platform=platform,
        actor=actor,
        url=reverse("platforms:dashboard"),
    )


@transaction.atomic
def membership_role_change(*, actor, membership: Membership, role: str) -> Membership:
    """A coordinator changes a participant's role: promote to coordinator, make an
    observer, or hand over (a coordinator may step down while another remains)."""
    platform = locked(membership.platform)
    require_role_changer(actor, platform)
    if role not in Role.values:
        raise ValidationError(_("指定された役割はありません。"))
    membership = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if membership is None:
        raise ValidationError(_("この方はすでに参加者ではありません。"))
    if membership.role == role:
        return membership
    if membership.role == Role.COORDINATOR and coordinator_count(platform) == 1:
        raise ValidationError(
            _(
                "最後のコーディネーターの役割は変えられません。先に他の参加者をコーディネーターにしてください。"
            )
        )
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    live.announce_role_changed(platform, membership.user_id)
    event_record(
        platform=platform,
        kind=Kind.ROLE_CHANGED,
        actor=actor,
        subject=membership.user,
        data={"from": before, "to": role},
    )
    if role == Role.COORDINATOR:
        notify(
            recipients=[membership.user],
            kind=notices.MADE_COORDINATOR,
            platform=platform,
            actor=actor,
        )
    return membership
