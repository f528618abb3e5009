"""Every change of state of a platform, by concern: lifecycle (launch, charter,
status, evaluation), goals, join requests, invitations, memberships.

Each function checks policy against the locked, current row (guards), writes, and
records a PlatformEvent in the same transaction; that event is the seam
notifications hook into. Refusals raise PermissionDenied (the actor's role, or a
read-only platform) or ValidationError (the input, or a step the lifecycle does not
allow now), both with the one message for the person, and leave the database as it
was.
"""

from .goals import goal_add, goal_progress_from_board, goal_remove, goal_update
from .guards import (
    event_record,
    require_charter_editor,
    require_coordinator_page,
    require_evaluator,
    require_goal_manager,
    require_invitation_revoker,
    require_inviter,
    require_join_request_decider,
    require_member,
    require_member_remover,
    require_status_changer,
    require_writable,
)
from .invitations import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_is_for,
    invitation_resend,
    invitation_revoke,
)
from .join_requests import (
    join_request_create,
    join_request_decide,
    join_request_withdraw,
    require_join_requester,
)
from .lifecycle import (
    TRANSITIONS,
    next_statuses,
    platform_charter_update,
    platform_evaluation_write,
    platform_launch,
    platform_transition,
)
from .memberships import membership_leave, membership_remove, membership_role_change

__all__ = [
    "TRANSITIONS",
    "event_record",
    "goal_add",
    "goal_progress_from_board",
    "goal_remove",
    "goal_update",
    "invitation_accept",
    "invitation_create",
    "invitation_decline",
    "invitation_is_for",
    "invitation_resend",
    "invitation_revoke",
    "join_request_create",
    "join_request_decide",
    "join_request_withdraw",
    "membership_leave",
    "membership_remove",
    "membership_role_change",
    "next_statuses",
    "platform_charter_update",
    "platform_evaluation_write",
    "platform_launch",
    "platform_transition",
    "require_charter_editor",
    "require_evaluator",
    "require_goal_manager",
    "require_inviter",
    "require_member_remover",
    "require_member",
    "require_invitation_revoker",
    "require_join_request_decider",
    "require_join_requester",
    "require_coordinator_page",
    "require_status_changer",
    "require_writable",
]
