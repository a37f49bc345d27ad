"""Moving a review to another session from the admin: one action, one intermediate page.

The admin picks the target session (of the same cycle, in UN order, with its dates) and what happens
to the milestones, sees which coalitions and submissions depend on the review and its milestones
before and after, then confirms. The move itself is ``reviews.services.review_move``; the people
working on the review are told by the app above that knows them (``reviews.signals.review_moved``).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from reviews.models import REVIEW_MILESTONES, Review, Session
from reviews.services.calendar import (
    MILESTONES_SESSION,
    MILESTONES_SHIFT,
    default_milestones_mode,
    moved_milestones,
    review_move,
)
from upr_portal.templatetags.geneva_time import geneva_text

ACTION_NAME = "move_to_another_session"
PREVIEW = "move_preview"
CONFIRM = "move_confirm"
# The choice the page previewed: a confirmation of another choice is previewed first, not applied.
PREVIEWED = "move_previewed"


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session):
        if session.wg_start and session.wg_end:
            dates = _("%(start)s to %(end)s") % {
                "start": geneva_text(session.wg_start),
                "end": geneva_text(session.wg_end),
            }
        else:
            dates = _("dates not announced")
        if session.dates_provisional:
            return _("Session %(number)s – %(dates)s (provisional)") % {"number": session.number, "dates": dates}
        return _("Session %(number)s – %(dates)s") % {"number": session.number, "dates": dates}


class ReviewMoveForm(forms.Form):
    session = SessionChoiceField(
        queryset=Session.objects.none(),
        label=gettext_lazy("Move to session"),
        help_text=gettext_lazy("The sessions of the same cycle, in order."),
    )
    milestones = forms.ChoiceField(
        label=gettext_lazy("Milestones"),
        choices=[
            (
                MILESTONES_SHIFT,
                gettext_lazy("Shift them with the session (by the difference between the sessions' opening days)"),
            ),
            (MILESTONES_SESSION, gettext_lazy("Take the new session's milestones")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, review: Review, **kwargs):
        kwargs.setdefault("prefix", "move")
        super().__init__(*args, **kwargs)
        self.review = review
        self.fields["session"].queryset = (
            Session.objects.filter(cycle_id=review.session.cycle_id).exclude(pk=review.session_id).order_by("number")
        )
        self.fields["milestones"].initial = default_milestones_mode(review)

    def choice(self) -> str:
        return f"{self.cleaned_data['session'].pk}:{self.cleaned_data['milestones']}"

    def add_move_errors(self, error: ValidationError) -> None:
        """The service's refusal on the field it concerns: a State already reviewed there on the session,
        a milestone that would not fit on the milestones, anything else above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.message_dict.items():
            if name in ("state", "session", "order", NON_FIELD_ERRORS):
                self.add_error("session", errors)
            elif name == "milestones":
                self.add_error("milestones", errors)
            elif name in REVIEW_MILESTONES:
                label = Review._meta.get_field(name).verbose_name
                self.add_error(
                    "milestones", [_("%(field)s: %(error)s") % {"field": label, "error": message} for message in errors]
                )
            else:
                self.add_error(None, errors)


def milestone_rows(review: Review, after: dict | None) -> list[tuple[str, object, object]]:
    """(label, before, after) for every milestone; after is None until a session is chosen."""
    return [
        (
            Review._meta.get_field(name).verbose_name,
            getattr(review, name),
            after.get(name) if after is not None else None,
        )
        for name in REVIEW_MILESTONES
    ]


def _dependants(review: Review) -> tuple[list, list]:
    # Through the reverse accessors: reviews sits below coalitions and submissions and imports neither.
    coalitions = list(
        review.coalitions.annotate(
            active_members=Count(
                "memberships",
                filter=Q(memberships__is_active=True, memberships__user__is_active=True),
                distinct=True,
            )
        ).order_by("name")
    )
    submissions = list(review.submissions.select_related("coalition").order_by("coalition__name", "title"))
    return coalitions, submissions


@admin.action(description=gettext_lazy("Move to another session…"), permissions=["change"])
def move_to_another_session(modeladmin, request, queryset):
    reviews = list(queryset.select_related("state", "session__cycle")[:2])
    if len(reviews) != 1:
        modeladmin.message_user(request, _("Select one review to move it to another session."), messages.WARNING)
        return None
    review = reviews[0]
    submitted = PREVIEW in request.POST or CONFIRM in request.POST
    form = ReviewMoveForm(request.POST if submitted else None, review=review)
    after = None
    if submitted and form.is_valid():
        session, mode = form.cleaned_data["session"], form.cleaned_data["milestones"]
        try:
            after = moved_milestones(review=review, session=session, milestones=mode)
        except ValidationError as error:
            form.add_move_errors(error)
        if after is not None and CONFIRM in request.POST and request.POST.get(PREVIEWED) == form.choice():
            told = []
            old_session = review.session
            try:
                moved = review_move(
                    review=review, session=session, actor=request.user, milestones=mode, on_announced=told.append
                )
            except ValidationError as error:
                form.add_move_errors(error)
                after = None
            else:
                modeladmin.log_change(
                    request,
                    moved,
                    _("Moved from session %(old)s to session %(new)s.")
                    % {"old": old_session.number, "new": session.number},
                )
                modeladmin.message_user(request, _moved_message(moved, old_session, told), messages.SUCCESS)
                return None
    coalitions, submissions = _dependants(review)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Move the review of %(state)s to another session") % {"state": review.state},
        "subtitle": None,
        "opts": modeladmin.model._meta,
        "review": review,
        "form": form,
        "coalitions": coalitions,
        "submissions": submissions,
        "milestones": milestone_rows(review, after),
        "previewed": form.choice() if after is not None else "",
        "action_name": ACTION_NAME,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "preview_name": PREVIEW,
        "confirm_name": CONFIRM,
        "previewed_name": PREVIEWED,
    }
    return TemplateResponse(request, "admin/reviews/review/move.html", context)


def _moved_message(review: Review, old_session: Session, told: list[int]) -> str:
    values = {"state": review.state, "old": old_session.number, "new": review.session.number}
    if not told:
        # Still inside a transaction of the caller's: the people are told once it commits.
        return (
            _(
                "%(state)s moved from session %(old)s to session %(new)s. The members of the coalitions "
                "working on it will be told."
            )
            % values
        )
    count = sum(told)
    return ngettext(
        "%(state)s moved from session %(old)s to session %(new)s. %(count)d person working on it was told.",
        "%(state)s moved from session %(old)s to session %(new)s. %(count)d people working on it were told.",
        count,
    ) % {**values, "count": count}


class RescheduledFilter(admin.SimpleListFilter):
    title = gettext_lazy("rescheduled")
    parameter_name = "rescheduled"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("Moved from another session")), ("no", gettext_lazy("Not moved"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(rescheduled_from__isnull=False)
        if self.value() == "no":
            return queryset.filter(rescheduled_from__isnull=True)
        return queryset


@admin.display(description=gettext_lazy("rescheduled"), ordering="rescheduled_at")
def rescheduled(review: Review):
    if review.rescheduled_from_id is None:
        return None
    return _("Rescheduled (from session %(number)s)") % {"number": review.rescheduled_from.number}
