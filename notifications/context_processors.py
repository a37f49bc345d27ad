import functools

from notifications.selectors import unread_count
from upr_portal.freshness import remember


def unread_notifications(request) -> dict:
    """The number on the bell (templates/base.html).

    Counted lazily: templates call the function, so a page that shows no bell (a fragment, an error
    page for a visitor) costs no query, and the cache makes every mention on one page the same one
    COUNT, remembered until the database changes. Anonymous visitors cost none.
    """

    @functools.cache
    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return remember("unread-notifications", [user.pk], lambda: unread_count(user=user))

    return {"unread_notification_count": count}
