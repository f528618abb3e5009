from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/read-all/", views.notification_read_all, name="notification-read-all"),
    path(
        "notifications/<id:notification_id>/open/",
        views.notification_open,
        name="notification-open",
    ),
    path("notifications/preferences/", views.preferences_edit, name="preferences"),
    path(
        "notifications/push/subscriptions/",
        views.push_subscription_add,
        name="push-subscription-add",
    ),
    path(
        "notifications/push/subscriptions/<id:subscription_id>/remove/",
        views.push_subscription_remove,
        name="push-subscription-remove",
    ),
    path("sw.js", views.service_worker, name="service-worker"),
]
