from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Organisation, OrganisationMembership, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "area", "participation", "is_staff", "date_joined"]
    list_filter = ["participation", "is_staff", "is_active"]
    search_fields = ["email", "display_name", "area", "skills"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("プロフィール"),
            {"fields": ("display_name", "area", "skills", "introduction", "participation")},
        ),
        (
            _("権限"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("日時"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class OrganisationMembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "resource_type", "area", "created_at"]
    list_filter = ["kind", "resource_type"]
    search_fields = ["name", "area"]
    inlines = [OrganisationMembershipInline]
