import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import preferences, selectors, services
from .forms import PreferencesForm, email_field, push_field, push_from, push_value
from .text import notification_text
from .vapid import application_server_key


@login_required
@require_GET
def notification_list(request):
    page = Paginator(selectors.notification_list_for_user(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    items = [(n, notification_text(n)) for n in page]
    return render(request, "notifications/notification_list.html", {"page": page, "items": items})


@login_required
@require_POST
def notification_open(request, notification_id):
    """Marks one read and goes to what it is about."""
    notification = services.notification_mark_read(
        user=request.user, notification_id=notification_id
    )
    if notification is None:
        return redirect("notifications:notification-list")
    safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()})
    return redirect(
        notification.url if notification.url and safe else "notifications:notification-list"
    )


@login_required
@require_POST
def notification_read_all(request):
    services.notification_mark_all_read(user=request.user)
    return redirect("notifications:notification-list")


@login_required
def preferences_edit(request):
    """Per kind: email and push; the digest time, quiet hours and language; the
    devices that receive push."""
    table = preferences.table_for(request.user)
    user_settings = preferences.settings_for(request.user)
    initial = {
        "email_all": user_settings.email_all,
        "push_all": push_value(user_settings.push_all),
        "language": user_settings.language,
        "digest_hour": user_settings.digest_hour,
        "quiet_start_hour": user_settings.quiet_start_hour,
        "quiet_end_hour": user_settings.quiet_end_hour,
    }
    for kind, (email, push) in table.items():
        initial[email_field(kind)] = email
        initial[push_field(kind)] = push_value(push)
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.preferences_save(
            user=request.user,
            email_all=data["email_all"],
            push_all=push_from(data["push_all"]),
            choices={
                key: (data.get(email_field(key), ""), push_from(data[push_field(key)]))
                for key in table
            },
            language=data["language"],
            digest_hour=data["digest_hour"],
            quiet=(data["quiet_start_hour"], data["quiet_end_hour"]),
        )
        messages.success(request, _("通知の設定を保存しました。"))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "devices": selectors.push_devices_for_user(user=request.user),
            "has_exceptions": any(email or push is not None for email, push in table.values()),
            "application_server_key": application_server_key(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def push_subscription_add(request):
    """The browser's PushSubscription as JSON ({endpoint, keys: {p256dh, auth}})."""
    try:
        body = json.loads(request.body or b"{}")
        keys = body.get("keys") or {}
        endpoint, p256dh, auth = body.get("endpoint"), keys.get("p256dh"), keys.get("auth")
    except (ValueError, AttributeError):
        return JsonResponse({"error": _("送られてきた内容を読み取れませんでした。")}, status=400)
    try:
        subscription = services.push_subscribe(
            user=request.user,
            endpoint=endpoint,
            p256dh=p256dh,
            auth=auth,
            label=device_label(request.headers.get("User-Agent", "")),
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"id": subscription.pk, "label": subscription.label}, status=201)


@login_required
@require_POST
def push_subscription_remove(request, subscription_id):
    if services.push_unsubscribe(user=request.user, subscription_id=subscription_id):
        messages.success(request, _("この端末にはプッシュ通知を送らなくなりました。"))
    else:
        messages.error(request, _("この端末は見つかりませんでした。"))
    return redirect("notifications:preferences")


@require_GET
def service_worker(request):
    """Served from the site's root so that it may control every page."""
    response = render(request, "notifications/sw.js", content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response


BROWSERS = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def device_label(user_agent: str) -> str:
    """ "Chrome / Android": enough for a person to tell their devices apart."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in SYSTEMS if mark in user_agent), "")
    return " / ".join(part for part in (browser, system) if part) or _("ブラウザ")
