from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .text import notification_text


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
