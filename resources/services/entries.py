"""Every change to a resource: create (a draft, by anyone signed in), edit (by its
editors, each edit a revision of what changed), confirm (one click: still correct).
Refusals: PermissionDenied for who may not, ValidationError for the input."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import bigram_key, search_key

from ..models import EDITABLE_FIELDS, Resource, ResourceRevision, Status, offers_mask
from ..permissions import can_edit_resource


def require_resource_editor(actor, resource: Resource) -> None:
    if not can_edit_resource(actor, resource):
        raise PermissionDenied(
            _("この社会資源を編集できるのは、情報を更新する人と提供する団体の管理者です。")
        )


def refresh_search_text(resource: Resource) -> None:
    resource.search_text = search_key(
        resource.name,
        resource.description,
        resource.eligibility,
        resource.municipality,
        resource.area,
        resource.address,
        resource.provider_organisation.name if resource.provider_organisation else "",
    )
    resource.search_bigrams = bigram_key(resource.search_text)


def _require_steward_when_active(resource: Resource) -> None:
    if resource.status == Status.ACTIVE and not (
        resource.steward_id or resource.steward_organisation_id
    ):
        raise ValidationError(
            {"status": _("情報を更新する人か団体を決めてから「利用できる」にしてください。")}
        )


@transaction.atomic
def _set_personal_provider(actor, resource: Resource, choice: str | None) -> None:
    """「わたしが提供する」: only the person themselves, and they choose whether their
    name is shown. None leaves it as it is."""
    if choice is None:
        return
    if resource.provider_person_id and resource.provider_person_id != actor.pk:
        raise PermissionDenied(_("提供する人の表示を変えられるのは、その人だけです。"))
    if choice not in ("", "shown", "hidden"):
        raise ValidationError({"personal_provider": _("選び直してください。")})
    resource.provider_person = actor if choice else None
    resource.provider_person_shown = choice == "shown"


def resource_create(
    *,
    actor,
    data: dict,
    offers=(),
    created_by_platform=None,
    external_id: str = "",
    personal_provider: str | None = None,
) -> Resource:
    """A new resource: a draft, kept current by the person who wrote it until they
    hand it on. `created_by_platform` is for platforms.services.creating, which checks
    the actor's place in it."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("社会資源を登録するにはログインしてください。"))
    resource = Resource(
        created_by=actor,
        steward=actor,
        created_by_platform=created_by_platform,
        external_id=external_id,
    )
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(resource, name, data[name])
    resource.status = Status.DRAFT
    resource.offers_mask = offers_mask(offers)
    _set_personal_provider(actor, resource, personal_provider)
    refresh_search_text(resource)
    resource.full_clean()
    resource.save()
    return resource


def _value(resource: Resource, name: str):
    value = getattr(resource, f"{name}_id" if name.endswith("organisation") else name)
    return str(value) if value is not None and not isinstance(value, (str, int, bool)) else value


@transaction.atomic
def resource_update(
    *, actor, resource: Resource, data: dict, offers=None, personal_provider: str | None = None
) -> Resource:
    """Edits what `data` holds; the revision keeps the fields that changed and their
    values before. An active resource needs someone to keep it current."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    require_resource_editor(actor, resource)
    before = {name: _value(resource, name) for name in EDITABLE_FIELDS}
    before_provider = (resource.provider_person_id, resource.provider_person_shown)
    before_offers = sorted(resource.offers)
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(resource, name, data[name])
    _set_personal_provider(actor, resource, personal_provider)
    _require_steward_when_active(resource)
    refresh_search_text(resource)
    resource.full_clean()
    changed = [name for name in EDITABLE_FIELDS if _value(resource, name) != before[name]]
    if (resource.provider_person_id, resource.provider_person_shown) != before_provider:
        changed.append("provider_person")
    if offers is not None and sorted(offers) != before_offers:
        changed.append("offers")
    if not changed:
        return resource
    if offers is not None:
        resource.offers_mask = offers_mask(offers)
    resource.save()
    ResourceRevision.objects.create(
        resource=resource,
        actor=actor,
        changed_fields=changed,
        before={name: before[name] for name in changed if name in before}
        | ({"offers": before_offers} if "offers" in changed else {}),
    )
    return resource


@transaction.atomic
def resource_confirm(*, actor, resource: Resource) -> Resource:
    """「この情報は今も正しい」: the last confirmed date becomes today."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    require_resource_editor(actor, resource)
    resource.confirmed_at = timezone.localdate()
    resource.confirmed_by = actor
    resource.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
    ResourceRevision.objects.create(resource=resource, actor=actor, confirmed=True)
    return resource
