from django.urls import path

from . import views
from .views import hsds, tables

app_name = "resources"

urlpatterns = [
    path("resources/", views.resource_list, name="resource-list"),
    path("resources/new/", views.resource_create, name="resource-create"),
    path("resources/mine/", views.resources_mine, name="resources-mine"),
    path("resources/map/", views.resource_map, name="resource-map"),
    path("resources/map/points/", views.resource_map_points, name="resource-map-points"),
    path("resources/postal-code/", views.postal_code_lookup, name="postal-code"),
    path("resources/sheet/", tables.resource_sheet, name="resource-sheet"),
    path("resources/sheet.xlsx", tables.resource_sheet_xlsx, name="resource-sheet-xlsx"),
    path("resources/export.csv", tables.resource_export_csv, name="resource-export-csv"),
    path("resources/export.xlsx", tables.resource_export_xlsx, name="resource-export-xlsx"),
    path("resources/import/", tables.resource_import, name="resource-import"),
    path(
        "resources/import/<id:batch_id>/",
        tables.resource_import_preview,
        name="resource-import-preview",
    ),
    path(
        "resources/import/<id:batch_id>/apply/",
        tables.resource_import_apply,
        name="resource-import-apply",
    ),
    path("resources/<id:resource_id>/", views.resource_detail, name="resource-detail"),
    path("resources/<id:resource_id>/edit/", views.resource_edit, name="resource-edit"),
    path("resources/<id:resource_id>/confirm/", views.resource_confirm, name="resource-confirm"),
    path("resources/<id:resource_id>/link/", views.resource_link, name="resource-link"),
    path("resources/<id:resource_id>/ask/", views.resource_ask, name="resource-ask"),
    path(
        "resources/<id:resource_id>/questions/<id:question_id>/answer/",
        views.question_answer,
        name="question-answer",
    ),
    path(
        "platforms/<id:platform_id>/resources/new/",
        views.created_resource_draft,
        name="created-resource-draft",
    ),
    path(
        "platforms/<id:platform_id>/resources/<id:resource_id>/plan/",
        views.created_resource_plan,
        name="created-resource-plan",
    ),
    path(
        "platforms/<id:platform_id>/resource-links/<id:link_id>/remove/",
        views.platform_link_remove,
        name="platform-link-remove",
    ),
    # HSDS 3.0 (Open Referral): the specification's paths, without a trailing slash.
    path("hsds/", hsds.hsds_root, name="hsds-root"),
    path("hsds/services", hsds.service_list, name="hsds-services"),
    path("hsds/services/<str:service_id>", hsds.service_detail, name="hsds-service"),
    path("hsds/organizations", hsds.organization_list, name="hsds-organizations"),
    path(
        "hsds/organizations/<str:organization_id>",
        hsds.organization_detail,
        name="hsds-organization",
    ),
    path(
        "hsds/service_at_locations",
        hsds.service_at_location_list,
        name="hsds-service-at-locations",
    ),
    path(
        "hsds/service_at_locations/<str:service_at_location_id>",
        hsds.service_at_location_detail,
        name="hsds-service-at-location",
    ),
    path("gaps/", views.gap_list, name="gap-list"),
    path("gaps/new/", views.gap_create, name="gap-create"),
    path("gaps/<id:gap_id>/", views.gap_detail, name="gap-detail"),
    path("gaps/<id:gap_id>/note/", views.gap_note, name="gap-note"),
    path("gaps/<id:gap_id>/launch/", views.gap_launch, name="gap-launch"),
]
