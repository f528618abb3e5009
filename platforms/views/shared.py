"""What the platform pages share: a form page's flow (common.pages), a service's
refusal shown as a message, and the guard before a form is shown."""

from django.core.exceptions import PermissionDenied, ValidationError

from common.pages import add_service_error, form_page, refused

__all__ = ["add_service_error", "form_page", "guard", "refused"]


def guard(check, user, platform) -> None:
    """A form is shown only to someone who may use it now. The service's guard
    decides, and its words are the page's: a step the lifecycle does not allow yet
    is a 403 with that reason, like a role."""
    try:
        check(user, platform)
    except ValidationError as refusal:
        raise PermissionDenied(" ".join(refusal.messages)) from None
