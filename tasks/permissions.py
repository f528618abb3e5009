"""Who may do what on a board. Boards belong to a platform's members: outsiders,
staff who are not members, and anonymous people get the same 404 as a missing board.

Reading: every member (observers too). Writing cards: coordinators and members,
while the platform is writable and the board not archived. Columns: coordinators.
Confidential cards: their content is for coordinators and the card's assignees only.
"""

from django.http import Http404

from common.ids import parse_id
from common.live import Audience
from platforms import permissions as platform_policy
from platforms.models import Role

from .models import Board, Card


def access_board(user, platform_id, board_id) -> Board:
    try:
        board = Board.objects.select_related("platform").get(
            pk=parse_id(board_id), platform_id=parse_id(platform_id)
        )
    except (Board.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not can_view_board(user, board):
        raise Http404
    return board


def can_view_board(user, board) -> bool:
    return platform_policy.is_member(user, board.platform)


def can_write_cards(user, board) -> bool:
    return (
        platform_policy.is_contributor(user, board.platform)
        and platform_policy.is_writable(board.platform)
        and not board.archived
    )


def can_manage_board(user, board) -> bool:
    """Columns, WIP limits, goal links, renaming and archiving the board."""
    return (
        platform_policy.is_coordinator(user, board.platform)
        and platform_policy.is_writable(board.platform)
        and not board.archived
    )


def can_create_board(user, platform) -> bool:
    return platform_policy.is_coordinator(user, platform) and platform_policy.is_writable(platform)


def can_see_card(user_id: int, role: str | None, card_confidential: bool, assignee_ids) -> bool:
    """The one confidentiality rule, on plain values so pages, snapshots, live events
    and exports all apply it the same way."""
    return not card_confidential or role == Role.COORDINATOR or user_id in set(assignee_ids)


def role_tag(role: str | None) -> str:
    """A board socket's tag on the live hub (common.live)."""
    return f"role:{role}"


def card_content_audience(assignee_ids) -> Audience:
    """can_see_card as a live audience, for a confidential card: coordinators and the
    card's assignees."""
    return Audience(users=frozenset(assignee_ids), tags=frozenset({role_tag(Role.COORDINATOR)}))


def can_see_card_content(user, card: Card, board: Board | None = None) -> bool:
    """Pass the card's `board` when it is at hand: its platform carries the memoised
    membership, so the check costs no query for an ordinary card."""
    if not card.confidential:
        return True
    role = platform_policy.role_of(user, (board or card.board).platform)
    return can_see_card(user.pk, role, True, [u.pk for u in card.assignees.all()])
