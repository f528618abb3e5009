"""allauth adapter: after sign-up, log-in or email confirmation, a person lands where
another app asked them to go (platforms sends someone who accepted an invitation to
the platform; see platforms.receivers)."""

from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from .services import name_wanted

# Set by another app during the request; read once.
LANDING_SESSION_KEY = "invitation_landing_url"
# An invitation's token, kept in the session while its invitee signs up and confirms.
INVITATION_SESSION_KEY = "invitation_token"
# The address an invitation went to: the sign-up form starts with it.
INVITED_EMAIL_SESSION_KEY = "invited_email"


class AccountAdapter(DefaultAccountAdapter):
    def _landing(self, request, default):
        if request is not None and hasattr(request, "session"):
            landing = request.session.pop(LANDING_SESSION_KEY, None)
            if landing:
                return landing
        return default

    def get_login_redirect_url(self, request):
        landing = self._landing(request, super().get_login_redirect_url(request))
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and name_wanted(user):
            return f"{reverse('members:name')}?{urlencode({'next': landing})}"
        return landing

    def get_signup_redirect_url(self, request):
        return self._landing(request, super().get_signup_redirect_url(request))

    def get_email_verification_redirect_url(self, email_address):
        return self._landing(
            getattr(self, "request", None),
            super().get_email_verification_redirect_url(email_address),
        )
