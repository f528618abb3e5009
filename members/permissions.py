"""Who may do what with organisations. Plain functions of a user and an object."""

from django.http import Http404

from common.ids import parse_id

from .models import Organisation, OrganisationMembership


def is_organisation_member(user, organisation) -> bool:
    return (
        user.is_authenticated
        and OrganisationMembership.objects.filter(
            organisation=organisation, user=user, status=OrganisationMembership.Status.ACTIVE
        ).exists()
    )


def is_organisation_admin(user, organisation) -> bool:
    return (
        user.is_authenticated
        and OrganisationMembership.objects.filter(
            organisation=organisation,
            user=user,
            status=OrganisationMembership.Status.ACTIVE,
            role=OrganisationMembership.Role.ADMIN,
        ).exists()
    )


def can_see_organisation_members(user, organisation) -> bool:
    return user.is_authenticated and (user.is_staff or is_organisation_member(user, organisation))


def access_organisation(organisation_id) -> Organisation:
    """The organisation directory is public; a missing id is a 404."""
    try:
        return Organisation.objects.get(pk=organisation_id)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_organisation_membership(organisation, membership_id) -> OrganisationMembership:
    """Someone's membership of an organisation (the directory is public; the services
    decide who may act on it); a missing one, or another organisation's, is a 404."""
    try:
        return organisation.memberships.select_related("user").get(pk=parse_id(membership_id))
    except (OrganisationMembership.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
