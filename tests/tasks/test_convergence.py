"""Property: however the moves of several members interleave, and however late each
client applies the events, every client ends with the database's order."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from platforms.models import Role, Status
from tasks import services
from tasks.events import event_message
from tasks.models import BoardEvent, Card
from tests.factories import PlatformFactory, UserFactory, member_of

MEMBERS = 3
CARDS = 6
COLUMNS = 3

step = st.one_of(
    # a member moves a card, choosing its place from the board as that member sees it
    st.tuples(
        st.just("move"),
        st.integers(0, MEMBERS - 1),
        st.integers(0, CARDS - 1),
        st.integers(0, COLUMNS - 1),
        st.integers(0, CARDS),
    ),
    # a client applies the next event waiting for it
    st.tuples(st.just("deliver"), st.integers(0, MEMBERS - 1)),
)


class Client:
    """What board.js keeps: cards by id, applied in seq order."""

    def __init__(self, snapshot_cards, seq):
        self.cards = {c["id"]: c for c in snapshot_cards}
        self.seq = seq
        self.inbox = []

    def apply_next(self):
        event = self.inbox.pop(0)
        assert event["seq"] == self.seq + 1
        card = event["data"]["card"]
        self.cards[card["id"]] = card
        self.seq = event["seq"]

    def order(self, column_id):
        cards = [c for c in self.cards.values() if c["column"] == column_id]
        return [c["id"] for c in sorted(cards, key=lambda c: (c["position"], c["id"]))]


def database_order(column_id):
    return list(
        Card.objects.filter(column_id=column_id, archived=False)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(step, min_size=1, max_size=40))
def test_concurrent_moves_converge_everywhere(steps):
    # given
    platform = PlatformFactory(status=Status.ACTIVE)
    people = [UserFactory() for _ in range(MEMBERS)]
    member_of(platform, people[0], Role.COORDINATOR)
    for person in people[1:]:
        member_of(platform, person, Role.MEMBER)
    board = services.board_create(actor=people[0], platform=platform, name="b", template="blank")
    columns = list(board.columns.order_by("position"))
    cards = [
        services.card_create(
            actor=people[0], board=board, column_id=columns[n % COLUMNS].pk, title=str(n)
        )
        for n in range(CARDS)
    ]
    from tasks.selectors import board_snapshot

    snapshot = board_snapshot(board=board, user_id=people[0].pk, role="coordinator")
    clients = [Client(snapshot["cards"], snapshot["seq"]) for _ in people]
    published = snapshot["seq"]

    # when: members act on what they see; events reach each client late and in order
    for action in steps:
        if action[0] == "move":
            _, who, card_index, column_index, place = action
            view = clients[who].order(columns[column_index].pk)
            view = [c for c in view if c != cards[card_index].pk]
            after = view[min(place, len(view)) - 1] if place and view else None
            services.card_move(
                actor=people[who],
                board=board,
                card_id=cards[card_index].pk,
                column_id=columns[column_index].pk,
                after_id=after,
            )
            for event in BoardEvent.objects.filter(board=board, seq__gt=published).order_by("seq"):
                message = event_message(event)
                for client in clients:
                    client.inbox.append(message)
                published = event.seq
        elif clients[action[1]].inbox:
            clients[action[1]].apply_next()
    for client in clients:
        while client.inbox:
            client.apply_next()

    # then
    for column in columns:
        expected = database_order(column.pk)
        assert [client.order(column.pk) for client in clients] == [expected] * MEMBERS
    positions = list(Card.objects.filter(board=board).values_list("column_id", "position"))
    assert len(positions) == len(set(positions))
