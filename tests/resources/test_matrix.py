"""Every resource URL × role × resource status, as for platforms: what answers, whether
the resource shows in each list, map, printout, export and open-data feed, and
whether a contact kept for linked platforms shows. Nothing changes unless the role
may change it."""

import json

import pytest
from django.urls import reverse

from members.models import OrganisationMembership
from platforms.models import Role, Status
from resources import services
from resources.models import Audience, Resource
from resources.models import Status as ResourceStatus
from tests.factories import (
    OrganisationFactory,
    PlatformFactory,
    ResourceFactory,
    UserFactory,
    member_of,
    organisation_member,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "stranger",
    "steward",
    "organisation_admin",
    "staff",
    "linked_member",
    "coordinator",
]
STATUSES = [
    ResourceStatus.DRAFT,
    ResourceStatus.ACTIVE,
    ResourceStatus.PAUSED,
    ResourceStatus.ENDED,
]
EDITORS = {"steward", "organisation_admin", "staff"}
NAME = "マトリクスの社会資源"
LINKED_PHONE = "06-9999-0000"


def world(status):
    organisation = OrganisationFactory()
    people = {
        "stranger": UserFactory(),
        "steward": UserFactory(),
        "organisation_admin": UserFactory(),
        "staff": UserFactory(is_staff=True),
        "linked_member": UserFactory(),
        "coordinator": UserFactory(),
    }
    organisation_member(
        people["organisation_admin"], organisation, OrganisationMembership.Role.ADMIN
    )
    resource = ResourceFactory(
        name=NAME,
        status=ResourceStatus.ACTIVE,
        steward=people["steward"],
        provider_organisation=organisation,
        municipality="豊中市",
        latitude="34.780000",
        longitude="135.470000",
        phone=LINKED_PHONE,
        phone_audience=Audience.LINKED,
    )
    # A live platform uses it (linked while it was available), with a plain member.
    linked = PlatformFactory(status=Status.ACTIVE)
    member_of(linked, people["steward"], Role.COORDINATOR)
    member_of(linked, people["linked_member"], Role.MEMBER)
    services.platform_resource_link(actor=people["steward"], platform=linked, resource=resource)
    # Another coordinator, of a platform that does not use it.
    member_of(PlatformFactory(status=Status.ACTIVE), people["coordinator"], Role.COORDINATOR)
    Resource.objects.filter(pk=resource.pk).update(status=status)
    resource.refresh_from_db()
    return resource, people


def expected(url, role, status):
    """The status code, or "login" for the log-in redirect."""
    published = status != ResourceStatus.DRAFT
    editor = role in EDITORS
    if url in ("list", "map", "sheet", "export", "hsds-list", "mine-anon-ok"):
        return 200
    if url in ("hsds", "hsds-place"):
        return 200 if published else 404
    if url == "detail":
        return 200 if published or editor else 404
    if url == "mine":
        return "login" if role == "anonymous" else 200
    if role == "anonymous":
        return "login"
    if not published and not editor:
        return 404
    if url in ("edit", "confirm"):
        if not editor:
            return 403
        return 200 if url == "edit" else 302
    if url == "ask":
        return 200 if published else 403
    if url == "link":
        if status not in (ResourceStatus.ACTIVE, ResourceStatus.PAUSED):
            return 403
        # Who coordinates a live platform (the steward coordinates the linked one).
        return 200 if role in ("coordinator", "steward") else 403
    raise AssertionError(url)


URLS = [
    "list",
    "map",
    "sheet",
    "export",
    "hsds-list",
    "hsds",
    "hsds-place",
    "detail",
    "mine",
    "edit",
    "confirm",
    "ask",
    "link",
]


def path_of(url, resource):
    return {
        "list": reverse("resources:resource-list") + "?status=",
        "map": reverse("resources:resource-map") + "?status=",
        "sheet": reverse("resources:resource-sheet") + "?status=",
        "export": reverse("resources:resource-export-csv") + "?status=",
        "hsds-list": reverse("resources:hsds-services"),
        "hsds": reverse("resources:hsds-service", args=[resource.uuid]),
        "hsds-place": reverse("resources:hsds-service-at-location", args=[resource.uuid]),
        "detail": resource.get_absolute_url(),
        "mine": reverse("resources:resources-mine"),
        "edit": reverse("resources:resource-edit", args=[resource.pk]),
        "confirm": reverse("resources:resource-confirm", args=[resource.pk]),
        "ask": reverse("resources:resource-ask", args=[resource.pk]),
        "link": reverse("resources:resource-link", args=[resource.pk]),
    }[url]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", URLS)
def test_every_resource_url_for_every_role_and_status(client, url, role, status):
    resource, people = world(status)
    if role != "anonymous":
        client.force_login(people[role])
    before = Resource.objects.filter(pk=resource.pk).values("confirmed_by", "name", "status").get()

    response = (
        client.post(path_of(url, resource))
        if url == "confirm"
        else client.get(path_of(url, resource))
    )

    answer = expected(url, role, status)
    if answer == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == answer
    changed = (
        Resource.objects.filter(pk=resource.pk).values("confirmed_by", "name", "status").get()
        != before
    )
    assert changed is (url == "confirm" and answer == 302)
    if answer != 200:
        return
    body = (
        response.content.decode("utf-8-sig")
        if url != "hsds-list"
        else json.dumps(json.loads(response.content), ensure_ascii=False)
    )
    published = status != ResourceStatus.DRAFT
    # Lists, the map, the printout, the export and open data: published ones only;
    # "mine": what the reader keeps, drafts included (staff edit, but keep nothing).
    if url in ("list", "map", "sheet", "export", "hsds-list"):
        assert (NAME in body) is published
    if url == "mine":
        assert (NAME in body) is (role in ("steward", "organisation_admin"))
    # A contact kept for linked platforms: editors and members of a live linked
    # platform; never in open data.
    if url in ("detail", "sheet", "export"):
        sees_linked = role in EDITORS or role == "linked_member"
        assert (LINKED_PHONE in body) is (sees_linked and (url == "detail" or published))
    if url in ("hsds", "hsds-place", "hsds-list"):
        assert LINKED_PHONE not in body
