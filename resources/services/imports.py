"""Importing a list of resources (a municipality's or a council's spreadsheet): read and
checked row by row into a preview, then, when the person who uploaded it confirms,
written in one transaction: every row or none. A row with an external id that is
already in the directory updates that resource instead of adding another, so the same
file imported again changes nothing twice.

Who may import: staff, and the administrators of the organisation the list is for
(it becomes the provider and the steward of what it adds, so the entries have someone
to keep them current)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.permissions import is_organisation_admin

from .. import tabular
from ..forms import ResourceForm
from ..models import EDITABLE_FIELDS, Cost, Resource, ResourceImport, Status
from ..permissions import can_edit_resource, can_import
from .entries import resource_create, resource_update

MAX_FILE_BYTES = 5 * 1024 * 1024


IMPORTERS_ONLY = gettext_lazy("一覧を取り込めるのは、団体の管理者と運営スタッフです。")


def require_import_page(actor) -> None:
    """The import page is for staff and organisation administrators."""
    if not can_import(actor):
        raise PermissionDenied(IMPORTERS_ONLY)


def require_importer(actor, organisation) -> None:
    if not actor.is_authenticated:
        raise PermissionDenied(_("取り込むにはログインしてください。"))
    if actor.is_staff or (organisation is not None and is_organisation_admin(actor, organisation)):
        return
    raise PermissionDenied(IMPORTERS_ONLY)


def _header_of(field: str) -> str:
    for column in tabular.COLUMNS:
        if column.field == field:
            return str(column.header)
    if field == "offers":
        return _("提供できるもの")
    return ""


_AUDIENCE_FIELDS = {
    name: Resource._meta.get_field(name)
    for name in ("phone_audience", "email_audience", "url_audience")
}


def _check_row(actor, organisation, data: dict, offers: list, external_id: str):
    """(the form, the resource it updates or None, the row's errors)."""
    existing = Resource.objects.filter(external_id=external_id).first() if external_id else None
    if existing is not None and not can_edit_resource(actor, existing):
        return None, existing, [_("この外部IDの社会資源は、あなたが編集できないものです。")]
    # What the file does not say stays as it is (an update), or takes the defaults.
    if existing is not None:
        base = model_to_dict(existing, fields=list(EDITABLE_FIELDS))
        base["offers"] = existing.offers
    else:
        base = {name: field.default for name, field in _AUDIENCE_FIELDS.items()} | {
            "cost": Cost.FREE,
            "status": Status.DRAFT,
        }
    form_input = (
        base
        | data
        | {
            "offers": offers if offers is not None else base.get("offers", []),
            "provider_organisation": (existing.provider_organisation_id if existing else None)
            or organisation.pk,
            "steward_organisation": (existing.steward_organisation_id if existing else None)
            or organisation.pk,
        }
    )
    form = ResourceForm(
        form_input, instance=Resource.objects.get(pk=existing.pk) if existing else None
    )
    if form.is_valid():
        return form, existing, []
    errors = []
    for field, messages in form.errors.items():
        header = _header_of(field)
        for message in messages:
            errors.append(f"{header}：{message}" if header else message)
    return form, existing, errors


@transaction.atomic
def resource_import_preview(
    *, actor, organisation, filename: str, content: bytes
) -> ResourceImport:
    """Reads the file into a preview with each row's errors; adds nothing yet."""
    require_importer(actor, organisation)
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError({"file": _("ファイルは5MBまでです。")})
    try:
        header, table = tabular.read_table(filename, content)
    except tabular.UnreadableFile as error:
        raise ValidationError({"file": str(error)}) from None
    columns, problems = tabular.column_map(header)
    if problems:
        raise ValidationError({"file": problems})
    rows, seen, error_count = [], {}, 0
    for line, cells in enumerate(table, start=2):  # line 1 is the header
        data, offers = tabular.form_data(cells, columns)
        external_id = data.pop("external_id", "")
        form, existing, errors = _check_row(actor, organisation, data, offers, external_id)
        if external_id and external_id in seen:
            errors.append(
                _("外部ID「%(id)s」は%(line)d行目と重なっています。")
                % {"id": external_id, "line": seen[external_id]}
            )
        if external_id:
            seen.setdefault(external_id, line)
        error_count += bool(errors)
        rows.append(
            {
                "line": line,
                "name": data.get("name", ""),
                "data": data,
                "offers": offers,
                "external_id": external_id,
                "action": "update" if existing else "create",
                "errors": errors,
            }
        )
    return ResourceImport.objects.create(
        created_by=actor,
        organisation=organisation,
        filename=filename[:200],
        rows=rows,
        error_count=error_count,
    )


@transaction.atomic
def resource_import_apply(*, actor, batch: ResourceImport) -> ResourceImport:
    """Writes every row of a preview without errors, or nothing: each row is checked
    again, since the directory may have changed since the preview."""
    batch = ResourceImport.objects.select_for_update().get(pk=batch.pk)
    if batch.created_by_id != actor.pk:
        raise PermissionDenied(_("取り込みを確定できるのは、ファイルを読み込んだ人です。"))
    require_importer(actor, batch.organisation)
    if batch.state != ResourceImport.State.PREVIEW:
        raise ValidationError(_("この一覧はすでに取り込み済みです。"))
    if batch.error_count:
        raise ValidationError(
            _("エラーのある行があります。ファイルを直して、もう一度読み込んでください。")
        )
    created = updated = 0
    for row in batch.rows:
        form, existing, errors = _check_row(
            actor, batch.organisation, row["data"], row["offers"], row["external_id"]
        )
        if errors:
            raise ValidationError(
                _("%(line)d行目：%(errors)s") % {"line": row["line"], "errors": "、".join(errors)}
            )
        data = dict(form.cleaned_data)
        status = data.pop("status", Status.DRAFT) or Status.DRAFT
        if existing is None:
            resource = resource_create(
                actor=actor, data=data, offers=data["offers"], external_id=row["external_id"]
            )
            created += 1
            if status != Status.DRAFT:
                resource_update(actor=actor, resource=resource, data={"status": status})
        else:
            resource_update(
                actor=actor,
                resource=existing,
                data=data | {"status": status},
                offers=data["offers"],
            )
            updated += 1
    batch.state = ResourceImport.State.APPLIED
    batch.created, batch.updated = created, updated
    batch.applied_at = timezone.now()
    batch.save(update_fields=["state", "created", "updated", "applied_at"])
    return batch
