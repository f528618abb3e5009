from django.utils.functional import SimpleLazyObject

from .selectors import unread_count_for_user


def unread_notifications(request):
    """The bell's count, read only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count_for_user(user=user))}
