"""A platform's boards in its export (platforms.exports): every card as the exporting
person may see it, under the one confidentiality rule of tasks.events."""

from django.utils.translation import gettext as _

from platforms.exports import ExportPart, register_part
from platforms.permissions import role_of

from .events import card_for
from .selectors import board_list_for_platform, card_payloads_for_board


def boards_for_export(platform, viewer) -> list[dict]:
    role = role_of(viewer, platform)
    boards = []
    for board in board_list_for_platform(platform=platform):
        columns = {c.pk: c.name for c in board.columns.all()}
        cards = [
            card_for(card, viewer.pk, role) | {"column_name": columns.get(card["column"], "")}
            for card in card_payloads_for_board(board=board, include_archived=True)
        ]
        boards.append({"name": board.name, "template": board.template, "cards": cards})
    return boards


def board_csv_rows(boards: list[dict]):
    for board in boards:
        for card in board["cards"]:
            title = _("非公開のカード") if card.get("redacted") else card["title"]
            yield [
                board["name"],
                title,
                card["column_name"],
                _("アーカイブ済み") if card["archived"] else "",
            ]


register_part("boards", ExportPart(data=boards_for_export, csv_rows=board_csv_rows))
