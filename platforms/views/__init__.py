"""Platform pages, by concern: parse, access, call a service or selector, render.
Services refuse; pages only choose which controls to show (permissions.can_*)."""

from .goals import goal_create, goal_delete, goal_edit
from .home import home
from .invitations import (
    invitation_detail,
    invitation_list,
    invitation_resend,
    invitation_respond,
    invitation_revoke,
)
from .join_requests import (
    join_request_create,
    join_request_decide,
    join_request_list,
    join_request_withdraw,
)
from .lifecycle import (
    dashboard,
    platform_archive_list,
    platform_create,
    platform_detail,
    platform_edit,
    platform_evaluation,
    platform_export,
    platform_history,
    platform_list,
    platform_transition,
)
from .memberships import membership_leave, membership_remove, membership_role
from .reports import platform_report_view, platform_report_xlsx

__all__ = [
    "dashboard",
    "goal_create",
    "goal_delete",
    "goal_edit",
    "home",
    "invitation_detail",
    "invitation_list",
    "invitation_resend",
    "invitation_respond",
    "invitation_revoke",
    "join_request_create",
    "join_request_decide",
    "join_request_list",
    "join_request_withdraw",
    "membership_leave",
    "membership_remove",
    "membership_role",
    "platform_report_view",
    "platform_report_xlsx",
    "platform_archive_list",
    "platform_create",
    "platform_detail",
    "platform_edit",
    "platform_evaluation",
    "platform_export",
    "platform_history",
    "platform_list",
    "platform_transition",
]
