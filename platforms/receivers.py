"""What platforms does when something happens elsewhere: an invitee who signs up from
an invitation (its token is in the session) and confirms the invited address joins at
once; one who signed up with another address lands on the invitation, to accept it
there (the link is the proof, but joining stays their own click)."""

import logging

from allauth.account.signals import email_confirmed
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver

from members.adapter import INVITATION_SESSION_KEY, LANDING_SESSION_KEY

from .models import Invitation
from .services import invitation_accept

logger = logging.getLogger(__name__)


@receiver(email_confirmed, dispatch_uid="platforms.invitation_on_confirmation")
def invitation_accept_on_confirmation(sender, request, email_address, **kwargs) -> None:
    session = getattr(request, "session", None)
    token = session.get(INVITATION_SESSION_KEY) if session is not None else None
    if not token:
        return
    invitation = Invitation.objects.filter(token=token).first()
    if invitation is None:
        return
    if invitation.email.lower() != email_address.email.lower():
        session[LANDING_SESSION_KEY] = invitation.get_absolute_url()
        return
    try:
        invitation_accept(actor=email_address.user, invitation=invitation)
    except (ValidationError, PermissionDenied) as refusal:
        # The invitation page explains what went wrong when they open it again.
        logger.info("invitation %s not accepted on confirmation: %s", invitation.pk, refusal)
        session[LANDING_SESSION_KEY] = invitation.get_absolute_url()
    else:
        session.pop(INVITATION_SESSION_KEY, None)
        session[LANDING_SESSION_KEY] = invitation.platform.get_absolute_url()
