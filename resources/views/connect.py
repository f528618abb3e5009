"""Connecting resources (活用・連携): proposing a resource to a platform one
coordinates, removing it from the platform, and questions to its steward."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.pages import form_page, refused
from platforms import permissions as platform_policy

from .. import permissions as policy
from .. import selectors, services
from ..forms import AnswerForm, LinkForm, QuestionForm


@login_required
@require_http_methods(["GET", "POST"])
def resource_link(request, resource_id):
    resource, editable = policy.access_resource(request.user, resource_id)
    services.require_linkable(resource)
    platforms = selectors.linkable_platforms(request.user)
    services.require_linker_of_some_platform(platforms)
    form = LinkForm(request.POST or None, platforms=platforms, resource=resource)
    by_id = {platform.pk: platform for platform in platforms}
    return form_page(
        request,
        form,
        act=lambda data: (
            services.platform_resource_link(
                actor=request.user,
                platform=by_id[data["platform"]],
                resource=resource,
                use=data["use"],
                purpose=data["purpose"],
            ).platform
        ),
        success=_("プラットフォームにつなげました。情報を更新する人にお知らせしました。"),
        template="resources/link_form.html",
        context={"resource": resource},
    )


@login_required
@require_POST
def platform_link_remove(request, platform_id, link_id):
    platform, role = platform_policy.access_platform(request.user, platform_id)
    link = policy.access_platform_link(platform, link_id)
    services.platform_resource_unlink(actor=request.user, platform=platform, link=link)
    messages.success(
        request, _("「%(name)s」とのつながりを外しました。") % {"name": link.resource.name}
    )
    return redirect(platform)


@login_required
@require_http_methods(["GET", "POST"])
def resource_ask(request, resource_id):
    resource, editable = policy.access_resource(request.user, resource_id)
    services.require_askable(resource)
    return form_page(
        request,
        QuestionForm(request.POST or None),
        act=lambda data: services.resource_question_ask(
            actor=request.user, resource=resource, text=data["text"]
        ),
        success=_("質問を送りました。回答はこのページとお知らせで届きます。"),
        template="resources/question_form.html",
        context={"resource": resource},
        next_url=resource.get_absolute_url() + "#questions",
    )


@login_required
@require_POST
def question_answer(request, resource_id, question_id):
    resource, editable = policy.access_resource(request.user, resource_id)
    question = policy.access_question(resource, question_id, editable=editable)
    form = AnswerForm(request.POST)
    back = resource.get_absolute_url() + "#questions"
    if not form.is_valid():
        return refused(request, ValidationError(form.errors["answer"]), back)
    try:
        services.resource_question_answer(
            actor=request.user, question=question, answer=form.cleaned_data["answer"]
        )
    except ValidationError as error:
        return refused(request, error, back)
    messages.success(request, _("回答を送りました。"))
    return redirect(back)
