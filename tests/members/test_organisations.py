"""Profiles and organisations: services, pages, bad input and who may do what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members import services
from members.models import Organisation, OrganisationMembership, Participation
from tests.factories import OrganisationFactory, UserFactory, organisation_member

pytestmark = pytest.mark.django_db

Role = OrganisationMembership.Role
Status = OrganisationMembership.Status


def test_organisation_create_makes_creator_admin():
    user = UserFactory()

    organisation = services.organisation_create(
        actor=user,
        data={"name": "藤里町商工会", "kind": "chamber_of_commerce", "resource_type": "formal"},
    )

    membership = organisation.memberships.get()
    assert (membership.user, membership.role, membership.status) == (
        user,
        Role.ADMIN,
        Status.ACTIVE,
    )


def test_organisation_join_request_then_admin_approves():
    admin, applicant = UserFactory(), UserFactory()
    organisation = OrganisationFactory()
    organisation_member(admin, organisation, Role.ADMIN)

    membership = services.organisation_join_request(actor=applicant, organisation=organisation)
    with pytest.raises(PermissionDenied):
        services.organisation_membership_decide(
            actor=applicant, membership=membership, approve=True
        )
    services.organisation_membership_decide(actor=admin, membership=membership, approve=True)

    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE
    with pytest.raises(ValidationError):
        services.organisation_membership_decide(actor=admin, membership=membership, approve=False)


def test_organisation_join_twice_is_refused():
    organisation = OrganisationFactory()
    user = UserFactory()
    services.organisation_join_request(actor=user, organisation=organisation)

    with pytest.raises(ValidationError):
        services.organisation_join_request(actor=user, organisation=organisation)

    assert organisation.memberships.count() == 1


def test_last_organisation_admin_cannot_leave():
    admin = UserFactory()
    organisation = OrganisationFactory()
    organisation_member(admin, organisation, Role.ADMIN)

    with pytest.raises(ValidationError):
        services.organisation_leave(actor=admin, organisation=organisation)

    assert organisation.memberships.filter(user=admin).exists()


def test_organisation_update_only_by_admin():
    member = UserFactory()
    organisation = OrganisationFactory(name="元の名前")
    organisation_member(member, organisation)

    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=member, organisation=organisation, data={"name": "変更"})

    organisation.refresh_from_db()
    assert organisation.name == "元の名前"


def test_profile_page_keeps_what_was_typed(client):
    """Full-width spaces and digits are what the person wrote: prose is not NFKC."""
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("members:profile"),
        {
            "display_name": "山田　花子",
            "area": "豊中市　第３中学校区",
            "skills": "運転、調理",
            "introduction": "よろしくお願いします",
            "participation": Participation.SUPPORTED_PERSON,
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.area, user.participation) == (
        "山田　花子",
        "豊中市　第３中学校区",
        Participation.SUPPORTED_PERSON,
    )
    assert user.skill_list() == ["運転", "調理"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"display_name": ""}, "display_name"),
        ({"display_name": "あ" * 61}, "display_name"),
        ({"introduction": "<script>x</script>"}, "introduction"),
        ({"participation": "king"}, "participation"),
    ],
)
def test_profile_bad_input_keeps_profile(client, data, field):
    user = UserFactory(display_name="元の名前")
    client.force_login(user)
    payload = {"display_name": "新しい名前", "participation": "volunteer"} | data

    response = client.post(reverse("members:profile"), payload)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    user.refresh_from_db()
    assert user.display_name == "元の名前"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"kind": "mafia"}, "kind"),
        ({"resource_type": ""}, "resource_type"),
        ({"description": "<iframe src=x>"}, "description"),
    ],
)
def test_organisation_create_bad_input(client, data, field):
    client.force_login(UserFactory())
    payload = {"name": "NPO", "kind": "npo", "resource_type": "informal"} | data

    response = client.post(reverse("members:organisation-create"), payload)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Organisation.objects.count() == 0


def test_organisation_pages_permissions(client):
    admin, member, stranger = UserFactory(), UserFactory(), UserFactory()
    organisation = OrganisationFactory()
    organisation_member(admin, organisation, Role.ADMIN)
    organisation_member(member, organisation)
    detail = reverse("members:organisation-detail", args=[organisation.pk])
    edit = reverse("members:organisation-edit", args=[organisation.pk])

    anonymous_detail = client.get(detail)
    anonymous_edit = client.get(edit)
    client.force_login(stranger)
    stranger_detail = client.get(detail)
    stranger_edit = client.post(
        edit, {"name": "乗っ取り", "kind": "npo", "resource_type": "formal"}
    )
    client.force_login(member)
    member_detail = client.get(detail)
    client.force_login(admin)
    admin_edit = client.get(edit)

    assert anonymous_detail.status_code == 200
    assert anonymous_detail.context["memberships"] is None
    assert anonymous_edit.status_code == 302
    assert stranger_detail.context["memberships"] is None
    assert stranger_edit.status_code == 403
    assert [m.user for m in member_detail.context["memberships"]] == [admin, member]
    assert admin_edit.status_code == 200
    organisation.refresh_from_db()
    assert organisation.name != "乗っ取り"
    assert client.get(reverse("members:organisation-detail", args=[999999])).status_code == 404


def test_organisation_decide_tampered_and_foreign_membership(client):
    admin = UserFactory()
    organisation, other = OrganisationFactory(), OrganisationFactory()
    organisation_member(admin, organisation, Role.ADMIN)
    pending_elsewhere = services.organisation_join_request(actor=UserFactory(), organisation=other)
    pending_here = services.organisation_join_request(
        actor=UserFactory(), organisation=organisation
    )
    client.force_login(admin)

    foreign = client.post(
        reverse(
            "members:organisation-membership-decide", args=[organisation.pk, pending_elsewhere.pk]
        ),
        {"decision": "approve"},
    )
    tampered = client.post(
        reverse("members:organisation-membership-decide", args=[organisation.pk, pending_here.pk]),
        {"decision": "promote-me"},
        follow=True,
    )

    assert foreign.status_code == 404
    assert "「承認する」か「見送る」を選んでください。" in tampered.content.decode()
    pending_here.refresh_from_db()
    pending_elsewhere.refresh_from_db()
    assert (pending_here.status, pending_elsewhere.status) == (Status.PENDING, Status.PENDING)
