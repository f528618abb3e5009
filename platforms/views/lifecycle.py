"""Finding, reading and launching platforms; the charter, the status, the evaluation,
the history, the export and マイページ."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from common.confirm import confirm_page
from common.spreadsheet import csv_response

from .. import closing, sections, selectors, services
from .. import permissions as policy
from ..attention import needs_attention
from ..exports import platform_export_csv_rows, platform_export_data
from ..forms import (
    CharterForm,
    EvaluationForm,
    LaunchGoalFormSet,
    PlatformSearchForm,
    RoleForm,
    TransitionForm,
)
from ..models import ENDED_STATUSES, Platform, Role, Status
from .shared import form_page, guard, refused


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
    platform, role = policy.access_platform(request.user, platform_id)
    user = request.user
    can_change_status = policy.can_change_status(role, platform)
    next_statuses = services.next_statuses(platform) if can_change_status else []
    context = selectors.platform_get_for_page(
        platform=platform, with_members=policy.can_see_members(role)
    ) | {
        "platform": platform,
        "role": role,
        "role_label": Role(role).label if policy.is_member(role) else "",
        "can_edit": policy.can_edit_charter(role, platform),
        "can_change_status": can_change_status,
        "can_write_evaluation": policy.can_write_evaluation(role, platform),
        "can_manage_members": policy.can_manage_members(role, platform),
        "can_manage_goals": policy.can_manage_goals(role, platform),
        "can_invite": policy.can_invite(role, platform),
        "can_export": policy.can_export_platform(role, platform),
        "can_leave": policy.can_leave_platform(role, platform),
        "can_request": policy.can_request_to_join(user, role, platform),
        "pending_request": policy.pending_join_request_of(user, platform),
        "next_statuses": next_statuses,
        "ending_statuses": [s for s in next_statuses if s in ENDED_STATUSES],
        "role_form": RoleForm(),
        "sections": sections.sections_for(sections.DETAIL, user=user, platform=platform, role=role),
    }
    return render(request, "platforms/platform_detail.html", context)


def launch_page(request, *, launch, success: str, initial=None, context=None):
    """The launch form (charter and goals): `launch(data, goals)` creates the platform
    (platforms.services.platform_launch, or an app's service that calls it)."""
    form = CharterForm(request.POST or None, initial=initial)
    goals = LaunchGoalFormSet(request.POST or None, prefix="goals")
    return form_page(
        request,
        form,
        extra_valid=request.method == "POST" and goals.is_valid(),
        act=lambda data: launch(
            data, [g.cleaned_data for g in goals if g.cleaned_data.get("title")]
        ),
        success=success,
        template="platforms/platform_form.html",
        context={"goals": goals} | (context or {}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def platform_create(request):
    return launch_page(
        request,
        launch=lambda data, goals: services.platform_launch(
            actor=request.user, data=data, goals=goals
        ),
        success=_("プラットフォームを下書きとして作りました。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def platform_edit(request, platform_id):
    platform, role = policy.access_platform(request.user, platform_id)
    guard(services.require_charter_editor, request.user, platform)
    # The form edits a copy: a ModelForm writes cleaned values onto its instance, and
    # the page must keep showing the stored charter when the input is refused.
    form = CharterForm(request.POST or None, instance=Platform.objects.get(pk=platform.pk))
    return form_page(
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
    platform, role = policy.access_platform(request.user, platform_id)
    kinds = policy.history_kinds_for(role)
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


def _confirm_ending(request, platform, to_status):
    """Archiving and cancelling end a platform for good (ENDED_STATUSES): ask first."""
    consequences = [
        _("プラットフォームもボードも読むだけになり、だれも変更できなくなります。"),
        _("返事待ちの招待は取り消されます。"),
        _("参加者全員に、状態が変わったことをお知らせします。"),
    ]
    problems = []
    if to_status == Status.ARCHIVED:
        title = _("「%(name)s」をアーカイブしますか？") % {"name": platform.name}
        consequences.append(_("アーカイブの一覧に載り、記録として残ります。"))
        button = _("アーカイブする")
        problems = closing.problems_before_archive(platform)
    else:
        title = _("「%(name)s」を中止しますか？") % {"name": platform.name}
        button = _("中止する")
    return confirm_page(
        request,
        title=title,
        consequences=consequences,
        reversible=False,
        action=reverse("platforms:platform-transition", args=[platform.pk]),
        fields={"to_status": to_status},
        button=button,
        back=platform.get_absolute_url(),
        problems=problems,
    )


@login_required
@require_http_methods(["GET", "POST"])
def platform_transition(request, platform_id):
    """POST moves the platform on; GET asks first for a step that ends it."""
    platform, role = policy.access_platform(request.user, platform_id)
    guard(services.require_status_changer, request.user, platform)
    if request.method == "GET":
        to_status = request.GET.get("to_status")
        if to_status in ENDED_STATUSES:
            return _confirm_ending(request, platform, to_status)
        return redirect(platform)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("指定された状態はありません。"))
        return redirect(platform)
    try:
        services.platform_transition(
            actor=request.user, platform=platform, to_status=form.cleaned_data["to_status"]
        )
    except ValidationError as error:
        return refused(request, error, platform)
    platform.refresh_from_db()
    messages.success(
        request, _("状態を「%(status)s」にしました。") % {"status": platform.get_status_display()}
    )
    return redirect(platform)


@login_required
@require_http_methods(["GET", "POST"])
def platform_evaluation(request, platform_id):
    platform, role = policy.access_platform(request.user, platform_id)
    guard(services.require_evaluator, request.user, platform)
    form = EvaluationForm(request.POST or None, instance=Platform.objects.get(pk=platform.pk))
    return form_page(
        request,
        form,
        act=lambda data: services.platform_evaluation_write(
            actor=request.user, platform=platform, data=data
        ),
        success=_("評価を保存しました。"),
        template="platforms/platform_evaluation.html",
        context={
            "platform": platform,
            "sections": sections.sections_for(
                sections.EVALUATION, user=request.user, platform=platform, role=role
            ),
        },
    )


@login_required
@require_GET
def platform_export(request, platform_id, fmt):
    platform, role = policy.access_platform(request.user, platform_id)
    guard(services.require_coordinator_page, request.user, platform)
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
    platforms = list(selectors.platform_list_for_user(user=user))
    return render(
        request,
        "platforms/dashboard.html",
        {
            "platforms": platforms,
            "live_platforms": [p for p in platforms if not p.is_read_only],
            "ended_platforms": [p for p in platforms if p.is_read_only],
            "attention": needs_attention(user),
            "to_decide": selectors.join_request_list_to_decide(user=user),
            "invitations": selectors.invitation_list_for_user(user=user),
            "my_requests": selectors.join_request_list_of_user(user=user),
        },
    )
