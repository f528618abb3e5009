"""Leaving a platform; a coordinator removing someone or changing their role."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions as policy
from .. import services
from ..forms import RoleForm
from .shared import refused


@login_required
@require_POST
def membership_leave(request, platform_id):
    platform, role = policy.access_platform(request.user, platform_id)
    try:
        services.membership_leave(actor=request.user, platform=platform)
    except ValidationError as error:
        return refused(request, error, platform)
    messages.success(request, _("「%(name)s」から退出しました。") % {"name": platform.name})
    return redirect("platforms:dashboard")


@login_required
@require_POST
def membership_remove(request, platform_id, membership_id):
    platform, role = policy.access_platform(request.user, platform_id)
    membership = policy.access_membership(role, platform, membership_id)
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
