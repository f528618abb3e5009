"""The invitation email: an addressed message (notifications.messages) sent through
the outbox, to an address that may have no account yet."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from notifications.messages import AddressedMessage

from .models import Invitation


def invitation_message(invitation_id: int) -> AddressedMessage | None:
    """The invitation in the site's language, or None when it is no longer pending
    (revoked, answered) by the time it would go out."""
    invitation = (
        Invitation.objects.select_related("platform", "invited_by")
        .filter(pk=invitation_id, status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "platform": invitation.platform,
            "url": settings.SITE_URL + invitation.get_absolute_url(),
        }
        return AddressedMessage(
            subject=render_to_string("platforms/email/invitation_subject.txt", context),
            text=render_to_string("platforms/email/invitation_message.txt", context),
        )
