from django.contrib import admin

from .models import (
    CharterRevision,
    Goal,
    Invitation,
    JoinRequest,
    Membership,
    Platform,
    PlatformEvent,
)


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    """Staff read and correct platforms here; lifecycle steps belong to coordinators in
    the app, so status is shown but not edited."""

    list_display = ["name", "status", "visibility", "area", "deadline", "created_at"]
    list_filter = ["status", "visibility"]
    search_fields = ["name", "purpose", "area"]
    date_hierarchy = "deadline"
    readonly_fields = ["status", "status_changed_at", "evaluated_at", "created_by", "created_at"]
    exclude = ["search_text"]
    inlines = [GoalInline, MembershipInline]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["platform", "user", "organisation", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["platform__name", "user__email"]
    raw_id_fields = ["platform", "user", "organisation", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["platform", "email", "role", "status", "created_at", "expires_at"]
    list_filter = ["status", "role"]
    search_fields = ["platform__name", "email"]
    readonly_fields = ["token"]
    raw_id_fields = ["platform", "invited_by", "accepted_by"]


@admin.register(PlatformEvent)
class PlatformEventAdmin(admin.ModelAdmin):
    """The event log is evidence: read only."""

    list_display = ["platform", "kind", "actor", "subject", "created_at"]
    list_filter = ["kind"]
    search_fields = ["platform__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CharterRevision)
class CharterRevisionAdmin(admin.ModelAdmin):
    list_display = ["platform", "number", "actor", "created_at"]
    readonly_fields = ["platform", "number", "charter", "changed_fields", "actor", "created_at"]

    def has_add_permission(self, request):
        return False
