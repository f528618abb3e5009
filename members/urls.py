from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("me/", views.profile_edit, name="profile"),
    path("me/name/", views.name_edit, name="name"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path(
        "organisations/<id:organisation_id>/",
        views.organisation_detail,
        name="organisation-detail",
    ),
    path(
        "organisations/<id:organisation_id>/edit/",
        views.organisation_edit,
        name="organisation-edit",
    ),
    path(
        "organisations/<id:organisation_id>/join/",
        views.organisation_join,
        name="organisation-join",
    ),
    path(
        "organisations/<id:organisation_id>/leave/",
        views.organisation_leave,
        name="organisation-leave",
    ),
    path(
        "organisations/<id:organisation_id>/members/<id:membership_id>/decide/",
        views.organisation_membership_decide,
        name="organisation-membership-decide",
    ),
    path(
        "organisations/<id:organisation_id>/members/<id:membership_id>/promote/",
        views.organisation_member_promote,
        name="organisation-member-promote",
    ),
]
