from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from coalitions.access import get_visible_or_404, require
from coalitions.models import Coalition
from deadlines import feeds
from deadlines import services as reminders
from deadlines.forms import ReminderMuteForm, ReminderSettingsForm
from deadlines.providers import all_providers
from deadlines.selectors import deadlines_for_coalition, muted_providers, reminder_settings_for
from deadlines.timeline import timeline_months

# Coalition timeline and calendar feeds (issue 7, point 4).


@login_required
@require_GET
def coalition_timeline(request, pk: int):
    coalition = get_visible_or_404(
        request.user, "coalitions.view_coalition", Coalition.objects.select_related("secretariat"), pk=pk
    )
    deadlines = deadlines_for_coalition(coalition=coalition)
    return render(
        request,
        "deadlines/timeline.html",
        {
            "coalition": coalition,
            "months": timeline_months(deadlines, now=timezone.now()),
            "has_deadlines": bool(deadlines),
        },
    )


@login_required
@require_GET
def calendar_feed_page(request):
    feed = feeds.calendar_feed_get_or_create(user=request.user)
    return render(
        request,
        "deadlines/calendar_feed.html",
        {"feed": feed, "https_url": feeds.feed_url(feed), "webcal_url": feeds.webcal_url(feed)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feed_regenerate(request):
    if request.method == "POST":
        feeds.calendar_feed_regenerate(user=request.user)
        messages.success(
            request,
            _("Your calendar feed has a new address. Subscribe your calendar to it: the old one no longer works."),
        )
        return redirect("deadlines:calendar")
    return render(
        request,
        "confirm.html",
        {
            "title": _("Regenerate the address of your calendar feed?"),
            "explanation": _(
                "The current address stops working at once: calendars subscribed to it stop receiving "
                "deadlines until you subscribe them to the new address. Do this if the address was shared "
                "with someone who should not have it."
            ),
            "confirm_label": _("Regenerate the address"),
            "cancel_url": reverse("deadlines:calendar"),
        },
    )


@require_safe
def calendar_feed(request, token: str):
    # No sign-in: calendar apps cannot sign in, so the secret in the address is the credential. The
    # view never reads the session, so the response sets no cookie.
    feed = feeds.calendar_feed_by_token(token=token)
    if feed is None:
        raise Http404
    response = HttpResponse(feeds.calendar_build(user=feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="upr-deadlines.ics"'
    response["X-Robots-Tag"] = "noindex"
    # The address is a secret and the content personal: no shared cache may keep it.
    patch_cache_control(response, private=True, max_age=900)
    return response


# Reminder settings of a coalition and a person's muted reminders (issue 7, point 2).


@login_required
@require_http_methods(["GET", "POST"])
def coalition_reminders(request, pk: int):
    coalition = get_visible_or_404(
        request.user, "coalitions.view_coalition", Coalition.objects.select_related("secretariat"), pk=pk
    )
    require(request.user, "deadlines.change_reminder_settings", coalition)
    current = reminder_settings_for(coalition=coalition)
    form = ReminderSettingsForm(request.POST or None, settings=current)
    if request.method == "POST" and form.is_valid():
        reminders.reminder_settings_update(coalition=coalition, **form.cleaned_data)
        messages.success(request, _("The reminder settings are saved."))
        return redirect("deadlines:coalition_reminders", pk=coalition.pk)
    return render(request, "deadlines/coalition_reminders.html", {"coalition": coalition, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def my_reminders(request):
    sources = reminders.mutable_sources()
    form = ReminderMuteForm(request.POST or None, sources=sources, muted=muted_providers(user=request.user))
    if request.method == "POST" and form.is_valid():
        reminders.reminder_mutes_set(user=request.user, muted=set(form.cleaned_data["muted"]))
        messages.success(request, _("Your reminder choices are saved."))
        return redirect("deadlines:my_reminders")
    return render(
        request,
        "deadlines/my_reminders.html",
        {"form": form, "not_mutable": [p for p in all_providers() if not p.mutable]},
    )
