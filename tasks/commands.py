"""Every write to a board, as one command: an input form that validates a plain dict
(a socket message and a posted form alike) and the service it runs. The board socket
(tasks.consumers) and the board pages (tasks.views) both dispatch here, so a field's
type and limits are checked in one place (the lengths are the models' own); the
services then check policy, state and the domain's rules.

run() raises ValidationError for bad input (with the form's errors by field), and
lets the service's PermissionDenied, ValidationError and CardConflict through.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import (
    PlainTextFormMixin,
    TextField,
    WholeNumberField,
    YesNoField,
    max_length_of,
)
from common.ids import IdField

from . import services
from .models import Card, ChecklistItem, Column, Comment


class CommandForm(PlainTextFormMixin, forms.Form):
    """Input of one command. `given(name)` says whether the message carried the key
    at all (a partial update changes only what it names)."""

    def given(self, name: str) -> bool:
        return name in self.data


class CardInput(CommandForm):
    card = IdField(widget=forms.HiddenInput)


class CardCreateInput(CommandForm):
    column = IdField(widget=forms.HiddenInput)
    title = TextField(label=_("カードのタイトル"), max_length=max_length_of(Card, "title"))
    description = TextField(
        max_length=max_length_of(Card, "description"), required=False, widget=forms.Textarea
    )
    confidential = YesNoField(required=False)


# A move to a column that is not there, however it is wrong, asks for a destination.
CHOOSE_DESTINATION = {
    code: _("移動先を選んでください。")
    for code in ("required", "invalid", "min_value", "max_value", "invalid_choice")
}


class CardMoveInput(CardInput):
    column = IdField(error_messages=CHOOSE_DESTINATION)
    after = IdField(required=False)
    # The move control of the page: "top" (after nothing) or "bottom" of the column.
    place = forms.ChoiceField(
        choices=[("top", "top"), ("bottom", "bottom")],
        required=False,
        error_messages=CHOOSE_DESTINATION,
    )


class CardUpdateInput(CardInput):
    version = WholeNumberField(min_value=1)
    fields = forms.JSONField()

    def clean_fields(self):
        # Which fields and their values are the service's to judge (services.card_update).
        fields = self.cleaned_data["fields"]
        if not isinstance(fields, dict):
            raise ValidationError(_("変更する項目を指定してください。"))
        return fields


class ChecklistAddInput(CardInput):
    text = TextField(label=_("チェック項目"), max_length=max_length_of(ChecklistItem, "text"))


class ChecklistItemInput(CardInput):
    item = IdField()


class ChecklistSetInput(ChecklistItemInput):
    done = YesNoField()


class CommentAddInput(CardInput):
    body = TextField(
        label=_("コメント"),
        max_length=max_length_of(Comment, "body"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("「@名前」と書くと、その人に知らせます。"),
    )


class CardResourceInput(CardInput):
    resource = IdField(error_messages={"required": _("社会資源を選んでください。")})


class ColumnAddInput(CommandForm):
    name = TextField(label=_("列の名前"), max_length=max_length_of(Column, "name"))
    wip_limit = WholeNumberField(required=False)


class ColumnInput(CommandForm):
    column = IdField()


class ColumnUpdateInput(ColumnInput):
    name = TextField(max_length=max_length_of(Column, "name"), required=False)
    wip_limit = WholeNumberField(required=False)
    goal = IdField(required=False)


class ColumnMoveInput(ColumnInput):
    after = IdField(required=False)
    # The page's buttons: one place left or right.
    direction = forms.ChoiceField(
        choices=[("left", "left"), ("right", "right")],
        required=False,
        error_messages=CHOOSE_DESTINATION,
    )


@dataclass(frozen=True)
class Command:
    form: type[CommandForm]
    # (actor, board, the valid form) -> what the socket's "ack" carries
    run: Callable[..., dict | None]


def _card_create(actor, board, form):
    data = form.cleaned_data
    card = services.card_create(
        actor=actor,
        board=board,
        column_id=data["column"],
        title=data["title"],
        description=data["description"],
        confidential=data["confidential"] is True,
    )
    return {"card": card.pk}


def _card_move(actor, board, form):
    data = form.cleaned_data
    moved = services.card_move(
        actor=actor,
        board=board,
        card_id=data["card"],
        column_id=data["column"],
        after_id=data["after"],
        at_bottom=data["place"] == "bottom",
    )
    return {"wip_exceeded": moved["wip_exceeded"]}


def _card_update(actor, board, form):
    data = form.cleaned_data
    services.card_update(
        actor=actor,
        board=board,
        card_id=data["card"],
        version=data["version"],
        fields=data["fields"],
    )


def _on_card(service):
    """A command that names only its card."""

    def run(actor, board, form):
        service(actor=actor, board=board, card_id=form.cleaned_data["card"])

    return run


def _checklist_add(actor, board, form):
    data = form.cleaned_data
    services.checklist_add(actor=actor, board=board, card_id=data["card"], text=data["text"])


def _checklist_set(actor, board, form):
    data = form.cleaned_data
    services.checklist_set(
        actor=actor, board=board, card_id=data["card"], item_id=data["item"], done=data["done"]
    )


def _checklist_item_remove(actor, board, form):
    data = form.cleaned_data
    services.checklist_item_remove(
        actor=actor, board=board, card_id=data["card"], item_id=data["item"]
    )


def _comment_add(actor, board, form):
    data = form.cleaned_data
    comment = services.comment_add(
        actor=actor, board=board, card_id=data["card"], body=data["body"]
    )
    return {"comment": comment.pk}


def _on_card_resource(service):
    def run(actor, board, form):
        data = form.cleaned_data
        service(actor=actor, board=board, card_id=data["card"], resource_id=data["resource"])

    return run


def _column_add(actor, board, form):
    data = form.cleaned_data
    column = services.column_add(
        actor=actor, board=board, name=data["name"], wip_limit=data["wip_limit"]
    )
    return {"column": column.pk}


def _column_update(actor, board, form):
    data = form.cleaned_data
    changes = {}
    if form.given("name"):
        changes["name"] = data["name"]
    if form.given("wip_limit"):
        changes["wip_limit"] = data["wip_limit"]
    if form.given("goal"):
        changes["goal_id"] = data["goal"]
    services.column_update(actor=actor, board=board, column_id=data["column"], **changes)


def _column_move(actor, board, form):
    data = form.cleaned_data
    step = {"left": -1, "right": 1}.get(data["direction"], 0)
    services.column_move(
        actor=actor, board=board, column_id=data["column"], after_id=data["after"], step=step
    )


def _column_archive(actor, board, form):
    services.column_archive(actor=actor, board=board, column_id=form.cleaned_data["column"])


COMMANDS: dict[str, Command] = {
    "card.create": Command(CardCreateInput, _card_create),
    "card.move": Command(CardMoveInput, _card_move),
    "card.update": Command(CardUpdateInput, _card_update),
    "card.archive": Command(CardInput, _on_card(services.card_archive)),
    "card.restore": Command(CardInput, _on_card(services.card_restore)),
    "card.watch": Command(CardInput, _on_card(services.card_watch)),
    "card.unwatch": Command(CardInput, _on_card(services.card_unwatch)),
    "checklist.add": Command(ChecklistAddInput, _checklist_add),
    "checklist.set": Command(ChecklistSetInput, _checklist_set),
    "checklist.remove": Command(ChecklistItemInput, _checklist_item_remove),
    "comment.add": Command(CommentAddInput, _comment_add),
    "helper.claim": Command(CardInput, _on_card(services.helper_claim)),
    "helper.release": Command(CardInput, _on_card(services.helper_release)),
    "resource.link": Command(CardResourceInput, _on_card_resource(services.card_resource_link)),
    "resource.unlink": Command(CardResourceInput, _on_card_resource(services.card_resource_unlink)),
    "column.add": Command(ColumnAddInput, _column_add),
    "column.update": Command(ColumnUpdateInput, _column_update),
    "column.move": Command(ColumnMoveInput, _column_move),
    "column.archive": Command(ColumnInput, _column_archive),
}


class UnknownCommand(LookupError):
    pass


def run(name: str, *, actor, board, data) -> dict:
    """Validates `data` with the command's form and runs its service."""
    command = COMMANDS.get(name)
    if command is None:
        raise UnknownCommand(name)
    form = command.form(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return command.run(actor, board, form) or {}
