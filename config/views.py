"""Error pages rendered in the site layout, in the user's language; the icon that
browsers and feed readers ask for at /favicon.ico."""

from django.shortcuts import redirect, render
from django.templatetags.static import static


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    return render(request, "errors/403.html", {"message": message}, status=403)


def favicon(request):
    return redirect(static("icons/hub.svg"), permanent=True)
