"""The page that asks before an action that cannot be undone, or not easily: what
will happen, whether it can be undone, and one button that does it (a POST to the
action's own URL). A plain page, so it works without JavaScript. When something must
be settled first (`problems`), the page says what and offers no button."""

from django.shortcuts import render


def confirm_page(
    request,
    *,
    title: str,
    consequences: list[str],
    reversible: bool,
    action: str,
    button: str,
    back: str,
    undo_note: str = "",
    fields: dict | None = None,
    problems: list[str] | None = None,
):
    return render(
        request,
        "confirm.html",
        {
            "title": title,
            "consequences": consequences,
            "reversible": reversible,
            "undo_note": undo_note,
            "action": action,
            "button": button,
            "back": back,
            "fields": (fields or {}).items(),
            "problems": problems or [],
        },
    )
