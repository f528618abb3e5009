from django.contrib import admin

from .models import Resource


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "formality", "status", "municipality", "confirmed_at"]
    list_filter = ["kind", "formality", "status"]
    search_fields = ["name", "municipality", "area"]
