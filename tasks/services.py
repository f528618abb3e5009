"""Every change of a board. Each function locks the board row, checks the policy,
applies the change, bumps the board's seq, stores a BoardEvent with that seq and,
after commit, publishes it on the board's live channel (tasks.live).

Holding the board's row lock for the whole change serialises a board's writes, so
positions computed from the neighbours are always computed from the latest order and
concurrent moves converge to one order for every client and in the database.

Refusals raise PermissionDenied (role, confidentiality, read-only platform),
ValidationError (input or state) or CardConflict (an edit based on an old version),
each with a message for the person, and change nothing.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from common.ids import parse_id
from common.text import clean_field
from notifications.kinds import NoticeKind
from notifications.services import notify
from platforms import permissions as platform_policy
from platforms.models import Goal, Membership, Platform
from platforms.services import goal_progress_from_board, require_writable
from resources.selectors import platform_resource

from . import live, notices
from . import permissions as policy
from .events import card_payload, card_queryset, column_payload, event_message
from .models import (
    TEMPLATE_COLUMNS,
    Board,
    BoardEvent,
    BoardTemplate,
    Card,
    ChecklistItem,
    Column,
    Comment,
    HelperClaim,
    Label,
)
from .ordering import key_between, keys_after


class CardConflict(Exception):  # noqa: N818 - a domain outcome, not a programming error
    """An edit was made against an old version; `current` is the card as it is now."""

    def __init__(self, current: dict):
        super().__init__(
            _(
                "ほかの人が先にこのカードを変更しました。最新の内容を確認してから、もう一度保存してください。"
            )
        )
        self.current = current


def _locked_board(board: Board, actor) -> tuple[Board, str | None]:
    """The board, locked, with its platform and (in the same query) the actor's role,
    which the policy checks then take."""
    locked = (
        Board.objects.select_for_update()
        .select_related("platform")
        .annotate(actor_role=platform_policy.role_subquery(actor, "platform"))
        .get(pk=board.pk)
    )
    return locked, locked.actor_role


def _locked_board_with_next_seq(board: Board, actor) -> tuple[Board, str | None]:
    """Locks the board row and takes its next seq in one statement (UPDATE …
    RETURNING, with the platform's status and the actor's role), for a write that
    records exactly one event when it succeeds (a refusal rolls the seq back with
    everything else). `board` is refreshed from the row."""
    boards, platforms = Board._meta.db_table, Platform._meta.db_table
    memberships = Membership._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {boards} SET seq = seq + 1 WHERE id = %s "  # noqa: S608 - table names
            f"RETURNING seq, archived, "
            f"(SELECT status FROM {platforms} WHERE id = {boards}.platform_id), "
            f"(SELECT role FROM {memberships} "
            f"WHERE platform_id = {boards}.platform_id AND user_id = %s)",
            [board.pk, actor.pk],
        )
        seq, archived, status, role = cursor.fetchone()
    board.seq, board.archived, board.platform.status = seq, bool(archived), status
    return board, role


def _require_state_writable(board: Board) -> None:
    reason = policy.board_read_only_reason(board)
    if reason is not None:
        raise PermissionDenied(reason)


def require_card_writer(role, board: Board) -> None:
    """Coordinators and members write cards while the board and its platform are
    writable; observers read."""
    if not platform_policy.is_contributor(role):
        raise PermissionDenied(_("オブザーバーはボードを読むことだけができます。"))
    _require_state_writable(board)


def require_board_manager(role, board: Board) -> None:
    """Columns, WIP limits and goal links: coordinators, while the board is writable.
    Views ask it too, before they act."""
    if not platform_policy.is_coordinator(role):
        raise PermissionDenied(_("列を変えられるのはコーディネーターだけです。"))
    _require_state_writable(board)


def require_board_creator(role, platform) -> None:
    if not platform_policy.is_coordinator(role):
        raise PermissionDenied(_("ボードを作れるのはコーディネーターだけです。"))
    require_writable(platform)


def _emit(
    board: Board, kind: str, actor, data: dict, card: Card | None = None, *, seq_taken=False
) -> BoardEvent:
    """Bumps the board's seq (unless the write took it with the lock) and records the
    event; publishes it after commit."""
    if not seq_taken:
        board.seq += 1
        Board.objects.filter(pk=board.pk).update(seq=board.seq)
    event = BoardEvent.objects.create(
        board=board, seq=board.seq, kind=kind, payload=data, card=card, actor=actor
    )
    message = event_message(event)
    transaction.on_commit(lambda: live.publish_event(board.pk, message))
    return event


LIVE_FIELDS = ("column", "position", "archived")


def _card_data(card_id: int) -> dict:
    """The card's payload read from the database; refreshes its payload cache."""
    data = card_payload(card_queryset().get(pk=card_id))
    cached = {k: v for k, v in data.items() if k not in LIVE_FIELDS}
    Card.objects.filter(pk=card_id).update(payload_cache=cached)
    return data


def _card_data_after_move(card: Card) -> dict:
    """A moved card's payload: its cache plus where it now stands, without a query.
    The cache is dropped whenever a person on the card is renamed (tasks.receivers),
    so a name changed in the profile, the admin or by a new email address is never
    stale: the next write reads the card afresh."""
    if card.payload_cache is None:
        return _card_data(card.pk)
    return card.payload_cache | {
        "column": card.column_id,
        "position": card.position,
        "archived": card.archived,
    }


def forget_payloads_naming(user_id: int) -> int:
    """Drops the payload cache of every card that names the person (as an assignee or
    a helper): called when their name may have changed."""
    naming = Q(assignees__pk=user_id) | Q(claims__user_id=user_id)
    ids = Card.objects.filter(naming).values("pk")
    return Card.objects.filter(pk__in=ids, payload_cache__isnull=False).update(payload_cache=None)


def _card_in(board: Board, card_id) -> Card:
    try:
        return Card.objects.select_related("column").get(pk=parse_id(card_id), board=board)
    except (Card.DoesNotExist, ValueError, TypeError, OverflowError):
        raise ValidationError(_("このカードは見つかりません。")) from None


def _column_in(board: Board, column_id) -> Column:
    try:
        return Column.objects.get(pk=parse_id(column_id), board=board, archived=False)
    except (Column.DoesNotExist, ValueError, TypeError, OverflowError):
        raise ValidationError(_("この列は見つかりません。")) from None


def _require_card_access(user_id: int, role, card: Card) -> None:
    if not policy.can_see_card_content(user_id, role, card):
        raise PermissionDenied(_("このカードはコーディネーターと担当者だけが扱えます。"))


def require_card_editor(user_id: int, role, board: Board, card: Card) -> None:
    """Whether the reader may change this card (the card page asks before it reads a
    posted form)."""
    require_card_writer(role, board)
    _require_card_access(user_id, role, card)


def _card_for_write(actor, board: Board, card_id) -> tuple[Board, Card]:
    """The locked board and the card, once the actor may write the board and see the
    card: the start of every card change."""
    board, role = _locked_board(board, actor)
    require_card_writer(role, board)
    card = _card_in(board, card_id)
    _require_card_access(actor.pk, role, card)
    return board, card


def _members_of(board: Board, user_ids) -> list:
    """The given users, refused unless every one is a member of the board's platform."""
    ids = {parse_id(i) for i in user_ids}
    if None in ids:
        raise ValidationError({"assignees": _("担当の指定が正しくありません。")})
    members = list(
        Membership.objects.filter(platform=board.platform, user_id__in=ids).select_related("user")
    )
    if len(members) != len(ids):
        raise ValidationError(
            {"assignees": _("担当にできるのはこのプラットフォームの参加者だけです。")}
        )
    return [m.user for m in members]


def _sync_goals(board: Board, actor, goal_ids) -> None:
    """A goal linked to columns counts the cards standing in them."""
    for goal in Goal.objects.filter(pk__in={g for g in goal_ids if g}):
        count = Card.objects.filter(
            column__goal=goal, archived=False, column__archived=False
        ).count()
        goal_progress_from_board(actor=actor, goal=goal, value=count)


# --- boards and columns ---------------------------------------------------------


@transaction.atomic
def board_create(*, actor, platform, name: str, template: str = BoardTemplate.BLANK) -> Board:
    """A coordinator adds a board to a writable platform, with the template's columns."""
    require_board_creator(platform_policy.role_of(actor, platform), platform)
    if template not in BoardTemplate.values:
        raise ValidationError({"template": _("指定されたひな形はありません。")})
    name = clean_field(name, field="name", max_length=100, required=True)
    board = Board.objects.create(platform=platform, name=name, template=template, created_by=actor)
    names = TEMPLATE_COLUMNS[BoardTemplate(template)]
    for column_name, position in zip(names, keys_after(None, len(names)), strict=True):
        Column.objects.create(board=board, name=str(column_name), position=position)
    return board


def _check_wip_limit(wip_limit) -> None:
    invalid = isinstance(wip_limit, bool) or not isinstance(wip_limit, int)
    if wip_limit is not None and (invalid or not 1 <= wip_limit <= 999):
        raise ValidationError({"wip_limit": _("WIP制限は1から999の数で入れてください。")})


@transaction.atomic
def column_add(*, actor, board: Board, name: str, wip_limit: int | None = None) -> Column:
    board, role = _locked_board(board, actor)
    require_board_manager(role, board)
    name = clean_field(name, field="name", max_length=60, required=True)
    _check_wip_limit(wip_limit)
    last = board.columns.filter(archived=False).order_by("-position").first()
    column = Column.objects.create(
        board=board,
        name=name,
        wip_limit=wip_limit,
        position=key_between(last.position if last else None, None),
    )
    _emit(board, "column.added", actor, {"column": column_payload(column)})
    return column


@transaction.atomic
def column_update(
    *, actor, board: Board, column_id, name=None, wip_limit=..., goal_id=...
) -> Column:
    """Renames a column, sets or clears its WIP limit, links or unlinks a goal."""
    board, role = _locked_board(board, actor)
    require_board_manager(role, board)
    column = _column_in(board, column_id)
    previous_goal = column.goal_id
    if name is not None:
        column.name = clean_field(name, field="name", max_length=60, required=True)
    if wip_limit is not ...:
        _check_wip_limit(wip_limit)
        column.wip_limit = wip_limit
    if goal_id is not ...:
        if (
            goal_id is not None
            and not Goal.objects.filter(pk=goal_id, platform=board.platform).exists()
        ):
            raise ValidationError({"goal": _("このプラットフォームの目標を選んでください。")})
        column.goal_id = goal_id
    column.save()
    _emit(board, "column.updated", actor, {"column": column_payload(column)})
    if goal_id is not ...:
        _sync_goals(board, actor, {previous_goal, column.goal_id})
    return column


@transaction.atomic
def column_move(*, actor, board: Board, column_id, after_id=None, step: int = 0) -> Column:
    """Moves a column right after the column `after_id` (first when None), or, with a
    step of -1 or +1, one place left or right (the keyboard way to reorder)."""
    board, role = _locked_board(board, actor)
    require_board_manager(role, board)
    column = _column_in(board, column_id)
    columns = list(board.columns.filter(archived=False).order_by("position", "pk"))
    order = [c for c in columns if c.pk != column.pk]
    if step:
        index = columns.index(column) + step
        index = max(0, min(index, len(order)))
        after_id = order[index - 1].pk if index > 0 else None
    column.position = _position_after(order, after_id)
    column.save(update_fields=["position"])
    _emit(board, "column.moved", actor, {"column": column_payload(column)})
    return column


@transaction.atomic
def column_archive(*, actor, board: Board, column_id) -> Column:
    """Archives an empty column; its cards must be moved or archived first."""
    board, role = _locked_board(board, actor)
    require_board_manager(role, board)
    column = _column_in(board, column_id)
    if column.cards.filter(archived=False).exists():
        raise ValidationError(
            _("カードが残っている列はアーカイブできません。先にカードを移してください。")
        )
    if board.columns.filter(archived=False).count() == 1:
        raise ValidationError(_("最後の列はアーカイブできません。"))
    column.archived = True
    column.save(update_fields=["archived"])
    _emit(board, "column.archived", actor, {"column": column_payload(column)})
    return column


def _position_after(order: list, after_id) -> str:
    """The key that places an item right after `after_id` in `order` (first if None).
    An `after_id` no longer in the list (moved meanwhile) places it at the end."""
    if after_id is None:
        return key_between(None, order[0].position if order else None)
    index = next((i for i, item in enumerate(order) if str(item.pk) == str(after_id)), None)
    if index is None:
        return key_between(order[-1].position if order else None, None)
    following = order[index + 1].position if index + 1 < len(order) else None
    return key_between(order[index].position, following)


def _column_order(column: Column, *, excluding: Card | None = None) -> list[Card]:
    cards = Card.objects.filter(column=column, archived=False).only("pk", "position")
    if excluding is not None:
        cards = cards.exclude(pk=excluding.pk)
    return list(cards.order_by("position", "pk"))


def _wip_exceeded(column: Column) -> bool:
    return bool(column.wip_limit) and (
        Card.objects.filter(column=column, archived=False).count() > column.wip_limit
    )


# --- cards ----------------------------------------------------------------------


@transaction.atomic
def card_create(
    *, actor, board: Board, column_id, title: str, description: str = "", confidential=False
) -> Card:
    """Adds a card at the bottom of a column."""
    board, role = _locked_board(board, actor)
    require_card_writer(role, board)
    column = _column_in(board, column_id)
    title = clean_field(title, field="title", max_length=200, required=True)
    description = clean_field(
        description, field="description", max_length=5000, required=False, multiline=True
    )
    order = _column_order(column)
    card = Card.objects.create(
        board=board,
        column=column,
        position=key_between(order[-1].position if order else None, None),
        title=title,
        description=description,
        confidential=bool(confidential),
        created_by=actor,
    )
    if card.confidential and not platform_policy.is_coordinator(role):
        # Whoever writes a confidential card keeps access to it.
        card.assignees.add(actor)
    card.watchers.add(actor)
    data = {"card": _card_data(card.pk), "wip_exceeded": _wip_exceeded(column)}
    _emit(board, "card.created", actor, data, card=card)
    _sync_goals(board, actor, {column.goal_id})
    return card


@transaction.atomic
def card_move(
    *, actor, board: Board, card_id, column_id, after_id=None, at_bottom: bool = False
) -> dict:
    """Moves a card into a column, right after the card `after_id` (top when None), or
    to the bottom. Returns the event data; `wip_exceeded` says the column is now over
    its limit (the move is kept; the board warns)."""
    # The hot path of a live board: the lock and the seq in one statement, then the
    # card, the column, its order, the update and the event (6 in all on PostgreSQL
    # when no goal follows the columns).
    board, role = _locked_board_with_next_seq(board, actor)
    require_card_writer(role, board)
    card = _card_in(board, card_id)
    _require_card_access(actor.pk, role, card)
    if card.archived:
        raise ValidationError(_("アーカイブしたカードは動かせません。先に元に戻してください。"))
    source_goal = card.column.goal_id
    same_column = column_id == card.column_id and not card.column.archived
    column = card.column if same_column else _column_in(board, column_id)
    order = _column_order(column, excluding=card)
    if at_bottom:
        after_id = order[-1].pk if order else None
    card.position = _position_after(order, after_id)
    card.column = column
    card.save(update_fields=["position", "column", "updated_at"])
    # `order` is the column's other open cards: with this one, the column's count.
    wip_exceeded = bool(column.wip_limit) and len(order) + 1 > column.wip_limit
    data = {"card": _card_data_after_move(card), "wip_exceeded": wip_exceeded}
    _emit(board, "card.moved", actor, data, card=card, seq_taken=True)
    _sync_goals(
        board, actor, {source_goal, column.goal_id} if source_goal != column.goal_id else set()
    )
    return data


EDITABLE_FIELDS = {
    "title",
    "description",
    "due",
    "labels",
    "assignees",
    "confidential",
    "helpers_needed",
    "helper_skills",
}


@transaction.atomic
def card_update(*, actor, board: Board, card_id, version: int, fields: dict) -> dict:
    """Edits a card's content. `version` is the version the edit was based on; if the
    card changed since, CardConflict carries the current card and nothing is saved."""
    board, card = _card_for_write(actor, board, card_id)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(_("変更できない項目が含まれています。"))
    if card.version != version:
        raise CardConflict(_card_data(card.pk))
    before = _helper_facts(card)
    assigned_before = set(card.assignees.values_list("pk", flat=True))
    if "title" in fields:
        card.title = clean_field(fields["title"], field="title", max_length=200, required=True)
    if "description" in fields:
        card.description = clean_field(
            fields["description"],
            field="description",
            max_length=5000,
            required=False,
            multiline=True,
        )
    if "due" in fields:
        due = fields["due"]
        try:
            card.due_date = date.fromisoformat(due) if due else None
        except (TypeError, ValueError):
            raise ValidationError({"due": _("日付を正しく入力してください。")}) from None
    if "confidential" in fields:
        if not isinstance(fields["confidential"], bool):
            raise ValidationError({"confidential": _("はい・いいえで指定してください。")})
        card.confidential = fields["confidential"]
    if "helpers_needed" in fields:
        needed = fields["helpers_needed"]
        if not isinstance(needed, int) or isinstance(needed, bool) or not 0 <= needed <= 99:
            raise ValidationError({"helpers_needed": _("手伝いの人数は0から99で入れてください。")})
        if needed < card.claims.count():
            raise ValidationError(
                {"helpers_needed": _("すでに手を挙げた人より少なくはできません。")}
            )
        card.helpers_needed = needed
    if "helper_skills" in fields:
        card.helper_skills = clean_field(
            fields["helper_skills"], field="helper_skills", max_length=200, required=False
        )
    if "assignees" in fields:
        if not isinstance(fields["assignees"], list):
            raise ValidationError({"assignees": _("担当の指定が正しくありません。")})
        try:
            assignees = _members_of(board, fields["assignees"])
        except (TypeError, ValueError):
            raise ValidationError({"assignees": _("担当の指定が正しくありません。")}) from None
        card.assignees.set(assignees)
        newly_assigned = [u for u in assignees if u.pk not in assigned_before]
        _tell(notices.CARD_ASSIGNED, newly_assigned, board, actor, card)
    if "labels" in fields:
        names = fields["labels"]
        if not isinstance(names, list) or len(names) > 10:
            raise ValidationError({"labels": _("ラベルは10個までです。")})
        cleaned = {clean_field(n, field="labels", max_length=30, required=True) for n in names}
        card.labels.set(
            [Label.objects.get_or_create(board=board, name=name)[0] for name in sorted(cleaned)]
        )
    card.version += 1
    card.save()
    if _helper_facts(card) != before:
        _tell_helpers(board, actor, card)
    data = {"card": _card_data(card.pk)}
    _emit(board, "card.updated", actor, data, card=card)
    return data


def _helper_facts(card: Card) -> tuple:
    """What a person who offered to help relies on."""
    return (card.title, card.description, card.due_date, card.helpers_needed, card.helper_skills)


def _tell(kind: NoticeKind, recipients, board: Board, actor, card: Card) -> None:
    """Notifies people about a card (the card kinds' readers keep a confidential
    card from anyone who may not see it)."""
    card.board = board
    notify(recipients=recipients, kind=kind, platform=board.platform, card=card, actor=actor)


def _tell_helpers(board: Board, actor, card: Card) -> None:
    helpers = [claim.user for claim in card.claims.select_related("user")]
    _tell(notices.HELPER_SLOT_CHANGED, helpers, board, actor, card)


@transaction.atomic
def card_archive(*, actor, board: Board, card_id) -> dict:
    """Archives a card: it leaves the board and keeps its history."""
    return _card_set_archived(actor, board, card_id, archived=True)


@transaction.atomic
def card_restore(*, actor, board: Board, card_id) -> dict:
    """Puts an archived card back, at the bottom of its column."""
    return _card_set_archived(actor, board, card_id, archived=False)


def _card_set_archived(actor, board: Board, card_id, *, archived: bool) -> dict:
    board, card = _card_for_write(actor, board, card_id)
    if card.archived == archived:
        raise ValidationError(
            _("このカードはすでにアーカイブされています。")
            if archived
            else _("このカードはアーカイブされていません。")
        )
    if not archived and card.column.archived:
        raise ValidationError(_("元の列がアーカイブされています。列を戻してからにしてください。"))
    card.archived = archived
    if not archived:
        order = _column_order(card.column, excluding=card)
        card.position = key_between(order[-1].position if order else None, None)
    card.save(update_fields=["archived", "position", "updated_at"])
    if archived:
        _tell_helpers(board, actor, card)
    data = {"card": _card_data_after_move(card)}
    _emit(board, "card.archived" if archived else "card.restored", actor, data, card=card)
    _sync_goals(board, actor, {card.column.goal_id})
    return data


@transaction.atomic
def checklist_add(*, actor, board: Board, card_id, text: str) -> dict:
    board, card = _card_for_write(actor, board, card_id)
    text = clean_field(text, field="text", max_length=200, required=True)
    if card.checklist.count() >= 50:
        raise ValidationError(_("チェックリストは50項目までです。"))
    ChecklistItem.objects.create(card=card, text=text, position=card.checklist.count())
    return _card_changed(board, actor, card, "checklist.changed")


def _checklist_item(card: Card, item_id) -> ChecklistItem:
    try:
        return card.checklist.get(pk=parse_id(item_id))
    except (ChecklistItem.DoesNotExist, ValueError, TypeError, OverflowError):
        raise ValidationError(_("このチェック項目は見つかりません。")) from None


@transaction.atomic
def checklist_set(*, actor, board: Board, card_id, item_id, done: bool) -> dict:
    """Ticks a checklist item as done, or not done."""
    board, card = _card_for_write(actor, board, card_id)
    item = _checklist_item(card, item_id)
    if not isinstance(done, bool):
        raise ValidationError(_("済み・未済みを指定してください。"))
    item.done = done
    item.save(update_fields=["done"])
    return _card_changed(board, actor, card, "checklist.changed")


@transaction.atomic
def checklist_item_remove(*, actor, board: Board, card_id, item_id) -> dict:
    board, card = _card_for_write(actor, board, card_id)
    _checklist_item(card, item_id).delete()
    return _card_changed(board, actor, card, "checklist.changed")


@transaction.atomic
def card_resource_link(*, actor, board: Board, card_id, resource_id) -> dict:
    """Links one of the platform's resources (used, funding or being created) to the
    card."""
    board, card = _card_for_write(actor, board, card_id)
    resource = platform_resource(board.platform, resource_id)
    if resource is None:
        raise ValidationError(_("このプラットフォームにつながっている社会資源から選んでください。"))
    if card.resources.count() >= 20:
        raise ValidationError(_("1枚のカードにつなげられる社会資源は20件までです。"))
    card.resources.add(resource)
    return _card_changed(board, actor, card, "card.resources_changed")


@transaction.atomic
def card_resource_unlink(*, actor, board: Board, card_id, resource_id) -> dict:
    board, card = _card_for_write(actor, board, card_id)
    try:
        card.resources.remove(parse_id(resource_id))
    except (ValueError, TypeError, OverflowError):
        raise ValidationError(_("この社会資源は見つかりません。")) from None
    return _card_changed(board, actor, card, "card.resources_changed")


def _card_changed(board, actor, card, kind) -> dict:
    # Checklist, claims and comments sit beside the edited fields: they do not bump
    # `version`, so ticking an item never makes someone's open edit a conflict.
    card.save(update_fields=["updated_at"])
    data = {"card": _card_data(card.pk)}
    _emit(board, kind, actor, data, card=card)
    return data


@transaction.atomic
def comment_add(*, actor, board: Board, card_id, body: str) -> Comment:
    """Adds a comment; members named as "@name" in it are recorded as mentioned."""
    board, card = _card_for_write(actor, board, card_id)
    body = clean_field(body, field="body", max_length=2000, required=True, multiline=True)
    comment = Comment.objects.create(card=card, author=actor, body=body)
    if "@" in body:
        members = Membership.objects.filter(platform=board.platform).select_related("user")
        mentioned = [m.user for m in members if f"@{m.user.name}" in body]
        comment.mentions.set(mentioned)
    _tell_about_comment(board, actor, card, comment)
    card.watchers.add(actor)
    data = {
        "card": _card_data(card.pk),
        "comment": {
            "id": comment.pk,
            "author": {"id": actor.pk, "name": actor.name},
            "body": comment.body,
            "mentions": [u.pk for u in comment.mentions.all()],
            "at": comment.created_at.isoformat(),
        },
    }
    _emit(board, "comment.added", actor, data, card=card)
    return comment


def _tell_about_comment(board: Board, actor, card: Card, comment: Comment) -> None:
    """Mentioned people hear that they were named; the card's assignees and watchers
    hear of the comment (once each: a mention says it already)."""
    mentioned = list(comment.mentions.all())
    _tell(notices.MENTIONED, mentioned, board, actor, card)
    named = {u.pk for u in mentioned}
    following = {u.pk: u for u in [*card.assignees.all(), *card.watchers.all()]}
    others = [u for pk, u in following.items() if pk not in named]
    _tell(notices.CARD_COMMENTED, others, board, actor, card)


def _watchable_card(actor, board: Board, card_id) -> Card:
    """Reading the board is enough to follow a card: observers and members of a
    read-only platform may watch too."""
    role = platform_policy.role_of(actor, board.platform)
    if not policy.can_view_board(role):
        raise PermissionDenied(_("このボードを見る権限がありません。"))
    card = _card_in(board, card_id)
    _require_card_access(actor.pk, role, card)
    return card


@transaction.atomic
def card_watch(*, actor, board: Board, card_id) -> bool:
    """Follows a card's comments."""
    _watchable_card(actor, board, card_id).watchers.add(actor)
    return True


@transaction.atomic
def card_unwatch(*, actor, board: Board, card_id) -> bool:
    _watchable_card(actor, board, card_id).watchers.remove(actor)
    return False


@transaction.atomic
def helper_claim(*, actor, board: Board, card_id) -> dict:
    """A member takes one of the card's helper slots."""
    board, card = _card_for_write(actor, board, card_id)
    if card.claims.filter(user=actor).exists():
        raise ValidationError(_("すでに手を挙げています。"))
    if card.claims.count() >= card.helpers_needed:
        raise ValidationError(_("手伝いの枠はもう埋まっています。"))
    HelperClaim.objects.create(card=card, user=actor)
    return _card_changed(board, actor, card, "helper.claimed")


@transaction.atomic
def helper_release(*, actor, board: Board, card_id) -> dict:
    """A member gives their helper slot back."""
    board, card = _card_for_write(actor, board, card_id)
    deleted, _rows = card.claims.filter(user=actor).delete()
    if not deleted:
        raise ValidationError(_("このカードでは手を挙げていません。"))
    return _card_changed(board, actor, card, "helper.released")
