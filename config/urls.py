from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.i18n import JavaScriptCatalog

from common.ids import IdConverter
from config.views import favicon
from members.views import SignupView

register_converter(IdConverter, "id")

urlpatterns = [
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Before allauth's own: sign-up starts with an invitation's address.
    path("accounts/signup/", SignupView.as_view(), name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("", include("members.urls")),
    path("", include("platforms.urls")),
    path("", include("resources.urls")),
    path("", include("tasks.urls")),
    path("", include("notifications.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["tasks"]), name="javascript-catalog"),
]


handler404 = "config.views.page_not_found"
handler403 = "config.views.permission_denied"
