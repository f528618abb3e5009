"""Directory pages: parse, access, call a service or selector, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.pages import CountedPaginator, form_page
from common.postal import address_for

from .. import permissions as policy
from .. import selectors, services
from ..forms import DirectoryForm, ResourceForm
from ..models import Resource, Status

PAGE_SIZE = 20


def directory_query(request) -> tuple[DirectoryForm, selectors.DirectoryQuery]:
    form = DirectoryForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status", "") if "status" in request.GET else Status.ACTIVE
    return form, selectors.DirectoryQuery(
        words=data.get("q", ""),
        kind=data.get("kind", ""),
        formality=data.get("formality", ""),
        offer=data.get("offer", ""),
        municipality=(data.get("municipality") or "").strip(),
        area=(data.get("area") or "").strip(),
        status=status,
        recent=bool(data.get("recent")),
    )


@require_GET
def resource_list(request):
    form, query = directory_query(request)
    number = _page_number(request)
    offset = (number - 1) * PAGE_SIZE
    counts, ids = selectors.directory_page(query, offset=offset, limit=PAGE_SIZE)
    # The facets' query has counted the results already, and read the page's ids.
    paginator = CountedPaginator(
        selectors.directory(query, known=(offset, ids)), PAGE_SIZE, counts["total"]["all"]
    )
    page = paginator.get_page(number)
    rows = [(resource, resource.stale_rank == 1) for resource in page]
    return render(
        request,
        "resources/resource_list.html",
        _filters_context(request, form, query, counts)
        | {"page": page, "rows": rows, "can_import": policy.can_import(request.user)},
    )


def _page_number(request) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else 1


def _filters_context(request, form, query, counts=None) -> dict:
    """What the search and filters show, on the list and the map alike."""
    counts = counts or selectors.facet_counts(query)
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "form": form,
        "query": query,
        "query_string": params.urlencode(),
        "facets": [
            (
                name,
                legend,
                getattr(query, name),
                selectors.choices_with_counts(choices, counts[name]),
            )
            for name, (legend, choices) in selectors.FACETS.items()
        ],
        "municipalities": selectors.place_choices(counts["municipality"]),
        "areas": selectors.place_choices(counts["area"]),
        "recent_count": counts["recent"]["yes"],
    }


@require_GET
def resource_detail(request, resource_id):
    resource, editable = policy.access_resource(request.user, resource_id)
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "editable": editable,
            "stale": selectors.is_stale(resource),
            "offers": resource.offer_labels,
            "contacts": policy.visible_contacts(request.user, resource, editable=editable),
            "revisions": selectors.resource_revisions(resource) if editable else [],
            "platforms": selectors.platforms_working_with(resource, request.user),
            "origin": selectors.origin_of(resource, request.user),
            "can_link": policy.can_propose(resource, selectors.linkable_platforms(request.user)),
            "has_steward": bool(resource.steward_id or resource.steward_organisation_id),
            "questions": selectors.questions_for(resource, request.user, editable=editable),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_create(request):
    return form_page(
        request,
        ResourceForm(request.POST or None, creating=True, user=request.user),
        act=lambda data: services.resource_create(
            actor=request.user,
            data=data,
            offers=data["offers"],
            personal_provider=data.get("personal_provider"),
        ),
        success=_("下書きとして登録しました。内容を確かめて「利用できる」にしてください。"),
        template="resources/resource_form.html",
        context={"creating": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request, resource_id):
    resource, editable = policy.access_resource(request.user, resource_id)
    services.require_resource_editor(request.user, resource)
    # The form cleans into its own copy; the service reads the row afresh and locks it.
    return form_page(
        request,
        ResourceForm(
            request.POST or None,
            instance=Resource.objects.get(pk=resource.pk),
            user=request.user,
        ),
        act=lambda data: services.resource_update(
            actor=request.user,
            resource=resource,
            data=data,
            offers=data["offers"],
            personal_provider=data.get("personal_provider"),
        ),
        success=_("社会資源を保存しました。"),
        template="resources/resource_form.html",
        context={"resource": resource},
    )


@login_required
@require_POST
def resource_confirm(request, resource_id):
    resource, editable = policy.access_resource(request.user, resource_id)
    services.resource_confirm(actor=request.user, resource=resource)
    messages.success(request, _("「今も正しい」と記録しました。"))
    return redirect(resource)


@require_GET
def postal_code_lookup(request):
    """The address of a postal code, for the resource form's autofill (postal.js)."""
    found = address_for(request.GET.get("code", "")[:20])
    if found is None:
        return JsonResponse({"found": False}, status=404)
    return JsonResponse(
        {
            "found": True,
            "postal_code": found.postal_code,
            "prefecture": found.prefecture,
            "municipality": found.municipality,
            "address": found.neighbourhood,
        }
    )


def _bbox(request) -> selectors.BoundingBox | None:
    """`bbox=west,south,east,north` in degrees; anything else is ignored."""
    parts = request.GET.get("bbox", "").split(",")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        return None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        return None
    return selectors.BoundingBox(west, south, east, north)


@require_GET
def resource_map(request):
    """The same filtered set as the list, on a map (Leaflet, GSI tiles by default)."""
    form, query = directory_query(request)
    found = selectors.map_points(query)
    return render(
        request,
        "resources/resource_map.html",
        _filters_context(request, form, query)
        | {
            "points": found["points"],
            "mapped": found["mapped"],
            "unmapped": found["unmapped"],
            "too_many": found["mapped"] > len(found["points"]),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@require_GET
def resource_map_points(request):
    """The map's points as JSON, for a bounding box (panning a large area)."""
    form, query = directory_query(request)
    return JsonResponse(selectors.map_points(query, _bbox(request)))


@login_required
@require_GET
def resources_mine(request):
    """What the reader keeps current, drafts and stale ones first to hand."""
    page = Paginator(selectors.resources_kept_by(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "resources/resources_mine.html",
        {"page": page, "rows": [(r, selectors.is_stale(r)) for r in page]},
    )
