"""The flow every form page shares, whatever the app: a service's refusal put on the
form, and GET-shows / POST-acts / 400-with-the-messages; and a refusal of a plain
button (no form to show it on) said as a message on the page it came from."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render


def add_service_error(form, error: ValidationError) -> None:
    """Puts a service's refusal on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_page(request, form, *, act, success, template, context, next_url=None, extra_valid=True):
    """The shape every form page shares: GET shows the form; a valid POST calls
    `act(cleaned_data)` (a service call), says `success` (text, or a function of what
    act returned) and goes to `next_url` or to what act returned; bad input or a
    service's ValidationError re-renders the form with 400 and the messages on their
    fields (PermissionDenied is the 403 page with the service's words)."""
    if request.method == "POST" and form.is_valid() and extra_valid:
        try:
            result = act(form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(next_url or result)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form} | context, status=status)


def refused(request, error: ValidationError, to):
    for message in error.messages:
        messages.error(request, message)
    return redirect(to)


class CountedPaginator(Paginator):
    """A paginator told its count (a page whose facets have counted the results
    already), so it does not count them again."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count
