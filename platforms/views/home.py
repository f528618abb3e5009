"""The front door: what the hub is, for someone who has never heard of it; a
signed-in person goes straight to their own page."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .. import selectors

RECRUITING_SHOWN = 3


@require_GET
def home(request):
    if request.user.is_authenticated:
        return redirect("platforms:dashboard")
    recruiting = selectors.platform_list_recruiting()[:RECRUITING_SHOWN]
    return render(request, "platforms/home.html", {"recruiting": recruiting})
