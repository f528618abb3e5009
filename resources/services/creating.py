"""Resources a platform creates (社会資源開発), and what becomes of them when the
platform dissolves. Members draft them while the platform works; at closing the
coordinators say which continue and who will steward each; archiving makes those
active directory entries that say where they came from. The platform ends; the
resource does not. A created resource that continues without a steward stops the
archive (platforms.closing), inside the archiving transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platforms.models import Status as PlatformStatus
from platforms.permissions import is_coordinator, role_of
from platforms.services import require_writable
from platforms.services.guards import locked

from ..models import Resource, ResourceRevision, Status
from ..permissions import can_draft_for_platform
from ..selectors import steward_choices
from .entries import resource_create


def _created(platform):
    return Resource.objects.filter(created_by_platform=platform).order_by("pk")


def require_drafter(actor, platform) -> None:
    if not can_draft_for_platform(role_of(actor, platform), platform):
        require_writable(platform)
        raise PermissionDenied(
            _("つくる社会資源を書けるのは、このプラットフォームのコーディネーターとメンバーです。")
        )


@transaction.atomic
def created_resource_draft(*, actor, platform, data: dict, offers=()) -> Resource:
    platform = locked(platform)
    require_drafter(actor, platform)
    return resource_create(actor=actor, data=data, offers=offers, created_by_platform=platform)


@transaction.atomic
def created_resource_plan(
    *, actor, platform, resource: Resource, continues: bool, steward_id=None, organisation_id=None
) -> Resource:
    """Whether a created resource continues after the platform, and who keeps it
    current: a member of the platform, or an organisation of its members."""
    platform = locked(platform)
    if not is_coordinator(role_of(actor, platform)):
        raise PermissionDenied(_("つくった社会資源のこれからを決めるのはコーディネーターです。"))
    if platform.status == PlatformStatus.ARCHIVED:
        require_writable(platform)  # a cancelled platform still settles this before archiving
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.created_by_platform_id != platform.pk or resource.status != Status.DRAFT:
        raise ValidationError(_("このプラットフォームでつくっている下書きではありません。"))
    people, organisations = steward_choices(platform)
    steward = next((p for p in people if p.pk == steward_id), None)
    organisation = next((o for o in organisations if o.pk == organisation_id), None)
    if steward_id and steward is None:
        raise ValidationError({"steward": _("このプラットフォームの参加者から選んでください。")})
    if organisation_id and organisation is None:
        raise ValidationError({"steward_organisation": _("参加者の団体から選んでください。")})
    if continues and steward is None and organisation is None:
        raise ValidationError(
            {"steward": _("続ける社会資源には、情報を更新する人か団体を決めてください。")}
        )
    before = {
        "continues": resource.continues,
        "steward": resource.steward_id,
        "steward_organisation": resource.steward_organisation_id,
    }
    resource.continues = continues
    if steward is not None or organisation is not None:
        resource.steward = steward
        resource.steward_organisation = organisation
    resource.save(update_fields=["continues", "steward", "steward_organisation", "updated_at"])
    changed = [
        name
        for name, value in before.items()
        if value != getattr(resource, name if name == "continues" else f"{name}_id")
    ]
    if changed:
        ResourceRevision.objects.create(
            resource=resource,
            actor=actor,
            changed_fields=changed,
            before={name: before[name] for name in changed},
        )
    return resource


def created_resources_problems(platform) -> list[str]:
    """What must be settled before the platform is archived (platforms.closing)."""
    problems = []
    for resource in _created(platform).filter(status=Status.DRAFT):
        if resource.continues is None:
            problems.append(
                _("つくった社会資源「%(name)s」を続けるかどうか決めてください。")
                % {"name": resource.name}
            )
        elif resource.continues and not (resource.steward_id or resource.steward_organisation_id):
            problems.append(
                _("続ける社会資源「%(name)s」の情報を更新する人か団体を決めてください。")
                % {"name": resource.name}
            )
    return problems


def created_resources_archive(platform, actor) -> None:
    """On archive: the created resources that continue become active, confirmed
    today by the coordinator who archived the platform."""
    today = timezone.localdate()
    for resource in _created(platform).filter(status=Status.DRAFT, continues=True):
        resource.status = Status.ACTIVE
        resource.confirmed_at = today
        resource.confirmed_by = actor
        resource.save(update_fields=["status", "confirmed_at", "confirmed_by", "updated_at"])
        ResourceRevision.objects.create(
            resource=resource,
            actor=actor,
            changed_fields=["status"],
            before={"status": Status.DRAFT},
        )
