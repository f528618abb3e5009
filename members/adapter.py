"""allauth adapter: carries an invitation through sign-up and email confirmation.

A person who opens an invitation link without an account has its token kept in the
session; when they confirm the invited address, the invitation is accepted and they
land on the platform.
"""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied, ValidationError

INVITATION_SESSION_KEY = "invitation_token"
LANDING_SESSION_KEY = "invitation_landing_url"

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def confirm_email(self, request, email_address) -> bool:
        confirmed = super().confirm_email(request, email_address)
        token = request.session.get(INVITATION_SESSION_KEY)
        if confirmed and token:
            self._accept_invitation(request, email_address, token)
        return confirmed

    def _accept_invitation(self, request, email_address, token) -> None:
        from platforms.models import Invitation
        from platforms.services import invitation_accept

        invitation = Invitation.objects.filter(
            token=token, email__iexact=email_address.email
        ).first()
        if invitation is None:
            return
        try:
            invitation_accept(actor=email_address.user, invitation=invitation)
        except (ValidationError, PermissionDenied) as refusal:
            # The invitation page explains what went wrong when they open it again.
            logger.info("invitation %s not accepted on confirmation: %s", invitation.pk, refusal)
            request.session[LANDING_SESSION_KEY] = invitation.get_absolute_url()
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            request.session[LANDING_SESSION_KEY] = invitation.platform.get_absolute_url()

    def _landing(self, request, default):
        if request is not None and hasattr(request, "session"):
            landing = request.session.pop(LANDING_SESSION_KEY, None)
            if landing:
                return landing
        return default

    def get_login_redirect_url(self, request):
        return self._landing(request, super().get_login_redirect_url(request))

    def get_signup_redirect_url(self, request):
        return self._landing(request, super().get_signup_redirect_url(request))

    def get_email_verification_redirect_url(self, email_address):
        return self._landing(
            getattr(self, "request", None),
            super().get_email_verification_redirect_url(email_address),
        )
