"""A board on the live hub (common.live): its channel, and its events as frames for
their audiences. A confidential card's event goes in full to the people who may see
the card and reduced to the card's place to everyone else; the hub only matches
listeners to frames."""

from common import live
from platforms.live import platform_channel

from .events import redact_event
from .permissions import card_content_audience

__all__ = ["board_channel", "event_frames", "platform_channel", "publish_event"]


def board_channel(board_id: int) -> str:
    return live.channel("board", board_id)


def event_frames(message: dict) -> list[live.Frame]:
    full = live.encode(message)
    card = message.get("data", {}).get("card")
    if not (card and card.get("confidential")):
        return [live.Frame(full)]
    entitled = card_content_audience([a["id"] for a in card.get("assignees", [])])
    return [live.Frame(full, entitled), live.Frame(live.encode(redact_event(message)))]


def publish_event(board_id: int, message: dict) -> None:
    live.publish(board_channel(board_id), event_frames(message), seq=message["seq"])
