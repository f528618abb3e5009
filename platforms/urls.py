from django.urls import path, re_path

from . import views

app_name = "platforms"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("platforms/", views.platform_list, name="platform-list"),
    path("platforms/archive/", views.platform_archive_list, name="platform-archive"),
    path("platforms/new/", views.platform_create, name="platform-create"),
    path("platforms/<int:platform_id>/", views.platform_detail, name="platform-detail"),
    path("platforms/<int:platform_id>/edit/", views.platform_edit, name="platform-edit"),
    path("platforms/<int:platform_id>/history/", views.platform_history, name="platform-history"),
    path(
        "platforms/<int:platform_id>/status/",
        views.platform_transition,
        name="platform-transition",
    ),
    path(
        "platforms/<int:platform_id>/evaluation/",
        views.platform_evaluation,
        name="platform-evaluation",
    ),
    re_path(
        r"^platforms/(?P<platform_id>\d+)/export\.(?P<fmt>json|csv)$",
        views.platform_export,
        name="platform-export",
    ),
    path("platforms/<int:platform_id>/goals/new/", views.goal_create, name="goal-create"),
    path(
        "platforms/<int:platform_id>/goals/<int:goal_id>/edit/",
        views.goal_edit,
        name="goal-edit",
    ),
    path(
        "platforms/<int:platform_id>/goals/<int:goal_id>/delete/",
        views.goal_delete,
        name="goal-delete",
    ),
    path(
        "platforms/<int:platform_id>/join/", views.join_request_create, name="join-request-create"
    ),
    path(
        "platforms/<int:platform_id>/requests/",
        views.join_request_list,
        name="join-request-list",
    ),
    path(
        "platforms/<int:platform_id>/requests/<int:request_id>/decide/",
        views.join_request_decide,
        name="join-request-decide",
    ),
    path(
        "platforms/<int:platform_id>/requests/<int:request_id>/withdraw/",
        views.join_request_withdraw,
        name="join-request-withdraw",
    ),
    path(
        "platforms/<int:platform_id>/invitations/",
        views.invitation_list,
        name="invitation-list",
    ),
    path(
        "platforms/<int:platform_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("platforms/<int:platform_id>/leave/", views.membership_leave, name="membership-leave"),
    path(
        "platforms/<int:platform_id>/members/<int:membership_id>/remove/",
        views.membership_remove,
        name="membership-remove",
    ),
    path(
        "platforms/<int:platform_id>/members/<int:membership_id>/role/",
        views.membership_role,
        name="membership-role",
    ),
    path("invitations/<str:token>/", views.invitation_detail, name="invitation-detail"),
    path("invitations/<str:token>/answer/", views.invitation_respond, name="invitation-respond"),
]
