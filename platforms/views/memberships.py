"""Leaving a platform; a coordinator removing someone or changing their role."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.confirm import confirm_page

from .. import permissions as policy
from .. import services
from ..forms import RoleForm
from .shared import guard, refused


@login_required
@require_http_methods(["GET", "POST"])
def membership_leave(request, platform_id):
    """POST leaves; GET asks first."""
    platform, role = policy.access_platform(request.user, platform_id)
    if request.method == "GET":
        guard(services.require_member, request.user, platform)
        return confirm_page(
            request,
            title=_("「%(name)s」から退出しますか？") % {"name": platform.name},
            consequences=[
                _("このプラットフォームのボードやカードを見られなくなります。"),
                _("コーディネーターに、あなたが退出したことが記録されます。"),
            ],
            reversible=False,
            undo_note=_("もう一度参加するには、招待されるか、参加を申請してください。"),
            action=reverse("platforms:membership-leave", args=[platform.pk]),
            button=_("退出する"),
            back=platform.get_absolute_url(),
        )
    try:
        services.membership_leave(actor=request.user, platform=platform)
    except ValidationError as error:
        return refused(request, error, platform)
    messages.success(request, _("「%(name)s」から退出しました。") % {"name": platform.name})
    return redirect("platforms:dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove(request, platform_id, membership_id):
    """POST removes the participant; GET asks first."""
    platform, role = policy.access_platform(request.user, platform_id)
    membership = policy.access_membership(role, platform, membership_id)
    if request.method == "GET":
        guard(services.require_member_remover, request.user, platform)
        name = membership.user.name
        return confirm_page(
            request,
            title=_("%(name)s さんをこのプラットフォームから外しますか？") % {"name": name},
            consequences=[
                _("%(name)s さんは、このプラットフォームのボードやカードを見られなくなります。")
                % {"name": name},
                _("%(name)s さんに、外されたことをお知らせします。") % {"name": name},
            ],
            reversible=False,
            undo_note=_("もう一度参加してもらうには、招待してください。"),
            action=reverse("platforms:membership-remove", args=[platform.pk, membership.pk]),
            button=_("外す"),
            back=platform.get_absolute_url(),
        )
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        return refused(request, error, platform)
    messages.success(request, _("%(name)s さんを外しました。") % {"name": membership.user.name})
    return redirect(platform)


@login_required
@require_POST
def membership_role(request, platform_id, membership_id):
    platform, role = policy.access_platform(request.user, platform_id)
    membership = policy.access_membership(role, platform, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("指定された役割はありません。"))
        return redirect(platform)
    try:
        services.membership_role_change(
            actor=request.user, membership=membership, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        return refused(request, error, platform)
    messages.success(
        request, _("%(name)s さんの役割を変えました。") % {"name": membership.user.name}
    )
    return redirect(platform)
