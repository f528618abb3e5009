"""Invitations: the coordinators' list, sending and revoking; the invited person's
page (by its secret token) and answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.confirm import confirm_page
from members.adapter import INVITATION_SESSION_KEY, INVITED_EMAIL_SESSION_KEY

from .. import permissions as policy
from .. import selectors, services
from ..forms import InvitationForm
from .shared import form_page, guard, refused


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list(request, platform_id):
    platform, role = policy.access_platform(request.user, platform_id)
    guard(services.require_coordinator_page, request.user, platform)
    if request.method == "POST":
        guard(services.require_inviter, request.user, platform)
    return form_page(
        request,
        InvitationForm(request.POST or None),
        act=lambda data: services.invitation_create(actor=request.user, platform=platform, **data),
        success=lambda invitation: (
            _("%(email)s に招待を送りました。") % {"email": invitation.email}
        ),
        next_url=reverse("platforms:invitation-list", args=[platform.pk]),
        template="platforms/invitation_list.html",
        context={
            "platform": platform,
            "can_invite": policy.can_invite(role, platform),
            "invitations": selectors.invitation_list_for_platform(platform=platform),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_revoke(request, platform_id, invitation_id):
    """POST revokes the invitation; GET asks first."""
    platform, role = policy.access_platform(request.user, platform_id)
    invitation = policy.access_platform_invitation(role, platform, invitation_id)
    if request.method == "GET":
        guard(services.require_invitation_revoker, request.user, platform)
        return confirm_page(
            request,
            title=_("%(email)s への招待を取り消しますか？") % {"email": invitation.email},
            consequences=[
                _("招待のメールにあるリンクは使えなくなります。"),
                _("取り消したことは履歴に残ります。"),
            ],
            reversible=False,
            undo_note=_("同じアドレスを、もう一度招待することはできます。"),
            action=reverse("platforms:invitation-revoke", args=[platform.pk, invitation.pk]),
            button=_("招待を取り消す"),
            back=reverse("platforms:invitation-list", args=[platform.pk]),
        )
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        return refused(request, error, reverse("platforms:invitation-list", args=[platform.pk]))
    messages.success(request, _("招待を取り消しました。"))
    return redirect("platforms:invitation-list", platform.pk)


@login_required
@require_POST
def invitation_resend(request, platform_id, invitation_id):
    platform, role = policy.access_platform(request.user, platform_id)
    invitation = policy.access_platform_invitation(role, platform, invitation_id)
    back = reverse("platforms:invitation-list", args=[platform.pk])
    try:
        services.invitation_resend(actor=request.user, invitation=invitation)
    except ValidationError as error:
        return refused(request, error, back)
    messages.success(request, _("%(email)s に招待を送り直しました。") % {"email": invitation.email})
    return redirect(back)


def _invitation_page(request, invitation, status=200):
    return render(
        request,
        "platforms/invitation_detail.html",
        {
            "invitation": invitation,
            "platform": invitation.platform,
            "is_open": policy.invitation_is_open(invitation),
            "platform_closed": invitation.platform.status not in policy.INVITABLE_STATUSES,
            "sent_elsewhere": request.user.is_authenticated
            and not services.invitation_is_for(request.user, invitation),
        },
        status=status,
    )


@require_GET
def invitation_detail(request, token):
    """The page an invitation email links to. Anyone holding the token sees the
    platform's name and purpose; without an account the token is kept for sign-up."""
    invitation = policy.access_invitation(token)
    if not request.user.is_authenticated and policy.invitation_is_open(invitation):
        request.session[INVITATION_SESSION_KEY] = invitation.token
        request.session[INVITED_EMAIL_SESSION_KEY] = invitation.email
    return _invitation_page(request, invitation)


@login_required
@require_POST
def invitation_respond(request, token):
    invitation = policy.access_invitation(token)
    accept = request.POST.get("answer") == "accept"
    if request.POST.get("answer") not in ("accept", "decline"):
        messages.error(request, _("「参加する」か「辞退する」を選んでください。"))
        return _invitation_page(request, invitation, status=400)
    try:
        if accept:
            services.invitation_accept(actor=request.user, invitation=invitation)
        else:
            services.invitation_decline(actor=request.user, invitation=invitation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        invitation.refresh_from_db()
        return _invitation_page(request, invitation, status=400)
    request.session.pop(INVITATION_SESSION_KEY, None)
    request.session.pop(INVITED_EMAIL_SESSION_KEY, None)
    if accept:
        messages.success(request, _("プラットフォームに参加しました。"))
        return redirect(invitation.platform)
    messages.info(request, _("招待を辞退しました。"))
    return redirect("platforms:dashboard")
