from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from common.text import bigram_key, search_key
from members.models import (
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    ResourceType,
    User,
)
from platforms.models import Goal, Membership, Platform, Role, Status, Visibility
from resources.models import Formality, Kind, Resource
from resources.models import Status as ResourceStatus
from tasks.models import Board, BoardTemplate, Card, Column


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.jp")
    display_name = factory.Sequence(lambda n: f"参加者{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-2026")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Saves the hashed password; verified=False leaves the email unconfirmed."""
        if not create:
            return
        self.save()
        if extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"団体{n}")
    kind = OrganisationKind.NPO
    resource_type = ResourceType.INFORMAL
    area = "豊中市"


def organisation_member(user, organisation, role=OrganisationMembership.Role.MEMBER):
    return OrganisationMembership.objects.create(
        organisation=organisation,
        user=user,
        role=role,
        status=OrganisationMembership.Status.ACTIVE,
    )


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform

    name = factory.Sequence(lambda n: f"プラットフォーム{n}")
    purpose = "ひきこもり経験者の職場体験を広げる"
    why = "相談先が分からない人が多い"
    who = "社協と商工会"
    where = "町内の事業所"
    area = "秋田県藤里町"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    what = "職場体験"
    how = "月1回の会議"
    budget = 100000
    visibility = Visibility.PUBLIC
    status = Status.RECRUITING
    search_text = factory.LazyAttribute(lambda p: p.name + " " + p.purpose)


def member_of(platform, user, role=Role.MEMBER, organisation=None):
    return Membership.objects.create(
        platform=platform, user=user, role=role, organisation=organisation
    )


def goal_of(platform, title="就労体験に参加する人", target=5, current=0):
    return Goal.objects.create(
        platform=platform, title=title, unit="人", target_value=target, current_value=current
    )


def position(n: int) -> str:
    """The n-th of a rising run of fractional-index keys (tasks.ordering): "a0", an
    integer part, then fraction digits that never end in "0"."""
    return f"a0{n:06d}V"


class BoardFactory(factory.django.DjangoModelFactory):
    """A bare board (no template columns; services.board_create makes those)."""

    class Meta:
        model = Board

    platform = factory.SubFactory(PlatformFactory, status=Status.ACTIVE)
    name = factory.Sequence(lambda n: f"ボード{n}")
    template = BoardTemplate.BLANK


class ColumnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Column

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"列{n}")
    position = factory.Sequence(position)


class CardFactory(factory.django.DjangoModelFactory):
    """A card written straight to the table (no event, no payload cache): for volume."""

    class Meta:
        model = Card

    column = factory.SubFactory(ColumnFactory)
    board = factory.SelfAttribute("column.board")
    position = factory.Sequence(position)
    title = factory.Sequence(lambda n: f"カード{n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    """A published resource written straight to the table (search text included)."""

    class Meta:
        model = Resource

    name = factory.Sequence(lambda n: f"社会資源{n}")
    description = "地域の居場所です。"
    kind = Kind.PLACE
    formality = Formality.INFORMAL
    status = ResourceStatus.ACTIVE
    municipality = "豊中市"
    area = ""
    steward = factory.SubFactory(UserFactory)
    confirmed_at = factory.LazyFunction(lambda: timezone.localdate())
    search_text = factory.LazyAttribute(
        lambda r: search_key(r.name, r.description, r.municipality, r.area)
    )
    search_bigrams = factory.LazyAttribute(lambda r: bigram_key(r.search_text))
