from django.urls import path, re_path

from . import views

app_name = "platforms"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("platforms/", views.platform_list, name="platform-list"),
    path("platforms/archive/", views.platform_archive_list, name="platform-archive"),
    path("platforms/new/", views.platform_create, name="platform-create"),
    path("platforms/<id:platform_id>/", views.platform_detail, name="platform-detail"),
    path("platforms/<id:platform_id>/edit/", views.platform_edit, name="platform-edit"),
    path("platforms/<id:platform_id>/history/", views.platform_history, name="platform-history"),
    path(
        "platforms/<id:platform_id>/status/",
        views.platform_transition,
        name="platform-transition",
    ),
    path(
        "platforms/<id:platform_id>/evaluation/",
        views.platform_evaluation,
        name="platform-evaluation",
    ),
    re_path(
        r"^platforms/(?P<platform_id>[0-9]{1,18})/export\.(?P<fmt>json|csv)$",
        views.platform_export,
        name="platform-export",
    ),
    path("platforms/<id:platform_id>/report/", views.platform_report_view, name="platform-report"),
    path(
        "platforms/<id:platform_id>/report.xlsx",
        views.platform_report_xlsx,
        name="platform-report-xlsx",
    ),
    path("platforms/<id:platform_id>/goals/new/", views.goal_create, name="goal-create"),
    path(
        "platforms/<id:platform_id>/goals/<id:goal_id>/edit/",
        views.goal_edit,
        name="goal-edit",
    ),
    path(
        "platforms/<id:platform_id>/goals/<id:goal_id>/delete/",
        views.goal_delete,
        name="goal-delete",
    ),
    path("platforms/<id:platform_id>/join/", views.join_request_create, name="join-request-create"),
    path(
        "platforms/<id:platform_id>/requests/",
        views.join_request_list,
        name="join-request-list",
    ),
    path(
        "platforms/<id:platform_id>/requests/<id:request_id>/decide/",
        views.join_request_decide,
        name="join-request-decide",
    ),
    path(
        "platforms/<id:platform_id>/requests/<id:request_id>/withdraw/",
        views.join_request_withdraw,
        name="join-request-withdraw",
    ),
    path(
        "platforms/<id:platform_id>/invitations/",
        views.invitation_list,
        name="invitation-list",
    ),
    path(
        "platforms/<id:platform_id>/invitations/<id:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "platforms/<id:platform_id>/invitations/<id:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path("platforms/<id:platform_id>/leave/", views.membership_leave, name="membership-leave"),
    path(
        "platforms/<id:platform_id>/members/<id:membership_id>/remove/",
        views.membership_remove,
        name="membership-remove",
    ),
    path(
        "platforms/<id:platform_id>/members/<id:membership_id>/role/",
        views.membership_role,
        name="membership-role",
    ),
    path("invitations/<str:token>/", views.invitation_detail, name="invitation-detail"),
    path("invitations/<str:token>/answer/", views.invitation_respond, name="invitation-respond"),
]
