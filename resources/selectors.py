"""Reads of the directory: search and filters with facet counts, and what a resource
page shows. A fixed number of queries whatever the number of resources."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import StrIndex
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.ids import parse_id
from common.text import search_key
from members.models import Organisation, OrganisationMembership, User
from members.selectors import administered_organisation_ids
from platforms.models import Platform
from platforms.permissions import can_view_platform, role_subquery
from platforms.selectors import platform_list_coordinated

from .models import (
    MASKS_WITH,
    OFFER_BITS,
    Formality,
    Gap,
    GapStatus,
    Kind,
    Offer,
    PlatformResource,
    Resource,
    Status,
)
from .permissions import PUBLISHED_STATUSES, ContactReader

# The shortest word the trigram index can find; and how many words a search may hold.
TRIGRAM = 3
MAX_WORDS = 8
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
    for index, word in enumerate(search_key(query.words).split()[:MAX_WORDS]):
        if len(word) >= TRIGRAM:
            resources = resources.filter(search_text__contains=word)
        elif len(word) == 2:
            # pg_trgm takes three characters or more: a two-character word (「相談」)
            # is found as a whole piece of search_bigrams, which the index can read.
            resources = resources.filter(search_bigrams__contains=f" {word} ")
        else:
            # One character: the trigram index could only be read whole, which is
            # slower than reading the table: STRPOS reads the table.
            name = f"word_{index}_at"
            resources = resources.alias(**{name: StrIndex("search_text", Value(word))}).filter(
                **{f"{name}__gt": 0}
            )
    if query.kind:
        resources = resources.filter(kind=query.kind)
    if query.formality:
        resources = resources.filter(formality=query.formality)
    if query.offer:
        resources = resources.filter(offers_mask__in=MASKS_WITH[query.offer])
    if query.municipality:
        resources = resources.filter(municipality=query.municipality)
    if query.area:
        resources = resources.filter(area=query.area)
    if query.recent:
        resources = resources.filter(confirmed_at__gte=stale_before())
    return resources


def _ordered(query: DirectoryQuery):
    """The matching ids in the directory's order: confirmed ones first (stale ones
    ranked lower), then by name. Reads the covering index only."""
    return (
        _filtered(query)
        .annotate(
            stale_rank=Case(
                When(confirmed_at__gte=stale_before(), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("stale_rank", "name", "pk")
        .values_list("pk", flat=True)
    )


class DirectoryResults:
    """The results of a search, read a slice at a time (what a Paginator needs): the
    slice's ids in order from the covering index, then only those rows. Each resource
    carries `stale_rank` (1 for a stale one, is_stale)."""

    def __init__(self, query: DirectoryQuery, known: tuple[int, list[int]] | None = None):
        self.ids = _ordered(query)
        # (offset, ids) of a page read already (directory_page).
        self.known = known

    def count(self) -> int:
        return self.ids.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[Resource]:
        if not isinstance(key, slice):
            raise TypeError("DirectoryResults is read by slices")
        if self.known is not None and key.start == self.known[0]:
            ids = self.known[1][: (key.stop or 0) - key.start]
        else:
            ids = list(self.ids[key])
        rows = Resource.objects.select_related("provider_organisation").in_bulk(ids)
        found = [rows[pk] for pk in ids if pk in rows]
        for resource in found:
            resource.stale_rank = 1 if is_stale(resource) else 0
        return found


def directory(query: DirectoryQuery, known: tuple[int, list[int]] | None = None):
    return DirectoryResults(query, known)


def facet_counts(query: DirectoryQuery) -> dict[str, dict[str, int]]:
    """For each filter, how many of the current results each choice holds, and the
    total: one query over the matching set, whatever its size, grouped by every facet
    at once (the groups are few: kinds × formality × places × recent) with what they
    offer counted in each group. It reads only the columns of the directory's
    covering index."""
    bits = {f"has_{offer}": F("offers_mask").bitand(bit) for offer, bit in OFFER_BITS.items()}
    grouped = (
        _filtered(query)
        .order_by()
        .alias(**bits)
        .annotate(
            is_recent=Case(
                When(confirmed_at__gte=stale_before(), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .values("kind", "formality", "municipality", "area", "is_recent")
        .annotate(
            # Counting a column of the index (never null), so the query needs none
            # that the index lacks.
            n=Count("*"),
            **{
                f"offer_{offer}": Count("offers_mask", filter=Q(**{f"has_{offer}__gt": 0}))
                for offer in OFFER_BITS
            },
        )
    )
    return _counts_from(grouped)


def _counts_from(groups) -> dict[str, dict[str, int]]:
    """Facet counts and the total from rows grouped by kind, formality, municipality,
    area and is_recent, each with `n` and a count per offer (`offer_<offer>`)."""
    counts: dict[str, dict[str, int]] = {
        "kind": {},
        "formality": {},
        "municipality": {},
        "area": {},
        "offer": {},
        "recent": {"yes": 0},
        "total": {"all": 0},
    }
    for row in groups:
        n = row["n"]
        counts["total"]["all"] += n
        counts["recent"]["yes"] += n if row["is_recent"] else 0
        for name in ("kind", "formality", "municipality", "area"):
            if row[name]:
                counts[name][row[name]] = counts[name].get(row[name], 0) + n
        for offer in OFFER_BITS:
            if row[f"offer_{offer}"]:
                counts["offer"][offer] = counts["offer"].get(offer, 0) + row[f"offer_{offer}"]
    return counts


def directory_page(query: DirectoryQuery, *, offset: int, limit: int):
    """(facet counts with the total, the ids of one page in order). On PostgreSQL a
    search with words reads the table once for both: matching a word is the costly
    part (every row's text), so the matching set is kept (a materialised CTE) and
    grouped and ordered from there. Otherwise two queries on the covering indexes."""
    if connection.vendor != "postgresql" or not search_key(query.words).split():
        return facet_counts(query), list(_ordered(query)[offset : offset + limit])
    columns = [
        "id",
        "kind",
        "formality",
        "municipality",
        "area",
        "confirmed_at",
        "offers_mask",
        "name",
    ]
    inner, params = _filtered(query).order_by().values(*columns).query.sql_with_params()
    offers = ", ".join(
        f"count(*) FILTER (WHERE (offers_mask & {bit}) > 0) AS offer_{offer}"
        for offer, bit in OFFER_BITS.items()
    )
    cutoff = stale_before()
    sql = f"""
        WITH m AS MATERIALIZED ({inner})
        SELECT
          (SELECT coalesce(json_agg(g), '[]'::json) FROM (
              SELECT kind, formality, municipality, area,
                     coalesce(confirmed_at >= %s, false) AS is_recent, count(*) AS n, {offers}
              FROM m GROUP BY 1, 2, 3, 4, 5) g),
          (SELECT coalesce(json_agg(id ORDER BY stale_rank, name, id), '[]'::json) FROM (
              SELECT id, name, CASE WHEN confirmed_at >= %s THEN 0 ELSE 1 END AS stale_rank
              FROM m ORDER BY stale_rank, name, id LIMIT %s OFFSET %s) p)
    """  # noqa: S608 - the inner query is Django's, with its parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, cutoff, cutoff, limit, offset])
        groups, ids = cursor.fetchone()
    return _counts_from(groups), ids


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


def steward_people(resource: Resource) -> list:
    """Who keeps the resource current: the steward, and the administrators of the
    stewarding organisation (one query each)."""
    people = {}
    if resource.steward_id:
        steward = User.objects.filter(pk=resource.steward_id, is_active=True).first()
        if steward:
            people[steward.pk] = steward
    if resource.steward_organisation_id:
        for admin in User.objects.filter(
            is_active=True,
            organisation_memberships__organisation_id=resource.steward_organisation_id,
            organisation_memberships__status=OrganisationMembership.Status.ACTIVE,
            organisation_memberships__role=OrganisationMembership.Role.ADMIN,
        ):
            people[admin.pk] = admin
    return list(people.values())


def steward_choices(platform) -> tuple[list, list]:
    """Who may take a created resource on: the platform's members, and the
    organisations they take part as."""
    people = list(
        User.objects.filter(platform_memberships__platform=platform, is_active=True)
        .distinct()
        .order_by("pk")
    )
    organisations = list(
        Organisation.objects.filter(platform_memberships__platform=platform)
        .distinct()
        .order_by("name")
    )
    return people, organisations


def platform_links(platform) -> list[PlatformResource]:
    """The resources a platform uses or is funded by, with the resource."""
    return list(
        PlatformResource.objects.filter(platform=platform)
        .select_related("resource")
        .order_by("use", "resource__name", "pk")
    )


def created_resources(platform) -> list[Resource]:
    return list(
        Resource.objects.filter(created_by_platform=platform)
        .select_related("steward", "steward_organisation")
        .order_by("pk")
    )


def platforms_working_with(resource: Resource, user) -> list[dict]:
    """The platforms that used, were funded by or created the resource, as far as the
    reader may see them (private ones only to their members and staff); two queries."""
    platforms = Platform.objects.filter(
        Q(resource_links__resource=resource) | Q(created_resources=resource)
    ).distinct()
    if user.is_authenticated:
        platforms = platforms.annotate(reader_role=role_subquery(user))
    uses = {}
    for link in PlatformResource.objects.filter(resource=resource).order_by("pk"):
        uses.setdefault(link.platform_id, []).append(link)
    rows = []
    for platform in platforms.order_by("-created_at", "pk"):
        if not can_view_platform(user, getattr(platform, "reader_role", None), platform):
            continue
        rows.append(
            {
                "platform": platform,
                "created": platform.pk == resource.created_by_platform_id,
                "links": uses.get(platform.pk, []),
            }
        )
    return rows


def linkable_platforms(user) -> list[Platform]:
    """The live platforms the reader coordinates: where a resource may be proposed."""
    if not user.is_authenticated:
        return []
    return list(platform_list_coordinated(user=user).order_by("deadline", "pk"))


def questions_for(resource: Resource, user, *, editable: bool):
    """Editors read every question; a person who asked reads their own."""
    if not user.is_authenticated:
        return []
    questions = resource.questions.select_related("asker", "answered_by")
    if not editable:
        questions = questions.filter(asker=user)
    return list(questions[:50])


@dataclass
class GapArea:
    municipality: str
    area: str
    gaps: list


def gap_list(*, words: str = "", municipality: str = "", include_closed: bool = False):
    """Gaps grouped by municipality and area, each with how many people noted it, most
    noted first (two queries)."""
    gaps = Gap.objects.annotate(noted=Count("notes")).select_related("platform")
    if not include_closed:
        gaps = gaps.exclude(status=GapStatus.CLOSED)
    for word in search_key(words).split():
        gaps = gaps.filter(search_text__contains=word)
    if municipality:
        gaps = gaps.filter(municipality=municipality)
    groups: dict[tuple[str, str], GapArea] = {}
    for gap in gaps.order_by("municipality", "area", "-noted", "-created_at", "pk")[:500]:
        gap.shown_platform = shown_platform(gap)
        key = (gap.municipality, gap.area)
        groups.setdefault(key, GapArea(gap.municipality, gap.area, [])).gaps.append(gap)
    return list(groups.values())


def gap_noted(gap: Gap, user) -> tuple[int, bool]:
    """How many people noted the gap, and whether the reader is one of them."""
    notes = list(gap.notes.values_list("user_id", flat=True))
    return len(notes), user.is_authenticated and user.pk in notes


def similar_gaps(words: str) -> list[Gap]:
    """Gaps already recorded for the same words (a search that found nothing offers
    to add to one of these instead of a new one)."""
    gaps = Gap.objects.exclude(status=GapStatus.CLOSED)
    keys = search_key(words).split()
    if not keys:
        return []
    for word in keys:
        gaps = gaps.filter(search_text__contains=word)
    return list(gaps.annotate(noted=Count("notes")).order_by("-noted", "pk")[:5])


def origin_of(resource: Resource, user):
    """The platform that created the resource, if the reader may see it (a private
    platform's name stays with its members)."""
    if not resource.created_by_platform_id:
        return None
    platforms = Platform.objects.filter(pk=resource.created_by_platform_id)
    if user.is_authenticated:
        platforms = platforms.annotate(reader_role=role_subquery(user))
    platform = platforms.first()
    if platform is None or not can_view_platform(
        user, getattr(platform, "reader_role", None), platform
    ):
        return None
    return platform


def shown_platform(gap: Gap):
    """The platform working on a gap, as a visitor may see it: a draft or private
    platform is not named (the gap only says someone is on it)."""
    platform = gap.platform
    if platform is None or not can_view_platform(AnonymousUser(), None, platform):
        return None
    return platform


def resources_of_platform(platform):
    """The resources a platform works with: those it uses or is funded by, and those
    it is creating (the ones its cards may link)."""
    return Resource.objects.filter(
        Q(platform_links__platform=platform) | Q(created_by_platform=platform)
    ).distinct()


def platform_resource(platform, resource_id) -> Resource | None:
    try:
        return resources_of_platform(platform).filter(pk=parse_id(resource_id)).first()
    except (ValueError, TypeError, OverflowError):
        return None


# More markers than this on one map are no use to anyone: the page asks to narrow.
MAP_LIMIT = 3000


@dataclass(frozen=True)
class BoundingBox:
    west: float
    south: float
    east: float
    north: float


def map_points(query: DirectoryQuery, bbox: BoundingBox | None = None) -> dict:
    """The filtered set on a map: the points (at most MAP_LIMIT), how many have a
    point, and how many of the set have none (the map says so). At most three
    queries."""
    matching = _filtered(query)
    mapped = matching.filter(latitude__isnull=False, longitude__isnull=False)
    if bbox is not None:
        mapped = mapped.filter(
            latitude__gte=bbox.south,
            latitude__lte=bbox.north,
            longitude__gte=bbox.west,
            longitude__lte=bbox.east,
        )
    rows = mapped.order_by("name", "pk").values_list(
        "pk", "name", "kind", "latitude", "longitude", "municipality", "area"
    )[:MAP_LIMIT]
    kinds = {value: str(label) for value, label in Kind.choices}
    points = [
        {
            "id": pk,
            "name": name,
            "kind": kinds.get(kind, ""),
            "lat": float(lat),
            "lng": float(lng),
            "place": f"{municipality} {area}".strip(),
        }
        for pk, name, kind, lat, lng, municipality, area in rows
    ]
    total_mapped = len(points) if len(points) < MAP_LIMIT else mapped.count()
    # A box is a part of the map the page has drawn already, with its count of what has
    # no point: only the page asks.
    unmapped = (
        None
        if bbox is not None
        else matching.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True)).count()
    )
    return {"points": points, "mapped": total_mapped, "unmapped": unmapped}


@dataclass
class SheetGroup:
    kind: str
    label: str
    entries: list  # (resource, offers, contacts)


def resource_sheet(query: DirectoryQuery, user) -> list[SheetGroup]:
    """The printed 社会資源マップ: the filtered resources grouped by kind in the
    seed's order, each with what it offers and the contacts this reader may see. A
    fixed number of queries."""
    resources = list(
        _filtered(query).select_related("provider_organisation").order_by("name", "pk")[:MAP_LIMIT]
    )
    reader = ContactReader(user, [resource.pk for resource in resources])
    groups = {kind: SheetGroup(kind, str(label), []) for kind, label in Kind.choices}
    for resource in resources:
        offers = resource.offer_labels
        groups[resource.kind].entries.append((resource, offers, reader.contacts(resource)))
    return [group for group in groups.values() if group.entries]


def resources_kept_by(user):
    """What the reader keeps current, drafts included: as steward, as an
    administrator of the providing or stewarding organisation, or as a coordinator of
    the live platform creating it."""
    admin_of = administered_organisation_ids(user=user)
    coordinating = platform_list_coordinated(user=user).values("pk")
    return (
        Resource.objects.filter(
            Q(steward=user)
            | Q(steward_organisation__in=admin_of)
            | Q(provider_organisation__in=admin_of)
            | Q(created_by_platform__in=coordinating)
        )
        .distinct()
        .order_by("status", "name", "pk")
    )


def importable_organisations(user) -> list[Organisation]:
    """The organisations a list may be imported for: any, for staff; otherwise those
    the reader administers."""
    organisations = Organisation.objects.order_by("name")
    if not user.is_staff:
        organisations = organisations.filter(pk__in=administered_organisation_ids(user=user))
    return list(organisations)
