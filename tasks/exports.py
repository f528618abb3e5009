"""A platform's boards in its export (platforms.exports): every card as the exporting
person may see it, under the one confidentiality rule of tasks.events; and in its
report (platforms.reports), where confidential cards are only counted."""

from collections import Counter

from django.utils.translation import gettext as _

from platforms.exports import ExportPart, register_part
from platforms.permissions import role_of
from platforms.reports import BoardSummary, register_board_summary

from .events import card_for
from .models import Card, Column
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
    """A card a row: カード, its title (hidden when the exporter may not read it), where
    it is (board／column), and 公開 or 非公開, with アーカイブ済み."""
    for board in boards:
        for card in board["cards"]:
            confidential = card.get("redacted") or card.get("confidential")
            title = _("非公開のカード") if card.get("redacted") else card["title"]
            notes = [_("非公開") if confidential else _("公開")]
            if card["archived"]:
                notes.append(_("アーカイブ済み"))
            yield [_("カード"), title, f"{board['name']}／{card['column_name']}", "・".join(notes)]


register_part("boards", ExportPart(data=boards_for_export, csv_rows=board_csv_rows))


def board_summaries(platform) -> list[BoardSummary]:
    """Each live board of the platform for its report: cards per column, and the work
    done (the last column), confidential cards only counted. Three queries."""
    boards = list(board_list_for_platform(platform=platform))
    columns = Column.objects.filter(board__in=boards, archived=False).order_by("board", "position")
    cards = Card.objects.filter(board__in=boards).values(
        "board", "column", "archived", "confidential", "title"
    )
    by_board: dict[int, list] = {board.pk: [] for board in boards}
    for column in columns:
        by_board[column.board_id].append(column)
    counts: Counter = Counter()
    archived: Counter = Counter()
    done: dict[int, list] = {}
    last_columns = {board_id: cols[-1].pk for board_id, cols in by_board.items() if cols}
    for card in cards:
        if card["archived"]:
            archived[card["board"]] += 1
            continue
        counts[card["column"]] += 1
        if last_columns.get(card["board"]) == card["column"]:
            done.setdefault(card["board"], []).append(card)
    summaries = []
    for board in boards:
        cols = by_board[board.pk]
        if not cols:
            continue
        finished = done.get(board.pk, [])
        summaries.append(
            BoardSummary(
                name=board.name,
                columns=[(column.name, counts[column.pk]) for column in cols],
                archived_cards=archived[board.pk],
                done_column=cols[-1].name,
                done_titles=sorted(c["title"] for c in finished if not c["confidential"]),
                done_confidential=sum(1 for c in finished if c["confidential"]),
            )
        )
    return summaries


register_board_summary(board_summaries)
