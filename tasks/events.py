"""Pure functions that turn boards, columns and cards into the JSON that the page, the
snapshot, the live events and the activity feed share, and the one redaction rule
for confidential cards."""

from .models import Card
from .permissions import can_see_card


def card_queryset():
    """Cards with everything card_payload reads, in a fixed number of queries."""
    return Card.objects.for_payload()


def card_payload(card) -> dict:
    claims = [
        {"id": claim.user_id, "name": claim.user.name}
        for claim in sorted(card.claims.all(), key=lambda claim: claim.pk)
    ]
    return {
        "id": card.pk,
        "column": card.column_id,
        "position": card.position,
        "title": card.title,
        "description": card.description,
        "due": card.due_date.isoformat() if card.due_date else None,
        "labels": sorted(label.name for label in card.labels.all()),
        # By id: a many-to-many has no order of its own, and the payload must not
        # change with the plan PostgreSQL picks.
        "assignees": [
            {"id": user.pk, "name": user.name}
            for user in sorted(card.assignees.all(), key=lambda user: user.pk)
        ],
        "checklist": [
            {"id": item.pk, "text": item.text, "done": item.done} for item in card.checklist.all()
        ],
        "helpers": {
            "needed": card.helpers_needed,
            "skills": card.helper_skills,
            "claimed": claims,
            "open": max(0, card.helpers_needed - len(claims)),
        },
        # The social resources the work uses (names only; each has its own page).
        "resources": [
            {"id": resource.pk, "name": resource.name}
            for resource in sorted(card.resources.all(), key=lambda resource: resource.pk)
        ],
        "comments": getattr(card, "comment_count", None),
        "confidential": card.confidential,
        "version": card.version,
        "archived": card.archived,
    }


def redacted_card_payload(card: dict) -> dict:
    """What someone who may not see a confidential card learns: that it exists, where."""
    return {
        "id": card["id"],
        "column": card["column"],
        "position": card["position"],
        "confidential": True,
        "redacted": True,
        "archived": card["archived"],
    }


def column_payload(column) -> dict:
    return {
        "id": column.pk,
        "name": column.name,
        "position": column.position,
        "wip_limit": column.wip_limit,
        "goal": column.goal_id,
        "archived": column.archived,
    }


def actor_payload(user) -> dict | None:
    return {"id": user.pk, "name": user.name} if user else None


def card_visible_to(card: dict, user_id: int, role: str | None) -> bool:
    if not card.get("confidential"):
        return True
    return can_see_card(user_id, role, True, [a["id"] for a in card.get("assignees", [])])


def redact_event(message: dict) -> dict:
    """The event as a non-entitled member gets it: the card reduced to its place; any
    comment, checklist or claim detail dropped."""
    data = message["data"]
    redacted = {"card": redacted_card_payload(data["card"])}
    if "wip_exceeded" in data:
        redacted["wip_exceeded"] = data["wip_exceeded"]
    return message | {"data": redacted}


def card_for(card: dict, user_id: int, role: str | None) -> dict:
    return card if card_visible_to(card, user_id, role) else redacted_card_payload(card)


def event_message(event) -> dict:
    return {
        "type": "event",
        "seq": event.seq,
        "kind": event.kind,
        "actor": actor_payload(event.actor),
        "at": event.created_at.isoformat(),
        "data": event.payload,
    }
