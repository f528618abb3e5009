"""The directory in and out as tables: CSV (with a BOM, for Excel) and xlsx of the
filtered list, and importing a list with a preview before anything changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.ids import parse_id
from common.pages import add_service_error, refused
from common.spreadsheet import Sheet, csv_response, xlsx_response
from members.models import Organisation, OrganisationMembership

from .. import selectors, services, tabular
from ..forms import ImportForm
from ..models import Audience, ResourceImport
from .directory import directory_query

# An export is a working list, not a backup: past this, narrow the filters.
MAX_EXPORT_ROWS = 10000


def _export_rows(request):
    form, query = directory_query(request)
    contacts = {"phone", "email", "url"}
    audiences = {Audience.EVERYONE} | (
        {Audience.SIGNED_IN} if request.user.is_authenticated else set()
    )
    rows = []
    for resource in selectors.directory(query)[:MAX_EXPORT_ROWS]:
        shown = {f for f in contacts if getattr(resource, f"{f}_audience") in audiences}
        rows.append(tabular.row_of(resource, shown))
    return rows


def _filename() -> str:
    return f"shakai-shigen-{timezone.localdate():%Y%m%d}"


@require_GET
def resource_export_csv(request):
    return csv_response(_filename(), [tabular.headers(), *_export_rows(request)])


@require_GET
def resource_export_xlsx(request):
    sheet = Sheet(title=_("社会資源"), header=tabular.headers(), rows=_export_rows(request))
    return xlsx_response(_filename(), [sheet])


def _importable_organisations(user):
    if user.is_staff:
        return list(Organisation.objects.order_by("name"))
    return list(
        Organisation.objects.filter(
            memberships__user=user,
            memberships__status=OrganisationMembership.Status.ACTIVE,
            memberships__role=OrganisationMembership.Role.ADMIN,
        ).order_by("name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_import(request):
    organisations = _importable_organisations(request.user)
    if not organisations:
        raise PermissionDenied(_("一覧を取り込めるのは、団体の管理者と運営スタッフです。"))
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


def _batch(request, batch_id) -> ResourceImport:
    try:
        return ResourceImport.objects.select_related("organisation").get(
            pk=parse_id(batch_id), created_by=request.user
        )
    except (ResourceImport.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


@login_required
@require_GET
def resource_import_preview(request, batch_id):
    batch = _batch(request, batch_id)
    return render(request, "resources/import_preview.html", {"batch": batch})


@login_required
@require_POST
def resource_import_apply(request, batch_id):
    batch = _batch(request, batch_id)
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
