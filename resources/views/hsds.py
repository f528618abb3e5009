"""The HSDS 3.0 read API under /hsds/ (resources.hsds builds the objects): open data
for anyone, JSON only, paginated as the specification's Page object. Bad parameters
get a 400 that says which; unknown or non-public ids a 404."""

import uuid

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.text import search_key

from .. import hsds

PER_PAGE = 50
MAX_PER_PAGE = 200


class BadParameter(ValueError):
    pass


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data: any site may read it from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _number(request, name: str, default: int, *, most: int | None = None) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
        raise BadParameter(_("%(name)s は1以上の整数で指定してください。") % {"name": name})
    value = int(raw)
    if most is not None and value > most:
        raise BadParameter(
            _("%(name)s は%(most)d以下で指定してください。") % {"name": name, "most": most}
        )
    return value


def _paged(request, queryset, build):
    try:
        number = _number(request, "page", 1)
        per_page = _number(request, "per_page", PER_PAGE, most=MAX_PER_PAGE)
    except BadParameter as error:
        return _json({"error": str(error)}, status=400)
    total = queryset.count()
    start = (number - 1) * per_page
    items = [build(row) for row in queryset[start : start + per_page]]
    return _json(hsds.page(items, total=total, number=number, per_page=per_page))


def _searched(request, resources):
    for word in search_key(request.GET.get("search", "")[:100]).split():
        resources = resources.filter(search_text__contains=word)
    return resources


def _uuid(value):
    """The UUID in `value`, or None (which matches nothing)."""
    try:
        return uuid.UUID(str(value)[:64])
    except ValueError:
        return None


def _not_found():
    return _json({"error": _("見つかりません。")}, status=404)


def _found(row, build):
    return _not_found() if row is None else _json(build(row))


@require_GET
def hsds_root(request):
    return _json(
        {
            "version": hsds.HSDS_VERSION,
            "description": _(
                "協働ハブの社会資源（地域の人・サービス・情報・場所・資金・制度・つながり）"
            ),
            "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
            "publisher": {
                "name": _("協働ハブ"),
                "website": request.build_absolute_uri(reverse("platforms:home")),
            },
        }
    )


@require_GET
def service_list(request):
    resources = _searched(request, hsds.published_services())
    organisation = request.GET.get("organization_id")
    if organisation:
        resources = resources.filter(provider_organisation__uuid=_uuid(organisation))
    return _paged(request, resources, hsds.service_summary)


@require_GET
def service_detail(request, service_id):
    return _found(hsds.published_services().filter(uuid=_uuid(service_id)).first(), hsds.service)


@require_GET
def organization_list(request):
    return _paged(request, hsds.public_organisations(), hsds.organization)


@require_GET
def organization_detail(request, organization_id):
    organisation = hsds.public_organisations().filter(uuid=_uuid(organization_id)).first()
    if organisation is None:
        return _not_found()
    services = hsds.published_services().filter(provider_organisation=organisation)
    summaries = [hsds.service_summary(resource) for resource in services[:500]]
    return _json(hsds.organization(organisation) | {"services": summaries})


@require_GET
def service_at_location_list(request):
    resources = _searched(request, hsds.with_places(hsds.published_services()))
    return _paged(request, resources, hsds.service_at_location)


@require_GET
def service_at_location_detail(request, service_at_location_id):
    resources = hsds.with_places(hsds.published_services())
    found = resources.filter(uuid=_uuid(service_at_location_id)).first()
    return _found(found, hsds.service_at_location)
