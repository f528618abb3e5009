"""Platform pages: parse, ask the policy, call a service or selector, render."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.ids import parse_id
from common.spreadsheet import csv_response
from members.adapter import INVITATION_SESSION_KEY
from members.selectors import organisation_list_for_user

from . import permissions as policy
from . import selectors, services
from .exports import platform_export_csv_rows, platform_export_data
from .forms import (
    CharterForm,
    DecisionForm,
    EvaluationForm,
    GoalForm,
    GoalProgressForm,
    InvitationForm,
    JoinRequestForm,
    LaunchGoalFormSet,
    PlatformSearchForm,
    RoleForm,
    TransitionForm,
)
from .models import Goal, Invitation, JoinRequest, Membership, Platform, Role, Status


def _add_service_error(form, error: ValidationError) -> None:
    """Puts a service's refusal on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _refuse_with_message(request, error: ValidationError, to):
    for message in error.messages:
        messages.error(request, message)
    return redirect(to)


def _read_only_message(platform) -> str:
    if platform.status == Status.ARCHIVED:
        return _("アーカイブ済みのプラットフォームは読むことだけができます。")
    if platform.status == Status.CANCELLED:
        return _("中止したプラットフォームは変更できません。")
    return _("今の状態ではこの操作はできません。")


def _require(allowed: bool, platform, *, role_ok: bool) -> None:
    """403 with the reason: the actor's role, or the platform's state."""
    if allowed:
        return
    if not role_ok:
        raise PermissionDenied(_("この操作はコーディネーターだけができます。"))
    raise PermissionDenied(_read_only_message(platform))


def _require_coordinator_to(can, user, platform) -> None:
    """403 unless `can(user, platform)`; the message says whether the role or the
    platform's state stands in the way."""
    _require(can(user, platform), platform, role_ok=policy.is_coordinator(user, platform))


def _form_page(request, form, *, act, success, template, context, next_url=None, extra_valid=True):
    """The shape every form page shares: GET shows the form; a valid POST calls
    `act(cleaned_data)` (a service call), says `success` (text, or a function of what
    act returned) and goes to `next_url` or to what act returned; bad input or a
    service refusal re-renders the form with 400 and the messages on their fields."""
    if request.method == "POST" and form.is_valid() and extra_valid:
        try:
            result = act(form.cleaned_data)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(next_url or result)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form} | context, status=status)


def _search_context(request, platforms):
    form = PlatformSearchForm(request.GET or None)
    page = Paginator(platforms, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "query_string": query.urlencode()}


def _search_args(request) -> dict:
    form = PlatformSearchForm(request.GET)
    if not form.is_valid():
        return {}
    data = form.cleaned_data
    return {"query": data["q"], "area": data["area"], "kind": data["kind"]}


@require_GET
def platform_list(request):
    platforms = selectors.platform_list_public(**_search_args(request))
    return render(request, "platforms/platform_list.html", _search_context(request, platforms))


@require_GET
def platform_archive_list(request):
    platforms = selectors.platform_list_archived(user=request.user, **_search_args(request))
    context = _search_context(request, platforms) | {"archived": True}
    return render(request, "platforms/platform_list.html", context)


@require_GET
def platform_detail(request, platform_id):
    platform = policy.access_platform(request.user, platform_id)
    user = request.user
    context = selectors.platform_get_for_page(
        platform=platform, with_members=policy.can_see_members(user, platform)
    ) | {
        "platform": platform,
        "role": policy.role_of(user, platform),
        "role_label": Role(policy.role_of(user, platform)).label
        if policy.is_member(user, platform)
        else "",
        "can_edit": policy.can_edit_charter(user, platform),
        "can_change_status": policy.can_change_status(user, platform),
        "can_write_evaluation": policy.can_write_evaluation(user, platform),
        "can_manage_members": policy.can_manage_members(user, platform),
        "can_manage_goals": policy.can_manage_goals(user, platform),
        "can_invite": policy.can_invite(user, platform),
        "can_export": policy.can_export_platform(user, platform),
        "can_leave": policy.can_leave_platform(user, platform),
        "can_request": policy.can_request_to_join(user, platform),
        "pending_request": policy.pending_join_request_of(user, platform),
        "next_statuses": [Status(s) for s in services.TRANSITIONS[Status(platform.status)]]
        if policy.can_change_status(user, platform)
        else [],
        "role_form": RoleForm(),
    }
    return render(request, "platforms/platform_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def platform_create(request):
    form = CharterForm(request.POST or None)
    goals = LaunchGoalFormSet(request.POST or None, prefix="goals")
    return _form_page(
        request,
        form,
        extra_valid=request.method == "POST" and goals.is_valid(),
        act=lambda data: services.platform_launch(
            actor=request.user,
            data=data,
            goals=[g.cleaned_data for g in goals if g.cleaned_data.get("title")],
        ),
        success=_("プラットフォームを下書きとして作りました。"),
        template="platforms/platform_form.html",
        context={"goals": goals},
    )


@login_required
@require_http_methods(["GET", "POST"])
def platform_edit(request, platform_id):
    platform = policy.access_platform(request.user, platform_id)
    _require_coordinator_to(policy.can_edit_charter, request.user, platform)
    # The form edits a copy: a ModelForm writes cleaned values onto its instance, and
    # the page must keep showing the stored charter when the input is refused.
    form = CharterForm(request.POST or None, instance=Platform.objects.get(pk=platform.pk))
    return _form_page(
        request,
        form,
        act=lambda data: services.platform_charter_update(
            actor=request.user, platform=platform, data=data
        ),
        success=_("憲章を更新しました。変更前の内容は履歴に残っています。"),
        template="platforms/platform_form.html",
        context={"platform": platform},
    )


@require_GET
def platform_history(request, platform_id):
    platform = policy.access_platform(request.user, platform_id)
    kinds = policy.history_kinds_for(request.user, platform)
    events = Paginator(
        selectors.event_list_for_platform(platform=platform, kinds=kinds), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "platforms/platform_history.html",
        {
            "platform": platform,
            "revisions": selectors.revision_list_for_platform(platform=platform),
            "page": events,
        },
    )


@login_required
@require_POST
def platform_transition(request, platform_id):
    platform = policy.access_platform(request.user, platform_id)
    _require_coordinator_to(policy.can_change_status, request.user, platform)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("指定された状態はありません。"))
        return redirect(platform)
    try:
        services.platform_transition(
            actor=request.user, platform=platform, to_status=form.cleaned_data["to_status"]
        )
    except ValidationError as error:
        return _refuse_with_message(request, error, platform)
    platform.refresh_from_db()
    messages.success(
        request, _("状態を「%(status)s」にしました。") % {"status": platform.get_status_display()}
    )
    return redirect(platform)


@login_required
@require_http_methods(["GET", "POST"])
def platform_evaluation(request, platform_id):
    platform = policy.access_platform(request.user, platform_id)
    _require_coordinator_to(policy.can_write_evaluation, request.user, platform)
    form = EvaluationForm(request.POST or None, instance=Platform.objects.get(pk=platform.pk))
    return _form_page(
        request,
        form,
        act=lambda data: services.platform_evaluation_write(
            actor=request.user, platform=platform, data=data
        ),
        success=_("評価を保存しました。"),
        template="platforms/platform_evaluation.html",
        context={"platform": platform},
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request, platform_id):
    platform = policy.access_platform(request.user, platform_id)
    _require_coordinator_to(policy.can_manage_goals, request.user, platform)
    return _form_page(
        request,
        GoalForm(request.POST or None),
        act=lambda data: services.goal_add(actor=request.user, platform=platform, **data),
        next_url=platform.get_absolute_url(),
        success=_("目標を追加しました。"),
        template="platforms/goal_form.html",
        context={"platform": platform},
    )


def _goal_or_404(platform, goal_id):
    goal = selectors.goal_get(platform=platform, goal_id=goal_id)
    if goal is None:
        raise Http404
    return goal


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, platform_id, goal_id):
    platform = policy.access_platform(request.user, platform_id)
    goal = _goal_or_404(platform, goal_id)
    _require_coordinator_to(policy.can_manage_goals, request.user, platform)
    return _form_page(
        request,
        GoalProgressForm(request.POST or None, instance=Goal.objects.get(pk=goal.pk)),
        act=lambda data: services.goal_update(actor=request.user, goal=goal, data=data),
        next_url=platform.get_absolute_url(),
        success=_("目標を更新しました。"),
        template="platforms/goal_form.html",
        context={"platform": platform, "goal": goal},
    )


@login_required
@require_POST
def goal_delete(request, platform_id, goal_id):
    platform = policy.access_platform(request.user, platform_id)
    goal = _goal_or_404(platform, goal_id)
    _require_coordinator_to(policy.can_manage_goals, request.user, platform)
    try:
        services.goal_remove(actor=request.user, goal=goal)
    except ValidationError as error:
        return _refuse_with_message(request, error, platform)
    messages.success(request, _("目標を削除しました。"))
    return redirect(platform)


@login_required
@require_http_methods(["GET", "POST"])
def join_request_create(request, platform_id):
    platform = policy.access_platform(request.user, platform_id)
    if not policy.can_request_to_join(request.user, platform):
        if policy.is_member(request.user, platform):
            messages.info(request, _("すでにこのプラットフォームの参加者です。"))
            return redirect(platform)
        raise PermissionDenied(_("このプラットフォームは今は参加を受け付けていません。"))
    if policy.pending_join_request_of(request.user, platform):
        messages.info(request, _("参加申請はすでに送られています。判断をお待ちください。"))
        return redirect(platform)
    form = JoinRequestForm(
        request.POST or None, organisations=organisation_list_for_user(user=request.user)
    )
    return _form_page(
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
    platform = policy.access_platform(request.user, platform_id)
    _require(policy.is_coordinator(request.user, platform), platform, role_ok=False)
    return render(
        request,
        "platforms/join_request_list.html",
        {
            "platform": platform,
            "pending": selectors.join_request_list_for_platform(platform=platform),
            "can_decide": policy.can_manage_members(request.user, platform),
            "decided": JoinRequest.objects.filter(platform=platform)
            .exclude(status=JoinRequest.Status.PENDING)
            .select_related("user", "decided_by")[:50],
        },
    )


def _join_request_or_404(platform, request_id):
    try:
        return platform.join_requests.select_related("user").get(pk=parse_id(request_id))
    except (JoinRequest.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


@login_required
@require_POST
def join_request_decide(request, platform_id, request_id):
    platform = policy.access_platform(request.user, platform_id)
    join_request = _join_request_or_404(platform, request_id)
    _require_coordinator_to(policy.can_manage_members, request.user, platform)
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
    platform = policy.access_platform(request.user, platform_id)
    join_request = _join_request_or_404(platform, request_id)
    if join_request.user_id != request.user.pk:
        raise PermissionDenied(_("取り下げられるのは申請した本人だけです。"))
    _require(policy.is_writable(platform), platform, role_ok=True)
    try:
        services.join_request_withdraw(actor=request.user, join_request=join_request)
    except ValidationError as error:
        return _refuse_with_message(request, error, platform)
    messages.success(request, _("参加申請を取り下げました。"))
    return redirect(platform)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list(request, platform_id):
    platform = policy.access_platform(request.user, platform_id)
    _require(policy.is_coordinator(request.user, platform), platform, role_ok=False)
    can_invite = policy.can_invite(request.user, platform)
    if request.method == "POST":
        _require(can_invite, platform, role_ok=True)
    return _form_page(
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
            "can_invite": can_invite,
            "invitations": selectors.invitation_list_for_platform(platform=platform),
        },
    )


@login_required
@require_POST
def invitation_revoke(request, platform_id, invitation_id):
    platform = policy.access_platform(request.user, platform_id)
    _require_coordinator_to(policy.can_invite, request.user, platform)
    try:
        invitation = platform.invitations.get(pk=parse_id(invitation_id))
    except (Invitation.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        return _refuse_with_message(
            request, error, reverse("platforms:invitation-list", args=[platform.pk])
        )
    messages.success(request, _("招待を取り消しました。"))
    return redirect("platforms:invitation-list", platform.pk)


def _invitation_page(request, invitation, status=200):
    return render(
        request,
        "platforms/invitation_detail.html",
        {
            "invitation": invitation,
            "platform": invitation.platform,
            "is_open": policy.invitation_is_open(invitation),
            "platform_closed": invitation.platform.status not in policy.INVITABLE_STATUSES,
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
    if accept:
        messages.success(request, _("プラットフォームに参加しました。"))
        return redirect(invitation.platform)
    messages.info(request, _("招待を辞退しました。"))
    return redirect("platforms:dashboard")


@login_required
@require_POST
def membership_leave(request, platform_id):
    platform = policy.access_platform(request.user, platform_id)
    if not policy.is_member(request.user, platform):
        raise PermissionDenied(_("このプラットフォームには参加していません。"))
    _require(policy.can_leave_platform(request.user, platform), platform, role_ok=True)
    try:
        services.membership_leave(actor=request.user, platform=platform)
    except ValidationError as error:
        return _refuse_with_message(request, error, platform)
    messages.success(request, _("「%(name)s」から退出しました。") % {"name": platform.name})
    return redirect("platforms:dashboard")


def _membership_or_404(platform, membership_id):
    try:
        return platform.memberships.select_related("user").get(pk=parse_id(membership_id))
    except (Membership.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


@login_required
@require_POST
def membership_remove(request, platform_id, membership_id):
    platform = policy.access_platform(request.user, platform_id)
    membership = _membership_or_404(platform, membership_id)
    _require_coordinator_to(policy.can_manage_members, request.user, platform)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        return _refuse_with_message(request, error, platform)
    messages.success(request, _("%(name)s さんを外しました。") % {"name": membership.user.name})
    return redirect(platform)


@login_required
@require_POST
def membership_role(request, platform_id, membership_id):
    platform = policy.access_platform(request.user, platform_id)
    membership = _membership_or_404(platform, membership_id)
    _require_coordinator_to(policy.can_manage_members, request.user, platform)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("指定された役割はありません。"))
        return redirect(platform)
    try:
        services.membership_role_change(
            actor=request.user, membership=membership, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        return _refuse_with_message(request, error, platform)
    messages.success(
        request, _("%(name)s さんの役割を変えました。") % {"name": membership.user.name}
    )
    return redirect(platform)


@login_required
@require_GET
def platform_export(request, platform_id, fmt):
    platform = policy.access_platform(request.user, platform_id)
    _require(policy.can_export_platform(request.user, platform), platform, role_ok=False)
    filename = f"platform-{platform.pk}"
    if fmt == "json":
        body = json.dumps(
            platform_export_data(platform, request.user),
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
            indent=2,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    return csv_response(filename, platform_export_csv_rows(platform, request.user))


@login_required
@require_GET
def dashboard(request):
    user = request.user
    return render(
        request,
        "platforms/dashboard.html",
        {
            "platforms": selectors.platform_list_for_user(user=user),
            "to_decide": selectors.join_request_list_to_decide(user=user),
            "invitations": selectors.invitation_list_for_user(user=user),
            "my_requests": selectors.join_request_list_of_user(user=user),
        },
    )
