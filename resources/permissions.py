"""Who may read and change a resource, and who may see each of its contacts.

Anyone, signed in or not, reads a resource that is active, paused or ended; a draft is
for those who may edit it. Editors are staff, the steward, and the administrators of
the providing or stewarding organisation. A contact is shown to the audience its
provider chose (everyone, signed-in people, or members of linked platforms); editors
always see it."""

from django.http import Http404

from common.ids import parse_id
from members.permissions import is_organisation_admin

from .models import Audience, Resource, Status

PUBLISHED_STATUSES = (Status.ACTIVE, Status.PAUSED, Status.ENDED)


def can_edit_resource(user, resource: Resource) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or resource.steward_id == user.pk:
        return True
    return any(
        organisation is not None and is_organisation_admin(user, organisation)
        for organisation in (resource.provider_organisation, resource.steward_organisation)
    )


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


def can_see_contact(user, audience: str, *, editable: bool) -> bool:
    """Members of linked platforms see LINKED contacts once platforms link resources
    (a later step of the directory); until then only editors do."""
    if editable or audience == Audience.EVERYONE:
        return True
    if audience == Audience.SIGNED_IN:
        return user.is_authenticated
    return False


def visible_contacts(user, resource: Resource, *, editable: bool) -> list[tuple[str, str, str]]:
    """(kind, label, value) of the contacts this reader may see."""
    contacts = []
    for field in ("phone", "email", "url"):
        value = getattr(resource, field)
        if value and can_see_contact(
            user, getattr(resource, f"{field}_audience"), editable=editable
        ):
            contacts.append((field, Resource._meta.get_field(field).verbose_name, value))
    return contacts
