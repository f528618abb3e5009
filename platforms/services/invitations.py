"""Invitations by email, to people with or without an account: sent through the
notifications outbox and answered by whoever holds the link, signed in. The link is
the proof (people have several addresses, and sign up with the one they use); the
coordinators see who accepted which invitation and are told at once."""

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import normalise_identifier
from members.models import User
from notifications.services import email_send_later, notify

from .. import notices
from .. import permissions as policy
from ..models import Invitation, JoinRequest, Membership, Platform, PlatformEvent, Role
from .guards import event_record, locked, members, require_invitation_revoker, require_inviter

Kind = PlatformEvent.Kind


@transaction.atomic
def invitation_create(
    *, actor, platform: Platform, email: str, role: str = Role.MEMBER, message: str = ""
) -> Invitation:
    """Invites someone by email, with or without an account. The email is sent after
    commit through the notifications outbox (retried, swept when its job is lost); the
    invitation expires after INVITATION_VALID_DAYS."""
    platform = locked(platform)
    require_inviter(actor, platform)
    if role not in Role.values:
        raise ValidationError({"role": _("指定された役割はありません。")})
    email = normalise_identifier(email).lower()
    if Membership.objects.filter(platform=platform, user__email__iexact=email).exists():
        raise ValidationError({"email": _("この方はすでに参加者です。")})
    if Invitation.objects.filter(
        platform=platform, email__iexact=email, status=Invitation.Status.PENDING
    ).exists():
        raise ValidationError(
            {
                "email": _(
                    "このメールアドレスにはすでに招待を送っています。取り消してから送り直してください。"
                )
            }
        )
    invitation = Invitation(
        platform=platform,
        email=email,
        role=role,
        message=(message or "").strip(),
        token=secrets.token_urlsafe(32),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise ValidationError(
            {"email": _("このメールアドレスにはすでに招待を送っています。")}
        ) from None
    event_record(platform=platform, kind=Kind.INVITATION_SENT, actor=actor, data={"email": email})
    notify(
        recipients=User.objects.filter(email__iexact=email),
        kind=notices.INVITED,
        platform=platform,
        actor=actor,
        url=invitation.get_absolute_url(),
    )
    email_send_later(message="platforms.invitation", ref=invitation.pk, address=email)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    platform = locked(invitation.platform)
    require_invitation_revoker(actor, platform)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("この招待はすでに使われたか、取り消されています。"))
    invitation.status = Invitation.Status.REVOKED
    invitation.answered_at = timezone.now()
    invitation.save()
    event_record(
        platform=platform,
        kind=Kind.INVITATION_REVOKED,
        actor=actor,
        data={"email": invitation.email},
    )
    return invitation


def _open_invitation_for(actor, invitation: Invitation) -> Invitation:
    """The invitation, locked, if it can still be answered by the actor. The caller
    holds the platform's lock."""
    invitation = (
        Invitation.objects.select_for_update().select_related("platform").get(pk=invitation.pk)
    )
    if invitation.platform.status not in policy.INVITABLE_STATUSES:
        raise ValidationError(_("このプラットフォームは今は参加を受け付けていません。"))
    if invitation.status == Invitation.Status.REVOKED:
        raise ValidationError(_("この招待は取り消されました。"))
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("この招待にはすでに返事をしています。"))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("この招待は有効期限が切れています。コーディネーターに再送を頼んでください。")
        )
    return invitation


def invitation_is_for(user, invitation: Invitation) -> bool:
    """Whether the invitation was sent to one of the user's confirmed addresses."""
    return EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()


@transaction.atomic
def invitation_accept(*, actor, invitation: Invitation) -> Membership:
    """Whoever holds the invitation's link joins, signed in with any address (the
    coordinators see who, and are told). A member already in is refused, unless the
    invitation was sent to them: it stays for the person it was meant for."""
    platform = locked(invitation.platform)
    invitation = _open_invitation_for(actor, invitation)
    if Membership.objects.filter(platform=platform, user=actor).exists() and not invitation_is_for(
        actor, invitation
    ):
        raise ValidationError(
            _("あなたはすでに参加者です。この招待は、招待された方のために残しておきます。")
        )
    membership, created = Membership.objects.get_or_create(
        platform=platform, user=actor, defaults={"role": invitation.role}
    )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_by = actor
    invitation.answered_at = timezone.now()
    invitation.save()
    JoinRequest.objects.filter(
        platform=platform, user=actor, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.APPROVED, decided_at=timezone.now())
    event_record(
        platform=platform,
        kind=Kind.INVITATION_ACCEPTED,
        actor=actor,
        data={"role": membership.role, "new": created},
    )
    notify(
        recipients=members(platform, roles=[Role.COORDINATOR]),
        kind=notices.INVITATION_ACCEPTED,
        platform=platform,
        actor=actor,
        url=reverse("platforms:invitation-list", args=[platform.pk]),
    )
    return membership


# A coordinator may send an invitation's email again after this long (not sooner: a
# double click or an impatient hand must not flood someone's inbox).
RESEND_AFTER = timedelta(minutes=10)


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation) -> Invitation:
    """Sends the same link again and gives it a fresh validity period (an expired
    invitation opens again)."""
    platform = locked(invitation.platform)
    require_inviter(actor, platform)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("返事のあった招待や取り消した招待は送り直せません。"))
    valid = timedelta(days=settings.INVITATION_VALID_DAYS)
    last_sent = invitation.expires_at - valid
    if timezone.now() - last_sent < RESEND_AFTER:
        raise ValidationError(_("少し前に送ったばかりです。10分ほどたってから送り直してください。"))
    invitation.expires_at = timezone.now() + valid
    invitation.save(update_fields=["expires_at"])
    email_send_later(message="platforms.invitation", ref=invitation.pk, address=invitation.email)
    return invitation


@transaction.atomic
def invitation_decline(*, actor, invitation: Invitation) -> Invitation:
    locked(invitation.platform)
    invitation = _open_invitation_for(actor, invitation)
    invitation.status = Invitation.Status.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save()
    event_record(platform=invitation.platform, kind=Kind.INVITATION_DECLINED, actor=actor)
    return invitation
