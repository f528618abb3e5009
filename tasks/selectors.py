"""Reads shared by the board page, the socket snapshot, replay and the activity feed.
Each takes a fixed number of queries whatever the number of cards."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from members.models import User
from platforms.models import ENDED_STATUSES, Role
from platforms.permissions import role_subquery

from .events import (
    card_for,
    card_payload,
    card_queryset,
    column_payload,
    event_message,
    redact_event,
)
from .models import Board, BoardEvent, Card, Column, HelperClaim
from .permissions import can_see_card

REPLAY_LIMIT = 500


def board_list_for_platform(*, platform):
    return Board.objects.filter(platform=platform).order_by("archived", "created_at", "pk")


def column_list_for_board(*, board):
    return list(Column.objects.filter(board=board, archived=False).order_by("position", "pk"))


def card_payloads_for_board(*, board, include_archived=False) -> list[dict]:
    cards = card_queryset().filter(board=board)
    if not include_archived:
        cards = cards.filter(archived=False)
    return [card_payload(card) for card in cards.order_by("position", "pk")]


def archived_card_payloads_for_board(*, board) -> list[dict]:
    cards = card_queryset().filter(board=board, archived=True).order_by("-updated_at", "-pk")[:100]
    return [card_payload(card) for card in cards]


def board_snapshot(*, board: Board, user_id: int, role: str | None) -> dict:
    """The whole board as this reader may see it, with the seq it is valid at. Read
    inside one transaction so the seq and the rows agree."""
    board.refresh_from_db(fields=["seq", "archived", "name"])
    columns = [column_payload(c) for c in column_list_for_board(board=board)]
    cards = [card_for(c, user_id, role) for c in card_payloads_for_board(board=board)]
    return {
        "type": "snapshot",
        "seq": board.seq,
        "board": {"id": board.pk, "name": board.name, "archived": board.archived},
        "columns": columns,
        "cards": cards,
    }


def board_events_after(*, board: Board, seq: int, user_id: int, role: str | None):
    """The events after `seq`, as this reader may see them, or None when the gap is
    too long to replay or `seq` is one this board has not reached (the reader then
    takes a snapshot: a reader ahead of the board would wait forever)."""
    current = Board.objects.filter(pk=board.pk).values_list("seq", flat=True).first()
    if current is None or seq > current:
        return None
    events = list(
        BoardEvent.objects.filter(board=board, seq__gt=seq)
        .select_related("actor")
        .order_by("seq")[: REPLAY_LIMIT + 1]
    )
    if len(events) > REPLAY_LIMIT:
        return None
    if events and events[0].seq != seq + 1:
        return None
    return past_events_for_reader(events, user_id=user_id, role=role)


def past_events_for_reader(events, *, user_id: int, role: str | None) -> list[dict]:
    """Stored events as this reader may read them today. A card event is judged by the
    card's *current* confidentiality and the reader's *current* assignment, never by
    what was true when it was recorded: a card made confidential later, or a person
    taken off it, hides its earlier titles, descriptions and comments too. Two
    queries, whatever the number of events."""
    events = list(events)
    card_ids = {e.card_id for e in events if e.card_id is not None}
    confidential = set(
        Card.objects.filter(pk__in=card_ids, confidential=True).values_list("pk", flat=True)
    )
    assigned = set()
    if confidential and role != Role.COORDINATOR:
        assigned = set(
            Card.assignees.through.objects.filter(
                card_id__in=confidential, user_id=user_id
            ).values_list("card_id", flat=True)
        )
    messages = []
    for event in events:
        message = event_message(event)
        card = message["data"].get("card")
        if card is None:
            messages.append(message)
            continue
        if event.card_id is None:  # the card is gone: as recorded, and never to assignees
            visible = not card.get("confidential") or role == Role.COORDINATOR
        else:
            visible = can_see_card(
                user_id,
                role,
                event.card_id in confidential,
                [user_id] if event.card_id in assigned else [],
            )
        messages.append(message if visible else redact_event(message))
    return messages


def activity_for_board(*, board: Board):
    """The board's events, newest first; pages pass them through activity_messages."""
    return BoardEvent.objects.filter(board=board).select_related("actor").order_by("-seq")


def activity_for_platform(*, platform):
    return (
        BoardEvent.objects.filter(board__platform=platform)
        .select_related("actor", "board")
        .order_by("-created_at", "-pk")
    )


def activity_messages(events, *, user_id: int, role: str | None) -> list[dict]:
    events = list(events)
    messages = past_events_for_reader(events, user_id=user_id, role=role)
    return [m | {"board": e.board_id} for m, e in zip(messages, events, strict=True)]


def filter_cards(
    cards: list[dict], *, assignee=None, label=None, due=None, text=None
) -> list[dict]:
    """The board's filters, on card payloads (the page and the script agree)."""
    today = timezone.localdate()
    week_end = today + timedelta(days=6 - today.weekday())
    result = []
    for card in cards:
        if card.get("redacted"):
            if assignee or label or due or text:
                continue
            result.append(card)
            continue
        if assignee and int(assignee) not in [a["id"] for a in card["assignees"]]:
            continue
        if label and label not in card["labels"]:
            continue
        if due == "overdue" and not (card["due"] and card["due"] < today.isoformat()):
            continue
        if due == "week" and not (
            card["due"] and today.isoformat() <= card["due"] <= week_end.isoformat()
        ):
            continue
        if text and text.lower() not in (card["title"] + " " + card["description"]).lower():
            continue
        result.append(card)
    return result


# --- わたしの仕事: one person's cards across their platforms ---------------------------

# The order of the groups on the page, and their keys.
WORK_GROUPS = ("overdue", "today", "this_week", "later", "no_date")


@dataclass(frozen=True)
class WorkItem:
    card: Card
    assigned: bool
    helping: bool
    watching: bool
    visible: bool  # False: a confidential card the reader may not read (title hidden)


def work_group(due: date | None, today: date) -> str:
    """Which group a due date falls in, seen on `today` (Asia/Tokyo); the week ends
    on Sunday."""
    if due is None:
        return "no_date"
    if due < today:
        return "overdue"
    if due == today:
        return "today"
    if due <= today + timedelta(days=6 - today.weekday()):
        return "this_week"
    return "later"


def my_work(*, user, today: date | None = None) -> dict[str, list[WorkItem]]:
    """The cards `user` is assigned to, took a helper slot on or watches, on the live
    platforms they belong to (not archived or cancelled; not archived boards, columns
    or cards), grouped by due date. Two queries, however many cards."""
    today = today or timezone.localdate()
    assignments = Card.assignees.through.objects.filter(card=OuterRef("pk"), user=user)
    watches = Card.watchers.through.objects.filter(card=OuterRef("pk"), user=user)
    cards = (
        Card.objects.filter(archived=False, board__archived=False, column__archived=False)
        .exclude(board__platform__status__in=ENDED_STATUSES)
        .annotate(
            reader_role=role_subquery(user, "board__platform"),
            is_assigned=Exists(assignments),
            is_helping=Exists(HelperClaim.objects.filter(card=OuterRef("pk"), user=user)),
            is_watching=Exists(watches),
        )
        .filter(Q(is_assigned=True) | Q(is_helping=True) | Q(is_watching=True))
        .filter(reader_role__isnull=False)
        .select_related("board__platform", "column")
        .prefetch_related(Prefetch("assignees", queryset=User.objects.only("pk")))
        .order_by("due_date", "board__platform__name", "title", "pk")
    )
    groups: dict[str, list[WorkItem]] = {key: [] for key in WORK_GROUPS}
    for card in cards:
        visible = can_see_card(
            user.pk, card.reader_role, card.confidential, [u.pk for u in card.assignees.all()]
        )
        groups[work_group(card.due_date, today)].append(
            WorkItem(card, card.is_assigned, card.is_helping, card.is_watching, visible)
        )
    return groups
