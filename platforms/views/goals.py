"""A platform's goals: add, update (wording, target, progress), remove."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.confirm import confirm_page

from .. import permissions as policy
from .. import services
from ..forms import GoalForm, GoalProgressForm
from ..models import Goal
from .shared import form_page, guard, refused


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request, platform_id):
    platform, role = policy.access_platform(request.user, platform_id)
    guard(services.require_goal_manager, request.user, platform)
    return form_page(
        request,
        GoalForm(request.POST or None),
        act=lambda data: services.goal_add(actor=request.user, platform=platform, **data),
        next_url=platform.get_absolute_url(),
        success=_("目標を追加しました。"),
        template="platforms/goal_form.html",
        context={"platform": platform},
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, platform_id, goal_id):
    platform, role = policy.access_platform(request.user, platform_id)
    goal = policy.access_goal(platform, goal_id)
    guard(services.require_goal_manager, request.user, platform)
    return form_page(
        request,
        GoalProgressForm(request.POST or None, instance=Goal.objects.get(pk=goal.pk)),
        act=lambda data: services.goal_update(actor=request.user, goal=goal, data=data),
        next_url=platform.get_absolute_url(),
        success=_("目標を更新しました。"),
        template="platforms/goal_form.html",
        context={"platform": platform, "goal": goal},
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_delete(request, platform_id, goal_id):
    """POST deletes the goal; GET asks first."""
    platform, role = policy.access_platform(request.user, platform_id)
    goal = policy.access_goal(platform, goal_id)
    if request.method == "GET":
        guard(services.require_goal_manager, request.user, platform)
        return confirm_page(
            request,
            title=_("目標「%(title)s」を削除しますか？") % {"title": goal.title},
            consequences=[
                _("目標と、その進み具合（%(current)s／%(target)s%(unit)s）が消えます。")
                % {"current": goal.current_value, "target": goal.target_value, "unit": goal.unit},
                _("この目標につながっているボードの列は、どの目標にもつながらなくなります。"),
                _("削除したことは履歴に残ります。"),
            ],
            reversible=False,
            action=reverse("platforms:goal-delete", args=[platform.pk, goal.pk]),
            button=_("削除する"),
            back=platform.get_absolute_url(),
        )
    try:
        services.goal_remove(actor=request.user, goal=goal)
    except ValidationError as error:
        return refused(request, error, platform)
    messages.success(request, _("目標を削除しました。"))
    return redirect(platform)
