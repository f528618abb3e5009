"""Every change in the directory; the only place that refuses (PermissionDenied for
who may not, ValidationError for the input and the state)."""

from .creating import (
    created_resource_draft,
    created_resource_plan,
    created_resources_archive,
    created_resources_problems,
    require_drafter,
)
from .entries import (
    require_resource_editor,
    resource_confirm,
    resource_create,
    resource_update,
)
from .gaps import gap_launch_platform, gap_note, gap_record
from .imports import (
    require_import_page,
    require_importer,
    resource_import_apply,
    resource_import_preview,
)
from .links import (
    platform_resource_link,
    platform_resource_unlink,
    require_linkable,
    require_linker_of_some_platform,
)
from .questions import require_askable, resource_question_answer, resource_question_ask

__all__ = [
    "created_resource_draft",
    "created_resource_plan",
    "created_resources_archive",
    "created_resources_problems",
    "gap_launch_platform",
    "gap_note",
    "gap_record",
    "platform_resource_link",
    "platform_resource_unlink",
    "require_drafter",
    "require_askable",
    "require_import_page",
    "require_importer",
    "require_linkable",
    "require_linker_of_some_platform",
    "require_resource_editor",
    "resource_confirm",
    "resource_create",
    "resource_import_apply",
    "resource_import_preview",
    "resource_question_answer",
    "resource_question_ask",
    "resource_update",
]
