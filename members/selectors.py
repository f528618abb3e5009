from .models import Organisation, OrganisationMembership


def organisation_list(*, query: str = "", kind: str = ""):
    organisations = Organisation.objects.all()
    if query:
        organisations = organisations.filter(name__icontains=query)
    if kind:
        organisations = organisations.filter(kind=kind)
    return organisations.order_by("name")


def organisation_list_for_user(*, user):
    """Organisations the user belongs to (active membership), for 'on behalf of' choices."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__status=OrganisationMembership.Status.ACTIVE
    ).order_by("name")


def organisation_membership_list(*, organisation):
    return (
        OrganisationMembership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("status", "role", "created_at")
    )


def organisation_membership_for_user(*, user, organisation):
    if not user.is_authenticated:
        return None
    return OrganisationMembership.objects.filter(organisation=organisation, user=user).first()


def administered_organisation_ids(*, user):
    """The ids of the organisations the user administers (active), as a subquery."""
    return OrganisationMembership.objects.filter(
        user=user,
        status=OrganisationMembership.Status.ACTIVE,
        role=OrganisationMembership.Role.ADMIN,
    ).values("organisation_id")
