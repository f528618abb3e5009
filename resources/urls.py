from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("resources/", views.resource_list, name="resource-list"),
    path("resources/new/", views.resource_create, name="resource-create"),
    path("resources/<id:resource_id>/", views.resource_detail, name="resource-detail"),
    path("resources/<id:resource_id>/edit/", views.resource_edit, name="resource-edit"),
    path("resources/<id:resource_id>/confirm/", views.resource_confirm, name="resource-confirm"),
]
