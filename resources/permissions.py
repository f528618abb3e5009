"""Who may read and change a resource, and who may see each of its contacts.

Anyone, signed in or not, reads a resource that is active, paused or ended; a draft is
for those who may edit it. Editors are staff, the steward, the administrators of the
providing or stewarding organisation and, while a platform is creating the resource,
that platform's coordinators. A contact is shown to the audience its provider chose
(everyone, signed-in people, or members of linked platforms); editors always see it.
Linked platforms are the live ones that use the resource or are creating it: when a
platform ends, its members stop seeing contacts meant for the people working with it.
Coordinators link resources to their own live platforms."""

from functools import cached_property

from django.db.models import Q
from django.http import Http404

from common.ids import parse_id
from members.selectors import administered_organisation_ids
from platforms.models import ENDED_STATUSES, Membership
from platforms.permissions import is_contributor, is_writable
from platforms.selectors import platform_list_coordinated

from .models import (
    Audience,
    Gap,
    PlatformResource,
    Resource,
    ResourceImport,
    ResourceQuestion,
    Status,
)

PUBLISHED_STATUSES = (Status.ACTIVE, Status.PAUSED, Status.ENDED)
# A platform may start using a resource that is available now.
LINKABLE_STATUSES = (Status.ACTIVE, Status.PAUSED)
CONTACT_FIELDS = ("phone", "email", "url")


class ResourceRights:
    """Who edits a resource, for one reader: the one rule, with what it needs to know
    about the reader (the organisations they administer, the live platforms they
    coordinate) read once, when first needed, for one resource or a whole list."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def administered(self) -> set[int]:
        return set(
            administered_organisation_ids(user=self.user).values_list("organisation_id", flat=True)
        )

    @cached_property
    def coordinating(self) -> set[int]:
        return set(platform_list_coordinated(user=self.user).values_list("pk", flat=True))

    def editable(self, resource: Resource) -> bool:
        user = self.user
        if not user.is_authenticated:
            return False
        if user.is_staff or resource.steward_id == user.pk:
            return True
        organisations = {resource.provider_organisation_id, resource.steward_organisation_id}
        if organisations.difference({None}).intersection(self.administered):
            return True
        return (
            resource.created_by_platform_id is not None
            and resource.created_by_platform_id in self.coordinating
        )


def can_edit_resource(user, resource: Resource) -> bool:
    return ResourceRights(user).editable(resource)


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


def can_see_contact(user, audience: str, *, editable: bool, linked: bool) -> bool:
    if editable or audience == Audience.EVERYONE:
        return True
    if audience == Audience.SIGNED_IN:
        return user.is_authenticated
    return linked


class ContactReader:
    """Which contacts a reader sees, for one resource or a whole list (a printed map,
    an export): editors see all; a contact kept for linked platforms shows to members
    of the live platforms using or creating the resource, which is read (one query)
    only when such a contact is met."""

    def __init__(self, user, resource_ids, rights: ResourceRights | None = None):
        self.user = user
        self.ids = list(resource_ids)
        self.rights = rights or ResourceRights(user)

    @cached_property
    def linked(self) -> set[int]:
        if not self.user.is_authenticated:
            return set()
        live = (
            Membership.objects.filter(user=self.user)
            .exclude(platform__status__in=ENDED_STATUSES)
            .values("platform_id")
        )
        return set(
            Resource.objects.filter(pk__in=self.ids)
            .filter(Q(platform_links__platform__in=live) | Q(created_by_platform__in=live))
            .values_list("pk", flat=True)
        )

    def contacts(self, resource: Resource, *, editable: bool | None = None):
        """(kind, label, value) of the contacts this reader may see."""
        if editable is None:
            editable = self.rights.editable(resource)
        shown = []
        for field in CONTACT_FIELDS:
            value = getattr(resource, field)
            audience = getattr(resource, f"{field}_audience")
            linked = audience == Audience.LINKED and not editable and resource.pk in self.linked
            if value and can_see_contact(self.user, audience, editable=editable, linked=linked):
                shown.append((field, Resource._meta.get_field(field).verbose_name, value))
        return shown


def visible_contacts(user, resource: Resource, *, editable: bool) -> list[tuple[str, str, str]]:
    return ContactReader(user, [resource.pk]).contacts(resource, editable=editable)


def can_propose(resource: Resource, coordinated_platforms) -> bool:
    """Whether to offer "use it in my platform": an available resource, and a reader
    who coordinates a live platform."""
    return resource.status in LINKABLE_STATUSES and bool(coordinated_platforms)


def can_draft_for_platform(role, platform) -> bool:
    """Coordinators and members of a live platform draft what it is creating."""
    return is_contributor(role) and is_writable(platform)


def _one_or_404(queryset, object_id):
    try:
        return queryset.get(pk=parse_id(object_id))
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def access_platform_link(platform, link_id) -> PlatformResource:
    return _one_or_404(
        PlatformResource.objects.select_related("resource").filter(platform=platform), link_id
    )


def access_gap(gap_id) -> Gap:
    """Gaps are for everyone to read: what is missing, never who needs it."""
    return _one_or_404(Gap.objects.select_related("platform"), gap_id)


def access_question(resource: Resource, question_id, *, editable: bool) -> ResourceQuestion:
    """A question is its asker's and the editors' only: to answer, an editor's."""
    if not editable:
        raise Http404
    return _one_or_404(ResourceQuestion.objects.filter(resource=resource), question_id)


def access_created_resource(platform, resource_id) -> Resource:
    """A resource the platform is creating (the platform's access is checked first)."""
    return _one_or_404(Resource.objects.filter(created_by_platform=platform), resource_id)


def access_import(user, batch_id) -> ResourceImport:
    """An import's preview is its uploader's only: the same 404 for anyone else."""
    return _one_or_404(
        ResourceImport.objects.select_related("organisation").filter(created_by=user), batch_id
    )


def can_import(user) -> bool:
    """Whether to offer the import at all: staff, or an administrator of some
    organisation."""
    if not user.is_authenticated:
        return False
    return user.is_staff or administered_organisation_ids(user=user).exists()
