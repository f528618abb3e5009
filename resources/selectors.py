"""Reads of the directory: search and filters with facet counts, and what a resource
page shows. A fixed number of queries whatever the number of resources."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, Count, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.text import search_key

from .models import Formality, Kind, Offer, Resource, ResourceOffer, Status
from .permissions import PUBLISHED_STATUSES

# Not confirmed for this long: 「情報が古い可能性があります」, and ranked lower.
STALE_AFTER = timedelta(days=365)


def stale_before():
    return timezone.localdate() - STALE_AFTER


def is_stale(resource: Resource) -> bool:
    return resource.confirmed_at is None or resource.confirmed_at < stale_before()


@dataclass
class DirectoryQuery:
    """What the directory was asked: words and filters, each already checked."""

    words: str = ""
    kind: str = ""
    formality: str = ""
    offer: str = ""
    municipality: str = ""
    area: str = ""
    status: str = Status.ACTIVE
    recent: bool = False  # confirmed within a year


def _filtered(query: DirectoryQuery):
    resources = Resource.objects.filter(status__in=PUBLISHED_STATUSES)
    if query.status:
        resources = resources.filter(status=query.status)
    for word in search_key(query.words).split():
        resources = resources.filter(search_text__contains=word)
    if query.kind:
        resources = resources.filter(kind=query.kind)
    if query.formality:
        resources = resources.filter(formality=query.formality)
    if query.offer:
        resources = resources.filter(offer_rows__offer=query.offer)
    if query.municipality:
        resources = resources.filter(municipality=query.municipality)
    if query.area:
        resources = resources.filter(area=query.area)
    if query.recent:
        resources = resources.filter(confirmed_at__gte=stale_before())
    return resources


def directory(query: DirectoryQuery):
    """The matching resources, confirmed ones first (stale ones ranked lower), then by
    name; with what the list shows. `stale_rank` is 1 for a stale resource (is_stale)."""
    return (
        _filtered(query)
        .annotate(
            stale_rank=Case(
                When(confirmed_at__gte=stale_before(), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("provider_organisation")
        .prefetch_related("offer_rows")
        .order_by("stale_rank", "name", "pk")
    )


def facet_counts(query: DirectoryQuery) -> dict[str, dict[str, int]]:
    """For each filter, how many of the current results each choice holds (one query
    per facet)."""
    matching = _filtered(query)
    ids = matching.values("pk")
    counts = {
        "kind": _count(matching, "kind"),
        "formality": _count(matching, "formality"),
        "municipality": _count(matching.exclude(municipality=""), "municipality"),
        "area": _count(matching.exclude(area=""), "area"),
        "offer": {
            row["offer"]: row["n"]
            for row in ResourceOffer.objects.filter(resource__in=ids)
            .values("offer")
            .annotate(n=Count("resource", distinct=True))
        },
        "recent": {"yes": matching.filter(confirmed_at__gte=stale_before()).count()},
    }
    return counts


def _count(resources, name: str) -> dict[str, int]:
    return {
        row[name]: row["n"]
        for row in resources.order_by().values(name).annotate(n=Count("pk", distinct=True))
    }


def choices_with_counts(choices, counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(value, label, counts.get(value, 0)) for value, label in choices]


def place_choices(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(name, name, n) for name, n in sorted(counts.items())]


# The filters shown as choices with counts: name -> (legend, choices).
FACETS = {
    "kind": (_("種類"), Kind.choices),
    "formality": (_("区分"), Formality.choices),
    "offer": (_("提供できるもの"), Offer.choices),
}


def resource_revisions(resource: Resource):
    return resource.revisions.select_related("actor")[:30]
