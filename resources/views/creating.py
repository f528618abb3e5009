"""Resources a platform creates: drafting one, and at closing saying whether it
continues and who keeps it current."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.pages import form_page, refused
from platforms import permissions as platform_policy

from .. import permissions as policy
from .. import selectors, services
from ..forms import PlanForm, ResourceForm


@login_required
@require_http_methods(["GET", "POST"])
def created_resource_draft(request, platform_id):
    platform, role = platform_policy.access_platform(request.user, platform_id)
    services.require_drafter(request.user, platform)
    return form_page(
        request,
        ResourceForm(request.POST or None, creating=True),
        act=lambda data: services.created_resource_draft(
            actor=request.user, platform=platform, data=data, offers=data["offers"]
        ),
        success=_(
            "つくる社会資源を下書きにしました。プラットフォームを閉じるときに、続けるかどうかを決めます。"
        ),
        template="resources/resource_form.html",
        context={"creating": True, "platform": platform},
        next_url=platform.get_absolute_url() + "#resources",
    )


@login_required
@require_POST
def created_resource_plan(request, platform_id, resource_id):
    platform, role = platform_policy.access_platform(request.user, platform_id)
    resource = policy.access_created_resource(platform, resource_id)
    back = reverse("platforms:platform-evaluation", args=[platform.pk]) + "#created-resources"
    people, organisations = selectors.steward_choices(platform)
    form = PlanForm(
        request.POST, people=people, organisations=organisations, prefix=f"r{resource.pk}"
    )
    if not form.is_valid():
        return refused(
            request,
            ValidationError([e for errors in form.errors.values() for e in errors]),
            back,
        )
    data = form.cleaned_data
    try:
        services.created_resource_plan(
            actor=request.user,
            platform=platform,
            resource=resource,
            continues=data["continues"],
            steward_id=data["steward"],
            organisation_id=data["steward_organisation"],
        )
    except ValidationError as error:
        return refused(request, error, back)
    messages.success(request, _("「%(name)s」のこれからを記録しました。") % {"name": resource.name})
    return redirect(back)
