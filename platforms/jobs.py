"""Celery tasks for platforms: take ids, load, act; safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from common.text import one_line

from .models import Invitation


@shared_task(acks_late=True)
def invitation_email_send(invitation_id: int) -> bool:
    """Sends the invitation email. An invitation no longer pending is not sent."""
    invitation = (
        Invitation.objects.select_related("platform", "invited_by")
        .filter(pk=invitation_id, status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "platform": invitation.platform,
            "url": settings.SITE_URL + invitation.get_absolute_url(),
        }
        subject = one_line(render_to_string("platforms/email/invitation_subject.txt", context))
        body = render_to_string("platforms/email/invitation_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    return True
