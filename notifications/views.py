"""The list behind the bell: a person's own notifications, marked read one by one or all at once."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from notifications import selectors, services

PAGE_SIZE = 20


def _own_notification_or_404(request, pk: int):
    # Another person's notification answers as a missing one: nobody learns which ids exist.
    return get_object_or_404(selectors.notifications_for_user(user=request.user), pk=pk)


def _back_to_list(request) -> str:
    """The list page the form was sent from (only its page number travels)."""
    url = reverse("notifications:list")
    page = request.POST.get("page", "")
    return f"{url}?page={page}" if page.isdigit() and page != "1" else url


def _local_hosts(request) -> set[str]:
    # Notifications built for emails may carry absolute links on SITE_URL: the portal's own host too.
    return {request.get_host(), urlsplit(settings.SITE_URL).netloc}


@login_required
@require_GET
def notification_list(request):
    paginator = Paginator(selectors.notifications_for_user(user=request.user), PAGE_SIZE)
    return render(
        request, "notifications/notification_list.html", {"page": paginator.get_page(request.GET.get("page"))}
    )


@login_required
@require_POST
def notification_mark_read(request, pk: int):
    notification = _own_notification_or_404(request, pk)
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    messages.success(request, _("“%(title)s” is marked as read.") % {"title": notification.title})
    return redirect(_back_to_list(request))


@login_required
@require_POST
def notification_mark_all_read(request):
    marked = services.notifications_mark_read(user=request.user)
    if marked:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect(_back_to_list(request))


@login_required
@require_POST
def notification_open(request, pk: int):
    """Marks the notification read and follows its link, if the link stays in the portal."""
    notification = _own_notification_or_404(request, pk)
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts=_local_hosts(request), require_https=request.is_secure()
    ):
        return HttpResponseRedirect(notification.url)
    if notification.url:
        messages.warning(request, _("The link of this notification leads outside the portal, so it was not opened."))
    return redirect(_back_to_list(request))
