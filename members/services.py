"""Every change of state for people and organisations."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Organisation, OrganisationMembership, User
from .permissions import is_organisation_admin


@transaction.atomic
def profile_update(*, actor: User, data: dict) -> User:
    """`data` comes from a valid ProfileForm. Live board events look names up when
    they are built, so a new name shows on the next one, whoever changed it."""
    for field in ("display_name", "name_kana", "area", "skills", "introduction", "participation"):
        if field in data:
            setattr(actor, field, data[field])
    actor.full_clean(exclude=["password"])
    actor.save()
    return actor


def calendar_feed_reset(*, actor: User) -> str:
    """A new secret for the person's calendar feed URL; the old URL stops working at
    once (it may have been shared by mistake)."""
    actor.calendar_token = secrets.token_urlsafe(32)
    actor.save(update_fields=["calendar_token"])
    return actor.calendar_token


def calendar_feed_stop(*, actor: User) -> None:
    actor.calendar_token = None
    actor.save(update_fields=["calendar_token"])


def name_wanted(user: User) -> bool:
    """True, once, for a person who has no name yet: the moment to ask for it. A
    person who skips the question is not asked again; the profile page stays open."""
    if user.display_name or user.name_asked_at is not None:
        return False
    return (
        User.objects.filter(pk=user.pk, name_asked_at=None).update(name_asked_at=timezone.now())
        == 1
    )


@transaction.atomic
def organisation_create(*, actor: User, data: dict) -> Organisation:
    """Creates the organisation with the actor as its first administrator."""
    organisation = Organisation(created_by=actor, **data)
    organisation.full_clean()
    organisation.save()
    OrganisationMembership.objects.create(
        organisation=organisation,
        user=actor,
        role=OrganisationMembership.Role.ADMIN,
        status=OrganisationMembership.Status.ACTIVE,
    )
    return organisation


def require_organisation_editor(actor, organisation: Organisation) -> None:
    """Who may change an organisation's details (the edit page asks before it shows
    the form)."""
    if not is_organisation_admin(actor, organisation):
        raise PermissionDenied(_("団体の情報を変更できるのは団体の管理者だけです。"))


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, data: dict) -> Organisation:
    require_organisation_editor(actor, organisation)
    for field, value in data.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_join_request(*, actor: User, organisation: Organisation) -> OrganisationMembership:
    """Asks to belong to an organisation; an administrator of it decides."""
    membership, created = OrganisationMembership.objects.get_or_create(
        organisation=organisation, user=actor
    )
    if not created:
        if membership.status == OrganisationMembership.Status.ACTIVE:
            raise ValidationError(_("すでにこの団体に所属しています。"))
        raise ValidationError(_("所属の申請はすでに送られています。承認をお待ちください。"))
    return membership


@transaction.atomic
def organisation_membership_decide(
    *, actor: User, membership: OrganisationMembership, approve: bool
) -> OrganisationMembership | None:
    membership = OrganisationMembership.objects.select_for_update().get(pk=membership.pk)
    if not is_organisation_admin(actor, membership.organisation):
        raise PermissionDenied(_("所属の申請を判断できるのは団体の管理者だけです。"))
    if membership.status != OrganisationMembership.Status.PENDING:
        raise ValidationError(_("この申請はすでに処理されています。"))
    if approve:
        membership.status = OrganisationMembership.Status.ACTIVE
        membership.save(update_fields=["status"])
        return membership
    membership.delete()
    return None


@transaction.atomic
def organisation_leave(*, actor: User, organisation: Organisation) -> None:
    membership = (
        OrganisationMembership.objects.select_for_update()
        .filter(organisation=organisation, user=actor)
        .first()
    )
    if membership is None:
        raise ValidationError(_("この団体には所属していません。"))
    if membership.role == OrganisationMembership.Role.ADMIN:
        other_admins = OrganisationMembership.objects.filter(
            organisation=organisation,
            role=OrganisationMembership.Role.ADMIN,
            status=OrganisationMembership.Status.ACTIVE,
        ).exclude(pk=membership.pk)
        if not other_admins.exists():
            raise ValidationError(
                _("最後の管理者は抜けられません。先に他のメンバーを管理者にしてください。")
            )
    membership.delete()


@transaction.atomic
def organisation_member_promote(
    *, actor: User, membership: OrganisationMembership
) -> OrganisationMembership:
    if not is_organisation_admin(actor, membership.organisation):
        raise PermissionDenied(_("管理者を指名できるのは団体の管理者だけです。"))
    if membership.status != OrganisationMembership.Status.ACTIVE:
        raise ValidationError(_("承認前の人は管理者にできません。"))
    membership.role = OrganisationMembership.Role.ADMIN
    membership.save(update_fields=["role"])
    return membership
