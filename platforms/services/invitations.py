"""Invitations by email, to people with or without an account: sent through the
notifications outbox, answered by the invited person signed in with that address."""

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import normalise_identifier
from members.models import User
from notifications.services import email_send_later, notify

from .. import notices
from .. import permissions as policy
from ..models import Invitation, JoinRequest, Membership, Platform, PlatformEvent, Role
from .guards import event_record, locked, require_invitation_revoker, require_inviter

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
    if not _has_verified_email(actor, invitation.email):
        raise PermissionDenied(
            _("この招待は %(email)s あてです。そのメールアドレスでログインしてください。")
            % {"email": invitation.email}
        )
    return invitation


def _has_verified_email(user, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def invitation_accept(*, actor, invitation: Invitation) -> Membership:
    """The invited person (signed in with the invited, verified email) joins."""
    platform = locked(invitation.platform)
    invitation = _open_invitation_for(actor, invitation)
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
    return membership


@transaction.atomic
def invitation_decline(*, actor, invitation: Invitation) -> Invitation:
    locked(invitation.platform)
    invitation = _open_invitation_for(actor, invitation)
    invitation.status = Invitation.Status.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save()
    event_record(platform=invitation.platform, kind=Kind.INVITATION_DECLINED, actor=actor)
    return invitation
