"""Profile and organisation pages."""

from allauth.account import views as allauth_views
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .adapter import INVITED_EMAIL_SESSION_KEY
from .forms import NameForm, OrganisationForm, ProfileForm
from .models import OrganisationKind
from .permissions import (
    access_organisation,
    access_organisation_membership,
    can_see_organisation_members,
    is_organisation_admin,
)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(actor=request.user, data=form.cleaned_data)
        messages.success(request, _("プロフィールを保存しました。"))
        return redirect("members:profile")
    if request.method == "POST":
        request.user.refresh_from_db()
    return render(
        request,
        "members/profile_form.html",
        {
            "form": form,
            "organisations": selectors.organisation_list_for_user(user=request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


class SignupView(allauth_views.SignupView):
    """allauth's sign-up, starting with the address an invitation was sent to when the
    person came from one (platforms keeps it in the session)."""

    def get_initial(self):
        initial = super().get_initial()
        invited = self.request.session.get(INVITED_EMAIL_SESSION_KEY)
        if invited:
            initial["email"] = invited
        return initial


def _next_url(request) -> str:
    """Where to go after the name question: `next` if it is one of our pages."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("platforms:dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def name_edit(request):
    """The one question asked of a person without a name (members.services.name_wanted);
    they may answer it or go on without."""
    form = NameForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(actor=request.user, data=form.cleaned_data)
        messages.success(request, _("お名前を登録しました。"))
        return redirect(_next_url(request))
    if request.method == "POST":
        request.user.refresh_from_db()
    return render(
        request,
        "members/name_form.html",
        {"form": form, "next": _next_url(request)},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def organisation_list(request):
    query = (request.GET.get("q") or "")[:100]
    kind = request.GET.get("kind") or ""
    if kind not in OrganisationKind.values:
        kind = ""
    page = Paginator(selectors.organisation_list(query=query, kind=kind), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "members/organisation_list.html",
        {"page": page, "q": query, "kind": kind, "kinds": OrganisationKind.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(actor=request.user, data=form.cleaned_data)
        messages.success(request, _("団体を登録しました。あなたが管理者です。"))
        return redirect(organisation)
    return render(
        request,
        "members/organisation_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def organisation_detail(request, organisation_id):
    organisation = access_organisation(organisation_id)
    user = request.user
    show_members = can_see_organisation_members(user, organisation)
    return render(
        request,
        "members/organisation_detail.html",
        {
            "organisation": organisation,
            "is_admin": is_organisation_admin(user, organisation),
            "my_membership": selectors.organisation_membership_for_user(
                user=user, organisation=organisation
            ),
            "memberships": selectors.organisation_membership_list(organisation=organisation)
            if show_members
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, organisation_id):
    organisation = access_organisation(organisation_id)
    services.require_organisation_editor(request.user, organisation)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(
            actor=request.user, organisation=organisation, data=form.cleaned_data
        )
        messages.success(request, _("団体の情報を保存しました。"))
        return redirect(organisation)
    organisation.refresh_from_db()
    return render(
        request,
        "members/organisation_form.html",
        {"form": form, "organisation": organisation},
        status=400 if request.method == "POST" else 200,
    )


def _act(request, organisation, action, success_message):
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success_message)
    return redirect(organisation)


@login_required
@require_POST
def organisation_join(request, organisation_id):
    organisation = access_organisation(organisation_id)
    return _act(
        request,
        organisation,
        lambda: services.organisation_join_request(actor=request.user, organisation=organisation),
        _("所属を申請しました。団体の管理者の承認をお待ちください。"),
    )


@login_required
@require_POST
def organisation_leave(request, organisation_id):
    organisation = access_organisation(organisation_id)
    return _act(
        request,
        organisation,
        lambda: services.organisation_leave(actor=request.user, organisation=organisation),
        _("団体の所属をやめました。"),
    )


@login_required
@require_POST
def organisation_membership_decide(request, organisation_id, membership_id):
    organisation = access_organisation(organisation_id)
    membership = access_organisation_membership(organisation, membership_id)
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        messages.error(request, _("「承認する」か「見送る」を選んでください。"))
        return redirect(organisation)
    return _act(
        request,
        organisation,
        lambda: services.organisation_membership_decide(
            actor=request.user, membership=membership, approve=decision == "approve"
        ),
        _("所属の申請を処理しました。"),
    )


@login_required
@require_POST
def organisation_member_promote(request, organisation_id, membership_id):
    organisation = access_organisation(organisation_id)
    membership = access_organisation_membership(organisation, membership_id)
    return _act(
        request,
        organisation,
        lambda: services.organisation_member_promote(actor=request.user, membership=membership),
        _("管理者にしました。"),
    )
