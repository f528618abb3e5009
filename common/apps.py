from django.apps import AppConfig


class CommonConfig(AppConfig):
    """What every app shares and that knows none of them (see DESIGN.md)."""

    name = "common"
    verbose_name = "common"
