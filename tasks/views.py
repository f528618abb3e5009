"""Board pages. The live board page works without JavaScript through these forms;
with it, board.js sends the same changes over the socket to the same services."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.confirm import confirm_page
from common.pages import add_service_error
from members import services as member_services
from members.models import User
from platforms.models import Membership
from resources.selectors import resources_of_platform

from . import commands, selectors, services
from . import permissions as policy
from .calendar import calendar_for
from .events import card_for, card_payload
from .forms import (
    BoardForm,
    CardEditForm,
)
from .models import BoardEvent


def _command(request, name: str, board, data, back: str, success: str | None = None):
    """Runs a board command (tasks.commands, as the socket does) from a page's form or
    button; bad input and refusals come back as messages on the page it returns to."""
    try:
        result = commands.run(name, actor=request.user, board=board, data=data)
    except (ValidationError, PermissionDenied) as refusal:
        text = refusal.messages if isinstance(refusal, ValidationError) else [str(refusal)]
        for message in text:
            messages.error(request, message)
    except services.CardConflict as conflict:
        messages.error(request, str(conflict))
    else:
        if result.get("wip_exceeded"):
            messages.warning(request, _("移動先の列がWIP制限を超えました。"))
        if success:
            messages.success(request, success)
    return redirect(back)


@login_required
@require_GET
def my_work(request):
    """わたしの仕事: what I am assigned to, helping with or watching, by due date."""
    groups = selectors.my_work(user=request.user)
    titles = {
        "overdue": _("期限切れ"),
        "today": _("今日"),
        "this_week": _("今週"),
        "later": _("来週以降"),
        "no_date": _("期日なし"),
    }
    sections = [(key, titles[key], items) for key, items in groups.items()]
    return render(
        request,
        "tasks/my_work.html",
        {"sections": sections, "count": sum(len(items) for items in groups.values())},
    )


# What a feed URL's secret looks like (members.services.calendar_feed_reset).
CALENDAR_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


@require_GET
def calendar_feed(request, token):
    """A person's calendar feed (tasks.calendar). Calendar apps cannot sign in: the
    secret in the URL is the key, and an unknown or reset one finds nothing."""
    user = None
    if CALENDAR_TOKEN.fullmatch(token):
        user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        return HttpResponse(
            _("このカレンダーのURLは使えません。作り直された可能性があります。"),
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(calendar_for(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="hub.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    """Where a person gets, resets or stops their calendar feed URL."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "reset":
            member_services.calendar_feed_reset(actor=request.user)
            messages.success(request, _("新しいURLを作りました。前のURLはもう使えません。"))
        elif action == "stop":
            member_services.calendar_feed_stop(actor=request.user)
            messages.success(request, _("カレンダーの配信を止めました。"))
        else:
            messages.error(request, _("操作を選んでください。"))
        return redirect("tasks:calendar-settings")
    token = request.user.calendar_token
    feed_url = ""
    if token:
        feed_url = request.build_absolute_uri(reverse("tasks:calendar-feed", args=[token]))
    return render(
        request,
        "tasks/calendar_settings.html",
        {"feed_url": feed_url, "webcal_url": re.sub(r"^https?://", "webcal://", feed_url)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def board_list(request, platform_id):
    platform, role = policy.access_boards_of(request.user, platform_id)
    can_create = policy.can_create_board(role, platform)
    form = BoardForm(request.POST or None)
    if request.method == "POST":
        services.require_board_creator(role, platform)
        if form.is_valid():
            try:
                board = services.board_create(
                    actor=request.user, platform=platform, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("ボードを作りました。"))
                return redirect(board)
    return render(
        request,
        "tasks/board_list.html",
        {
            "platform": platform,
            "boards": selectors.board_list_for_platform(platform=platform),
            "form": form,
            "can_create": can_create,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def board_detail(request, platform_id, board_id):
    board, role = policy.access_board(request.user, platform_id, board_id)
    snapshot = selectors.board_snapshot(board=board, user_id=request.user.pk, role=role)
    filters = {key: request.GET.get(key) or None for key in ("assignee", "label", "due", "text")}
    try:
        shown = selectors.filter_cards(snapshot["cards"], **filters)
    except ValueError:
        shown = snapshot["cards"]
    columns = [
        column
        | {
            "cards": [c for c in shown if c["column"] == column["id"]],
            "count": sum(1 for c in snapshot["cards"] if c["column"] == column["id"]),
        }
        for column in snapshot["columns"]
    ]
    members = Membership.objects.filter(platform=board.platform).select_related("user")
    return render(
        request,
        "tasks/board_detail.html",
        {
            "board": board,
            "platform": board.platform,
            "snapshot": snapshot,
            "columns": columns,
            "filters": filters,
            "members": [m.user for m in members],
            "labels": sorted({name for c in snapshot["cards"] for name in c.get("labels", [])}),
            "role": role,
            "can_write": policy.can_write_cards(role, board),
            "can_manage": policy.can_manage_board(role, board),
            "goals": board.platform.goals.all(),
            "archived_cards": [
                card_for(c, request.user.pk, role)
                for c in selectors.archived_card_payloads_for_board(board=board)
            ],
            "socket_path": f"/ws/platforms/{board.platform_id}/boards/{board.pk}/",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_detail(request, platform_id, board_id, card_id):
    """The card's page: content, checklist, comments, history; the edit form posts
    here with the version it was based on."""
    board, role = policy.access_board(request.user, platform_id, board_id)
    card = policy.access_card(board, card_id)
    data = card_for(card_payload(card), request.user.pk, role)
    visible = not data.get("redacted")
    can_edit = visible and policy.can_write_cards(role, board)
    members = [
        m.user for m in Membership.objects.filter(platform=board.platform).select_related("user")
    ]
    initial = {
        "version": card.version,
        "title": card.title,
        "description": card.description,
        "due": card.due_date,
        "labels": "、".join(data.get("labels", [])),
        "assignees": [str(a["id"]) for a in data.get("assignees", [])],
        "confidential": card.confidential,
        "helpers_needed": card.helpers_needed,
        "helper_skills": card.helper_skills,
    }
    form = CardEditForm(request.POST or None, initial=initial, members=members)
    conflict = None
    status = 200
    if request.method == "POST":
        services.require_card_editor(request.user.pk, role, board, card)
        status = 400
        if form.is_valid():
            try:
                commands.run(
                    "card.update",
                    actor=request.user,
                    board=board,
                    data={
                        "card": card.pk,
                        "version": form.cleaned_data["version"],
                        "fields": form.service_fields(),
                    },
                )
            except services.CardConflict as error:
                conflict = error.current
                status = 409
                form.add_error(None, str(error))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("カードを保存しました。"))
                return redirect(request.path)
    history = (
        BoardEvent.objects.filter(card=card).select_related("actor").order_by("-seq")[:50]
        if visible
        else []
    )
    return render(
        request,
        "tasks/card_detail.html",
        {
            "board": board,
            "platform": board.platform,
            "card": data,
            "visible": visible,
            "can_edit": can_edit,
            "form": form,
            "conflict": conflict,
            "comments": card.comments.select_related("author") if visible else [],
            "watching": visible and card.watchers.filter(pk=request.user.pk).exists(),
            "helping": visible
            and any(person["id"] == request.user.pk for person in data["helpers"]["claimed"]),
            "history": selectors.past_events_for_reader(
                history, user_id=request.user.pk, role=role
            ),
            "columns": selectors.column_list_for_board(board=board),
            "comment_form": commands.CommentAddInput(initial={"card": card.pk}),
            "checklist_form": commands.ChecklistAddInput(initial={"card": card.pk}),
            "platform_resources": (
                list(resources_of_platform(board.platform).order_by("name", "pk"))
                if can_edit
                else []
            ),
        },
        status=status,
    )


@login_required
@require_POST
def card_create(request, platform_id, board_id):
    board, role = policy.access_board(request.user, platform_id, board_id)
    return _command(
        request,
        "card.create",
        board,
        request.POST.dict(),
        board.get_absolute_url(),
        _("カードを追加しました。"),
    )


@login_required
@require_POST
def card_move(request, platform_id, board_id, card_id):
    """The "move to…" control: a column and top or bottom."""
    board, role = policy.access_board(request.user, platform_id, board_id)
    card = policy.access_card(board, card_id)
    data = {
        "card": card.pk,
        "column": request.POST.get("column"),
        "place": request.POST.get("place") or "bottom",
    }
    return _command(
        request, "card.move", board, data, board.get_absolute_url(), _("カードを移動しました。")
    )


# A card page's buttons and small forms, and the command each one runs.
CARD_ACTIONS = {
    "comment": "comment.add",
    "checklist": "checklist.add",
    "check": "checklist.set",
    "uncheck": "checklist.set",
    "remove-item": "checklist.remove",
    "archive": "card.archive",
    "restore": "card.restore",
    "watch": "card.watch",
    "unwatch": "card.unwatch",
    "claim": "helper.claim",
    "release": "helper.release",
    "link-resource": "resource.link",
    "unlink-resource": "resource.unlink",
}


# The card actions that ask first when they come as a link (GET).
CONFIRMED_CARD_ACTIONS = ("archive", "remove-item")


@login_required
@require_http_methods(["GET", "POST"])
def card_action(request, platform_id, board_id, card_id, action):
    """Archive, restore, watch, claim or release a helper slot, add a comment or a
    checklist item, tick or remove one. Archiving and removing an item ask first."""
    board, role = policy.access_board(request.user, platform_id, board_id)
    card = policy.access_card(board, card_id)
    if action not in CARD_ACTIONS:
        raise Http404
    if request.method == "GET":
        if action not in CONFIRMED_CARD_ACTIONS:
            return HttpResponseNotAllowed(["POST"])
        services.require_card_editor(request.user.pk, role, board, card)
        return _confirm_card_action(request, board, card, action)
    data = request.POST.dict() | {"card": card.pk}
    if action in ("check", "uncheck"):
        data["done"] = action == "check"
    back = reverse("tasks:card-detail", args=[board.platform_id, board.pk, card.pk])
    return _command(request, CARD_ACTIONS[action], board, data, back)


@login_required
@require_POST
def column_save(request, platform_id, board_id, column_id=None):
    """Adds a column, or renames one and sets its WIP limit and goal."""
    board, role = policy.access_board(request.user, platform_id, board_id)
    services.require_board_manager(role, board)
    data = {key: request.POST.get(key, "") for key in ("name", "wip_limit", "goal")}
    if column_id is None:
        name = "column.add"
        data.pop("goal")
    else:
        name = "column.update"
        data["column"] = column_id
    return _command(request, name, board, data, board.get_absolute_url(), _("列を保存しました。"))


@login_required
@require_POST
def column_move(request, platform_id, board_id, column_id):
    """Moves a column one place left or right (the keyboard way to reorder)."""
    board, role = policy.access_board(request.user, platform_id, board_id)
    services.require_board_manager(role, board)
    data = {"column": column_id, "direction": request.POST.get("direction") or "none"}
    return _command(
        request, "column.move", board, data, board.get_absolute_url(), _("列を移動しました。")
    )


def _confirm_card_action(request, board, card, action):
    back = reverse("tasks:card-detail", args=[board.platform_id, board.pk, card.pk])
    url = reverse("tasks:card-action", args=[board.platform_id, board.pk, card.pk, action])
    if action == "archive":
        return confirm_page(
            request,
            title=_("カード「%(title)s」をアーカイブしますか？") % {"title": card.title},
            consequences=[
                _("カードはボードの列から外れ、「アーカイブしたカード」に移ります。"),
                _("担当・チェックリスト・コメントはそのまま残ります。"),
            ],
            reversible=True,
            undo_note=_("カードのページの「元に戻す」で、いつでも戻せます。"),
            action=url,
            button=_("アーカイブする"),
            back=back,
        )
    item = policy.access_checklist_item(card, request.GET.get("item"))
    return confirm_page(
        request,
        title=_("チェックリストの「%(text)s」を削除しますか？") % {"text": item.text},
        consequences=[_("この項目はチェックリストから消えます。")],
        reversible=False,
        action=url,
        fields={"item": item.pk},
        button=_("削除する"),
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def column_archive(request, platform_id, board_id, column_id):
    """POST archives the column; GET asks first."""
    board, role = policy.access_board(request.user, platform_id, board_id)
    services.require_board_manager(role, board)
    if request.method == "GET":
        column = policy.access_column(board, column_id)
        return confirm_page(
            request,
            title=_("列「%(name)s」をアーカイブしますか？") % {"name": column.name},
            consequences=[
                _("列はボードから消えます。"),
                _("カードが残っている列はアーカイブできません。先にカードを移してください。"),
            ],
            reversible=False,
            action=reverse("tasks:column-archive", args=[board.platform_id, board.pk, column.pk]),
            button=_("列をアーカイブ"),
            back=board.get_absolute_url(),
        )
    return _command(
        request,
        "column.archive",
        board,
        {"column": column_id},
        board.get_absolute_url(),
        _("列をアーカイブしました。"),
    )


@login_required
@require_GET
def board_activity(request, platform_id, board_id):
    board, role = policy.access_board(request.user, platform_id, board_id)
    page = Paginator(selectors.activity_for_board(board=board), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "tasks/activity.html",
        {
            "platform": board.platform,
            "board": board,
            "page": page,
            "items": selectors.activity_messages(page, user_id=request.user.pk, role=role),
        },
    )


@login_required
@require_GET
def platform_activity(request, platform_id):
    platform, role = policy.access_boards_of(request.user, platform_id)
    page = Paginator(selectors.activity_for_platform(platform=platform), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "tasks/activity.html",
        {
            "platform": platform,
            "page": page,
            "items": selectors.activity_messages(page, user_id=request.user.pk, role=role),
            "boards": {b.pk: b for b in selectors.board_list_for_platform(platform=platform)},
        },
    )
