from django.contrib import admin

from .models import Board, Column


class ColumnInline(admin.TabularInline):
    model = Column
    extra = 0
    fields = ["name", "position", "wip_limit", "goal", "archived"]
    readonly_fields = ["position"]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    """Boards and their columns. Cards and board events are not in the admin: they may
    hold confidential case details that only a platform's coordinators and a card's
    assignees may read, and edits here would bypass the event log the browsers follow."""

    list_display = ["name", "platform", "template", "seq", "archived", "created_at"]
    list_filter = ["template", "archived"]
    search_fields = ["name", "platform__name"]
    readonly_fields = ["seq", "created_by", "created_at"]
    inlines = [ColumnInline]
