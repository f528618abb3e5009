"""Directory pages, by concern: parse, access, call a service or selector, render."""

from .connect import platform_link_remove, question_answer, resource_ask, resource_link
from .creating import created_resource_draft, created_resource_plan
from .directory import (
    directory_query,
    postal_code_lookup,
    resource_confirm,
    resource_create,
    resource_detail,
    resource_edit,
    resource_list,
    resource_map,
    resource_map_points,
    resources_mine,
)
from .gaps import gap_create, gap_detail, gap_launch, gap_list, gap_note

__all__ = [
    "created_resource_draft",
    "directory_query",
    "created_resource_plan",
    "gap_create",
    "gap_detail",
    "gap_launch",
    "gap_list",
    "gap_note",
    "platform_link_remove",
    "postal_code_lookup",
    "question_answer",
    "resource_ask",
    "resource_confirm",
    "resource_create",
    "resource_detail",
    "resource_edit",
    "resource_link",
    "resource_list",
    "resource_map",
    "resource_map_points",
    "resources_mine",
]
