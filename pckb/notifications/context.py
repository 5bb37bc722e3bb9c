"""Template context: the unread count shown beside the bell in the page header (one indexed COUNT, only
evaluated when a page actually prints it)."""

from django.utils.functional import SimpleLazyObject

from pckb.notifications.selectors import unread_count


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user=user))}
