"""The lobbying log: the coalition's meetings with States' embassies and missions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from advocacy import lobbying_selectors as selectors
from advocacy.lobbying_forms import MeetingFilterForm, MeetingForm
from advocacy.models import Meeting
from advocacy.services import lobbying as services
from coalitions.rules import can
from coalitions.selectors import coalition_reviews
from coalitions.views.coalitions import coalition_for
from reviews.models import State
from submissions.recommendation_selectors import state_choices
from upr_portal.timezones import geneva_today


def _log_url(coalition) -> str:
    return reverse("advocacy:lobbying", args=[coalition.pk])


def _meeting_for(request, pk: int, meeting_pk: int, rule: str):
    coalition = coalition_for(request, pk, rule)
    meeting = Meeting.objects.filter(coalition=coalition, pk=meeting_pk).select_related("state", "review").first()
    if meeting is None:
        raise Http404
    return coalition, meeting


@login_required
@require_GET
def lobbying_log(request, pk: int):
    coalition = coalition_for(request, pk, "advocacy.view_lobbying_log")
    reviews = list(coalition_reviews(coalition=coalition))
    states = selectors.states_met(coalition=coalition)
    filters = MeetingFilterForm(
        request.GET or None,
        review_choices=[(r.pk, str(r)) for r in reviews],
        state_choices=[(s.pk, s.local_name) for s in states],
    )
    chosen = filters.cleaned_data if filters.is_valid() else {}
    today = geneva_today()
    meetings = list(
        selectors.meetings_of(
            coalition=coalition,
            review_id=chosen.get("review"),
            state_id=chosen.get("state"),
            follow_up_due=bool(chosen.get("follow_up_due")),
            today=today,
        )
    )
    return render(
        request,
        "advocacy/lobbying_log.html",
        {
            "coalition": coalition,
            "filters": filters,
            "meetings": meetings,
            "asked_of": selectors.asked_of_states(meetings),
            "today": today,
            "filtered": bool(chosen and any(chosen.values())),
            "can_change": can(request.user, "advocacy.change_lobbying_log", coalition),
        },
    )


def _form(request, coalition, *, initial=None, submit_label):
    reviews = list(coalition_reviews(coalition=coalition))
    return MeetingForm(
        request.POST or None,
        initial=initial,
        state_choices=state_choices(),
        review_choices=[(r.pk, str(r)) for r in reviews],
        raised_choices=selectors.raised_choices(coalition=coalition),
        submit_label=submit_label,
    )


def _fields(form: MeetingForm, coalition) -> dict:
    data = dict(form.cleaned_data)
    data["review"] = coalition_reviews(coalition=coalition).get(pk=data["review"])
    data["state"] = State.objects.get(pk=data["state"])
    return data


def _form_page(request, coalition, form, meeting=None):
    return render(request, "advocacy/meeting_form.html", {"coalition": coalition, "form": form, "meeting": meeting})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_add(request, pk: int):
    coalition = coalition_for(request, pk, "advocacy.change_lobbying_log")
    initial = {"held_on": geneva_today()}
    reviews = list(coalition_reviews(coalition=coalition, upcoming=True)[:1])
    if reviews:
        initial["review"] = reviews[0].pk
    form = _form(request, coalition, initial=initial, submit_label=_("Log the meeting"))
    if request.method == "POST" and form.is_valid():
        try:
            fields = _fields(form, coalition)
            fields.pop("loaded")  # a new meeting has no earlier save
            meeting = services.meeting_create(coalition=coalition, actor=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The meeting with %(state)s on %(date)s is logged.")
                % {"state": meeting.state.local_name, "date": formats.date_format(meeting.held_on)},
            )
            return redirect(_log_url(coalition))
    return _form_page(request, coalition, form)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int, meeting_pk: int):
    coalition, meeting = _meeting_for(request, pk, meeting_pk, "advocacy.change_lobbying_log")
    initial = {
        "state": meeting.state_id,
        "review": meeting.review_id,
        "channel": meeting.channel,
        "held_on": meeting.held_on,
        "people": meeting.people,
        "raised": list(meeting.raised.values_list("pk", flat=True)),
        "outcome": meeting.outcome,
        "follow_up_on": meeting.follow_up_on,
        "follow_up_done": meeting.follow_up_done,
        "loaded": services.saved_at(meeting),
    }
    form = _form(request, coalition, initial=initial, submit_label=_("Save"))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, actor=request.user, **_fields(form, coalition))
        except services.StaleMeeting as stale:
            form.add_error(None, stale)
            # The person has now seen the newer save: a second press keeps their text.
            form.data = form.data.copy()
            form.data["loaded"] = services.saved_at(stale.current)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting with %(state)s is saved.") % {"state": meeting.state.local_name})
            return redirect(_log_url(coalition))
    return _form_page(request, coalition, form, meeting)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_delete(request, pk: int, meeting_pk: int):
    coalition, meeting = _meeting_for(request, pk, meeting_pk, "advocacy.change_lobbying_log")
    if request.method == "POST":
        services.meeting_delete(meeting=meeting, actor=request.user)
        messages.success(request, _("The meeting with %(state)s is deleted.") % {"state": meeting.state.local_name})
        return redirect(_log_url(coalition))
    return render(
        request,
        "confirm.html",
        {
            "coalition": coalition,
            "title": _("Delete the meeting with %(state)s?") % {"state": meeting.state.local_name},
            "explanation": _(
                "The meeting of %(date)s is deleted with its notes, the recommendations raised and its "
                "follow-up reminder. This cannot be undone."
            )
            % {"date": formats.date_format(meeting.held_on)},
            "confirm_label": _("Delete"),
            "cancel_url": _log_url(coalition),
        },
    )
