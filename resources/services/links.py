"""Platforms using resources (活用・連携): a coordinator links an available resource to
their live platform, with what for, or names it as a source of funding (the
charter's "how much"); the resource's steward hears of it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from notifications.services import notify
from platforms.permissions import is_coordinator, role_of
from platforms.services import require_writable
from platforms.services.guards import locked

from .. import notices
from ..models import Kind, PlatformResource, Resource
from ..permissions import LINKABLE_STATUSES
from ..selectors import steward_people


def require_linkable(resource: Resource) -> None:
    """A platform starts using a resource that is available now."""
    if resource.status not in LINKABLE_STATUSES:
        raise PermissionDenied(_("「利用できる」か「休止中」の社会資源だけをつなげられます。"))


def require_linker_of_some_platform(platforms) -> None:
    """The page to propose a resource is for coordinators of a live platform."""
    if not platforms:
        raise PermissionDenied(
            _("社会資源をつなげられるのは、進行中のプラットフォームのコーディネーターです。")
        )


def _require_linker(actor, platform) -> None:
    if not is_coordinator(role_of(actor, platform)):
        raise PermissionDenied(
            _("社会資源をプラットフォームにつなげるのはコーディネーターだけです。")
        )
    require_writable(platform)


@transaction.atomic
def platform_resource_link(
    *, actor, platform, resource: Resource, use: str = PlatformResource.Use.USES, purpose=""
) -> PlatformResource:
    """Links the resource to the platform (or updates what it is for). Funding links
    name funding resources only."""
    platform = locked(platform)
    _require_linker(actor, platform)
    resource = Resource.objects.get(pk=resource.pk)
    require_linkable(resource)
    if use not in PlatformResource.Use.values:
        raise ValidationError(_("使い方を選んでください。"))
    if use == PlatformResource.Use.FUNDS and resource.kind != Kind.FUNDING:
        raise ValidationError(_("資金源にできるのは、種類が「資金」の社会資源だけです。"))
    purpose = (purpose or "").strip()
    link = PlatformResource.objects.filter(platform=platform, resource=resource, use=use).first()
    if link is not None:
        link.purpose = purpose
        link.full_clean()
        link.save(update_fields=["purpose"])
        return link
    link = PlatformResource(
        platform=platform, resource=resource, use=use, purpose=purpose, added_by=actor
    )
    link.full_clean()
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:  # the same link, added at the same moment by someone else
        return PlatformResource.objects.get(platform=platform, resource=resource, use=use)
    notify(
        recipients=steward_people(resource),
        kind=notices.RESOURCE_LINKED,
        platform=platform,
        actor=actor,
        data={"resource_name": resource.name, "purpose": purpose},
        url=resource.get_absolute_url(),
    )
    return link


@transaction.atomic
def platform_resource_unlink(*, actor, platform, link: PlatformResource) -> None:
    platform = locked(platform)
    _require_linker(actor, platform)
    PlatformResource.objects.filter(pk=link.pk, platform=platform).delete()
