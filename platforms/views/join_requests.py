"""Asking to join a public platform; the coordinators' list and decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.selectors import organisation_list_for_user

from .. import permissions as policy
from .. import selectors, services
from ..forms import DecisionForm, JoinRequestForm
from ..models import JoinRequest
from .shared import form_page, guard, refused


@login_required
@require_http_methods(["GET", "POST"])
def join_request_create(request, platform_id):
    platform, role = policy.access_platform(request.user, platform_id)
    try:
        services.require_join_requester(request.user, platform)
    except ValidationError as nothing_to_ask:  # already in, or already asked
        for message in nothing_to_ask.messages:
            messages.info(request, message)
        return redirect(platform)
    form = JoinRequestForm(
        request.POST or None, organisations=organisation_list_for_user(user=request.user)
    )
    return form_page(
        request,
        form,
        act=lambda data: services.join_request_create(
            actor=request.user, platform=platform, **data
        ),
        next_url=platform.get_absolute_url(),
        success=_("参加を申請しました。コーディネーターの判断をお待ちください。"),
        template="platforms/join_request_form.html",
        context={"platform": platform},
    )


@login_required
@require_GET
def join_request_list(request, platform_id):
    platform, role = policy.access_platform(request.user, platform_id)
    guard(services.require_coordinator_page, request.user, platform)
    return render(
        request,
        "platforms/join_request_list.html",
        {
            "platform": platform,
            "pending": selectors.join_request_list_for_platform(platform=platform),
            "can_decide": policy.can_manage_members(role, platform),
            "decided": JoinRequest.objects.filter(platform=platform)
            .exclude(status=JoinRequest.Status.PENDING)
            .select_related("user", "decided_by")[:50],
        },
    )


@login_required
@require_POST
def join_request_decide(request, platform_id, request_id):
    platform, role = policy.access_platform(request.user, platform_id)
    join_request = policy.access_join_request(request.user, role, platform, request_id)
    guard(services.require_join_request_decider, request.user, platform)
    back = "platforms:join-request-list"
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(back, platform.pk)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.join_request_decide(
            actor=request.user,
            join_request=join_request,
            approve=approve,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back, platform.pk)
    name = join_request.user.name
    if approve:
        messages.success(request, _("%(name)s さんの参加を承認しました。") % {"name": name})
    else:
        messages.success(request, _("%(name)s さんの参加を見送りました。") % {"name": name})
    return redirect(back, platform.pk)


@login_required
@require_POST
def join_request_withdraw(request, platform_id, request_id):
    platform, role = policy.access_platform(request.user, platform_id)
    join_request = policy.access_join_request(request.user, role, platform, request_id)
    try:
        services.join_request_withdraw(actor=request.user, join_request=join_request)
    except ValidationError as error:
        return refused(request, error, platform)
    messages.success(request, _("参加申請を取り下げました。"))
    return redirect(platform)
