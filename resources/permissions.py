"""Who may read and change a resource, and who may see each of its contacts.

Anyone, signed in or not, reads a resource that is active, paused or ended; a draft is
for those who may edit it. Editors are staff, the steward, the administrators of the
providing or stewarding organisation and, while a platform is creating the resource,
that platform's coordinators. A contact is shown to the audience its provider chose
(everyone, signed-in people, or members of linked platforms); editors always see it.
Linked platforms are the live ones that use the resource or are creating it: when a
platform ends, its members stop seeing contacts meant for the people working with it.
Coordinators link resources to their own live platforms."""

from django.db.models import Q
from django.http import Http404

from common.ids import parse_id
from members.models import OrganisationMembership
from members.permissions import is_organisation_admin
from platforms.models import ENDED_STATUSES, Membership, Platform, Role
from platforms.permissions import is_contributor, is_coordinator, is_writable

from .models import Audience, Gap, PlatformResource, Resource, Status

PUBLISHED_STATUSES = (Status.ACTIVE, Status.PAUSED, Status.ENDED)
# A platform may start using a resource that is available now.
LINKABLE_STATUSES = (Status.ACTIVE, Status.PAUSED)


def _coordinates_creating_platform(user, resource: Resource) -> bool:
    platform_id = resource.created_by_platform_id
    return bool(
        platform_id
        and Membership.objects.filter(
            platform_id=platform_id,
            user=user,
            role=Role.COORDINATOR,
        )
        .exclude(platform__status__in=ENDED_STATUSES)
        .exists()
    )


def can_edit_resource(user, resource: Resource) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or resource.steward_id == user.pk:
        return True
    if any(
        organisation is not None and is_organisation_admin(user, organisation)
        for organisation in (resource.provider_organisation, resource.steward_organisation)
    ):
        return True
    return _coordinates_creating_platform(user, resource)


def can_read_resource(user, resource: Resource) -> bool:
    return resource.status in PUBLISHED_STATUSES or can_edit_resource(user, resource)


def access_resource(user, resource_id) -> tuple[Resource, bool]:
    """(resource, whether the reader may edit it); a 404 for a missing resource and for
    a draft the reader may not see alike."""
    try:
        resource = Resource.objects.select_related(
            "provider_organisation", "provider_person", "steward", "steward_organisation"
        ).get(pk=parse_id(resource_id))
    except (Resource.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    editable = can_edit_resource(user, resource)
    if resource.status not in PUBLISHED_STATUSES and not editable:
        raise Http404
    return resource, editable


def linked_platforms(resource: Resource):
    """The live platforms working with the resource: using it, funded by it, or
    creating it."""
    return Platform.objects.exclude(status__in=ENDED_STATUSES).filter(
        Q(resource_links__resource=resource) | Q(created_resources=resource)
    )


def is_linked_member(user, resource: Resource) -> bool:
    """Whether the reader belongs to a live platform working with the resource (one
    query)."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, platform__in=linked_platforms(resource).values("pk")
    ).exists()


def can_see_contact(user, audience: str, *, editable: bool, linked: bool) -> bool:
    if editable or audience == Audience.EVERYONE:
        return True
    if audience == Audience.SIGNED_IN:
        return user.is_authenticated
    return linked


def contact_audiences(resource: Resource) -> set[str]:
    return {
        getattr(resource, f"{field}_audience")
        for field in ("phone", "email", "url")
        if getattr(resource, field)
    }


def visible_contacts(user, resource: Resource, *, editable: bool) -> list[tuple[str, str, str]]:
    """(kind, label, value) of the contacts this reader may see. Whether the reader is
    in a linked platform is asked only when a contact is kept to them."""
    linked = (
        not editable
        and Audience.LINKED in contact_audiences(resource)
        and is_linked_member(user, resource)
    )
    contacts = []
    for field in ("phone", "email", "url"):
        value = getattr(resource, field)
        if value and can_see_contact(
            user, getattr(resource, f"{field}_audience"), editable=editable, linked=linked
        ):
            contacts.append((field, Resource._meta.get_field(field).verbose_name, value))
    return contacts


def can_link_resource(role, platform, resource: Resource) -> bool:
    """A coordinator of a live platform links an available resource to it."""
    return is_coordinator(role) and is_writable(platform) and resource.status in LINKABLE_STATUSES


def can_draft_for_platform(role, platform) -> bool:
    """Coordinators and members of a live platform draft what it is creating."""
    return is_contributor(role) and is_writable(platform)


def access_platform_link(platform, link_id) -> PlatformResource:
    try:
        return PlatformResource.objects.select_related("resource").get(
            platform=platform, pk=parse_id(link_id)
        )
    except (PlatformResource.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def access_gap(gap_id) -> Gap:
    """Gaps are for everyone to read: what is missing, never who needs it."""
    try:
        return Gap.objects.select_related("platform").get(pk=parse_id(gap_id))
    except (Gap.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


class ContactReader:
    """visible_contacts for many resources at once (a list, a printed map, an export):
    what makes a reader an editor or a member of a linked platform is read once for
    the whole set (two queries), not once per resource."""

    def __init__(self, user, resource_ids):
        self.user = user
        self.admin_of: set[int] = set()
        self.linked: set[int] = set()
        self.coordinating: set[int] = set()
        if not user.is_authenticated:
            return
        self.admin_of = set(
            OrganisationMembership.objects.filter(
                user=user,
                status=OrganisationMembership.Status.ACTIVE,
                role=OrganisationMembership.Role.ADMIN,
            ).values_list("organisation_id", flat=True)
        )
        live = Membership.objects.filter(user=user).exclude(platform__status__in=ENDED_STATUSES)
        platform_ids = set(live.values_list("platform_id", flat=True))
        self.coordinating = set(
            live.filter(role=Role.COORDINATOR).values_list("platform_id", flat=True)
        )
        ids = list(resource_ids)
        self.linked = set(
            PlatformResource.objects.filter(
                resource_id__in=ids, platform_id__in=platform_ids
            ).values_list("resource_id", flat=True)
        ) | set(
            Resource.objects.filter(
                pk__in=ids, created_by_platform_id__in=platform_ids
            ).values_list("pk", flat=True)
        )

    def editable(self, resource: Resource) -> bool:
        user = self.user
        if not user.is_authenticated:
            return False
        return (
            user.is_staff
            or resource.steward_id == user.pk
            or resource.provider_organisation_id in self.admin_of
            or resource.steward_organisation_id in self.admin_of
            or resource.created_by_platform_id in self.coordinating
        )

    def contacts(self, resource: Resource) -> list[tuple[str, str, str]]:
        editable = self.editable(resource)
        linked = resource.pk in self.linked
        return [
            (field, Resource._meta.get_field(field).verbose_name, getattr(resource, field))
            for field in ("phone", "email", "url")
            if getattr(resource, field)
            and can_see_contact(
                self.user,
                getattr(resource, f"{field}_audience"),
                editable=editable,
                linked=linked,
            )
        ]
