"""Who may do what on a board. Boards belong to a platform's members: outsiders,
staff who are not members, and anonymous people get the same 404 as a missing board.

Reading: every member (observers too). Writing cards: coordinators and members,
while the platform is writable and the board not archived. Columns: coordinators.
Confidential cards: their content is for coordinators and the card's assignees only.

access_board returns the board with the reader's role (one query); the predicates
take that role, so nothing is memoised on a model instance.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from common.ids import parse_id
from common.live import Audience
from platforms import permissions as platform_policy
from platforms.models import Role

from .models import Board, Card, ChecklistItem, Column


def access_board(user, platform_id, board_id) -> tuple[Board, str]:
    """The board and the reader's role in its platform, if the reader is a member;
    otherwise the same 404 as a missing board."""
    if not user.is_authenticated:
        raise Http404
    try:
        board = (
            Board.objects.select_related("platform")
            .annotate(reader_role=platform_policy.role_subquery(user, "platform"))
            .get(pk=parse_id(board_id), platform_id=parse_id(platform_id))
        )
    except (Board.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not can_view_board(board.reader_role):
        raise Http404
    return board, board.reader_role


def access_boards_of(user, platform_id):
    """A platform's boards are for its members: (platform, role), or a 404."""
    platform, role = platform_policy.access_platform(user, platform_id)
    if not can_view_board(role):
        raise Http404
    return platform, role


def access_card(board, card_id) -> Card:
    """A card of a board the reader may open (access_board first), with everything
    its payload reads. A confidential card is found too: the page shows it redacted
    to whom may not see it."""
    try:
        return Card.objects.for_payload().get(pk=parse_id(card_id), board=board)
    except (Card.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def access_column(board, column_id) -> Column:
    """A live column of a board the reader may open (access_board first), or a 404."""
    try:
        return Column.objects.get(pk=parse_id(column_id), board=board, archived=False)
    except (Column.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def access_checklist_item(card, item_id) -> ChecklistItem:
    """An item of a card the reader may open (access_card first), or a 404."""
    try:
        return ChecklistItem.objects.get(pk=parse_id(item_id), card=card)
    except (ChecklistItem.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def can_view_board(role) -> bool:
    return platform_policy.is_member(role)


def can_write_cards(role, board) -> bool:
    return (
        platform_policy.is_contributor(role)
        and platform_policy.is_writable(board.platform)
        and not board.archived
    )


def can_manage_board(role, board) -> bool:
    """Columns, WIP limits, goal links, renaming and archiving the board."""
    return (
        platform_policy.is_coordinator(role)
        and platform_policy.is_writable(board.platform)
        and not board.archived
    )


def board_read_only_reason(board) -> str | None:
    """Why nothing on the board may change any more; None while it is writable."""
    if board.archived:
        return _("アーカイブしたボードは変更できません。")
    return platform_policy.read_only_reason(board.platform)


def can_create_board(role, platform) -> bool:
    return platform_policy.is_coordinator(role) and platform_policy.is_writable(platform)


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


def can_see_card_content(user_id: int, role: str | None, card: Card) -> bool:
    if not card.confidential:
        return True
    return can_see_card(user_id, role, True, [u.pk for u in card.assignees.all()])
