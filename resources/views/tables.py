"""The directory in and out as tables: CSV (with a BOM, for Excel) and xlsx of the
filtered list, and importing a list with a preview before anything changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.pages import add_service_error, refused
from common.spreadsheet import Sheet, csv_response, xlsx_response

from .. import permissions as policy
from .. import selectors, services, tabular
from ..forms import ImportForm
from ..permissions import ContactReader
from .directory import directory_query

# An export is a working list, not a backup: past this, narrow the filters.
MAX_EXPORT_ROWS = 10000


def _export_rows(request):
    form, query = directory_query(request)
    resources = list(selectors.directory(query)[:MAX_EXPORT_ROWS])
    reader = ContactReader(request.user, [resource.pk for resource in resources])
    return [
        tabular.row_of(resource, {field for field, _label, _value in reader.contacts(resource)})
        for resource in resources
    ]


def _filename() -> str:
    return f"shakai-shigen-{timezone.localdate():%Y%m%d}"


@require_GET
def resource_export_csv(request):
    return csv_response(_filename(), [tabular.headers(), *_export_rows(request)])


@require_GET
def resource_export_xlsx(request):
    sheet = Sheet(title=_("社会資源"), header=tabular.headers(), rows=_export_rows(request))
    return xlsx_response(_filename(), [sheet])


@login_required
@require_http_methods(["GET", "POST"])
def resource_import(request):
    services.require_import_page(request.user)
    organisations = selectors.importable_organisations(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        organisation = next(o for o in organisations if o.pk == form.cleaned_data["organisation"])
        try:
            batch = services.resource_import_preview(
                actor=request.user,
                organisation=organisation,
                filename=upload.name,
                content=upload.read(services.imports.MAX_FILE_BYTES + 1),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect("resources:resource-import-preview", batch.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "resources/import_form.html",
        {"form": form, "headers": tabular.headers()},
        status=status,
    )


@login_required
@require_GET
def resource_import_preview(request, batch_id):
    batch = policy.access_import(request.user, batch_id)
    return render(request, "resources/import_preview.html", {"batch": batch})


@login_required
@require_POST
def resource_import_apply(request, batch_id):
    batch = policy.access_import(request.user, batch_id)
    try:
        batch = services.resource_import_apply(actor=request.user, batch=batch)
    except ValidationError as error:
        return refused(
            request, error, reverse("resources:resource-import-preview", args=[batch.pk])
        )
    messages.success(
        request,
        _("取り込みました（新しく%(created)d件、更新%(updated)d件）。")
        % {"created": batch.created, "updated": batch.updated},
    )
    return redirect("resources:resource-import-preview", batch.pk)


def _sheet_title(query) -> str:
    place = " ".join(part for part in (query.municipality, query.area) if part)
    return _("%(place)s 社会資源マップ") % {"place": place} if place else _("社会資源マップ")


@require_GET
def resource_sheet(request):
    """The printable 社会資源マップ of an area: A4, grouped by kind, with the contacts
    the reader may see; the same as an xlsx."""
    form, query = directory_query(request)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "resources/resource_sheet.html",
        {
            "title": _sheet_title(query),
            "groups": selectors.resource_sheet(query, request.user),
            "query": query,
            "query_string": params.urlencode(),
            "made_on": timezone.localdate(),
        },
    )


@require_GET
def resource_sheet_xlsx(request):
    form, query = directory_query(request)
    header = [
        _("名前"),
        _("提供できるもの"),
        _("対象"),
        _("費用"),
        _("いつ"),
        _("どこで"),
        _("連絡先"),
        _("最終確認日"),
    ]
    sheets = [
        Sheet(
            title=group.label[:31],
            header=header,
            rows=[
                [
                    resource.name,
                    "、".join(offers),
                    resource.eligibility,
                    resource.get_cost_display()
                    + (f"（{resource.cost_note}）" if resource.cost_note else ""),
                    _("相談して決めます") if resource.by_arrangement else resource.hours,
                    " ".join(
                        p for p in (resource.municipality, resource.address, resource.area) if p
                    ),
                    "\n".join(f"{label}：{value}" for _field, label, value in contacts),
                    resource.confirmed_at.isoformat() if resource.confirmed_at else "",
                ]
                for resource, offers, contacts in group.entries
            ],
        )
        for group in selectors.resource_sheet(query, request.user)
    ] or [Sheet(title=_("社会資源"), header=header, rows=[])]
    return xlsx_response(f"shakai-shigen-map-{timezone.localdate():%Y%m%d}", sheets)
