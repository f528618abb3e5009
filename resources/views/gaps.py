"""Missing resources: the list per area, recording one (often from a search that found
nothing), "here too", and launching a platform to create it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.pages import form_page, refused
from platforms.views.lifecycle import launch_page

from .. import permissions as policy
from .. import selectors, services
from ..forms import GapForm, GapSearchForm


@require_GET
def gap_list(request):
    form = GapSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    groups = selectors.gap_list(
        words=data.get("q", ""), municipality=(data.get("municipality") or "").strip()
    )
    return render(request, "resources/gap_list.html", {"form": form, "groups": groups})


@require_GET
def gap_detail(request, gap_id):
    gap = policy.access_gap(gap_id)
    noted, noted_by_me = selectors.gap_noted(gap, request.user)
    return render(
        request,
        "resources/gap_detail.html",
        {
            "gap": gap,
            "noted": noted,
            "noted_by_me": noted_by_me,
            "shown_platform": selectors.shown_platform(gap),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def gap_create(request):
    # From a search that found nothing: its words and place start the form.
    initial = {
        "need": request.GET.get("q", "")[:120],
        "municipality": request.GET.get("municipality", "")[:60],
        "area": request.GET.get("area", "")[:100],
        "kind": request.GET.get("kind", ""),
    }
    form = GapForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        act=lambda data: services.gap_record(actor=request.user, data=data),
        success=_("足りない社会資源として記録しました。"),
        template="resources/gap_form.html",
        context={"similar": selectors.similar_gaps(initial["need"])},
    )


@login_required
@require_POST
def gap_note(request, gap_id):
    gap = policy.access_gap(gap_id)
    try:
        added = services.gap_note(actor=request.user, gap=gap)
    except ValidationError as error:
        return refused(request, error, gap)
    messages.success(
        request,
        _("「ここでも足りない」と記録しました。") if added else _("すでに記録しています。"),
    )
    return redirect(gap)


@login_required
@require_http_methods(["GET", "POST"])
def gap_launch(request, gap_id):
    """The platform launch form with the charter's Why from the gap."""
    gap = policy.access_gap(gap_id)
    initial = {
        "name": gap.need[:100],
        "why": _("%(place)sで「%(need)s」が足りていません。%(more)s")
        % {
            "place": f"{gap.municipality}{gap.area}",
            "need": gap.need,
            "more": gap.description,
        },
        "who": gap.for_whom,
        "area": f"{gap.municipality} {gap.area}".strip(),
    }
    return launch_page(
        request,
        launch=lambda data, goals: services.gap_launch_platform(
            actor=request.user, gap=gap, data=data, goals=goals
        ),
        success=_("プラットフォームを下書きとして作りました。足りない社会資源とつながっています。"),
        initial=initial,
        context={"gap": gap},
    )
