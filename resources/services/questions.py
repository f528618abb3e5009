"""Questions to a resource's steward, asked and answered on the hub: the steward is
told by notification, and neither side's email address is shown to the other."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import clean_field
from notifications.services import notify

from .. import notices
from ..models import ResourceQuestion
from ..permissions import PUBLISHED_STATUSES, can_edit_resource
from ..selectors import steward_people

# Enough for anyone asking in earnest; a flood stops here.
QUESTIONS_PER_DAY = 20


def require_askable(resource) -> None:
    if resource.status not in PUBLISHED_STATUSES:
        raise PermissionDenied(_("下書きの社会資源には質問できません。"))


@transaction.atomic
def resource_question_ask(*, actor, resource, text: str) -> ResourceQuestion:
    if not actor.is_authenticated:
        raise PermissionDenied(_("質問するにはログインしてください。"))
    require_askable(resource)
    stewards = steward_people(resource)
    if not stewards:
        raise ValidationError(
            _("この社会資源には情報を更新する人がいないため、今は質問を送れません。")
        )
    text = clean_field(
        text,
        field="text",
        max_length=1000,
        required=True,
        multiline=True,
        required_message=_("質問を書いてください。"),
    )
    since = timezone.now() - timedelta(days=1)
    if ResourceQuestion.objects.filter(asker=actor, created_at__gte=since).count() >= (
        QUESTIONS_PER_DAY
    ):
        raise ValidationError(_("質問は1日に%(n)d件までです。") % {"n": QUESTIONS_PER_DAY})
    question = ResourceQuestion.objects.create(resource=resource, asker=actor, text=text)
    notify(
        recipients=stewards,
        kind=notices.QUESTION_ASKED,
        actor=actor,
        data={"resource_name": resource.name},
        url=resource.get_absolute_url() + "#questions",
    )
    return question


@transaction.atomic
def resource_question_answer(*, actor, question: ResourceQuestion, answer: str) -> ResourceQuestion:
    question = (
        ResourceQuestion.objects.select_for_update().select_related("resource").get(pk=question.pk)
    )
    if not can_edit_resource(actor, question.resource):
        raise PermissionDenied(_("質問に答えられるのは、この社会資源の情報を更新する人です。"))
    question.answer = clean_field(
        answer,
        field="answer",
        max_length=2000,
        required=True,
        multiline=True,
        required_message=_("回答を書いてください。"),
    )
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    notify(
        recipients=[question.asker],
        kind=notices.QUESTION_ANSWERED,
        actor=actor,
        data={"resource_name": question.resource.name},
        url=question.resource.get_absolute_url() + "#questions",
    )
    return question
