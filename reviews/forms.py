"""Forms for the UPR calendar: deadlines entered as a Geneva date and an optional time; the filters of
the recommendations search."""

import datetime

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reviews.models import (
    REVIEW_MILESTONES,
    Cycle,
    IndexTerm,
    RecommendationPosition,
    RegionalGroup,
    Review,
    Session,
    State,
    already_reviewed_message,
    by_local_name,
)
from reviews.services import geneva_deadline
from reviews.state_names import name_fields
from upr_portal.admin_labels import LabelledInlineFormSet
from upr_portal.timezones import GENEVA


class GenevaSplitDateTimeWidget(AdminSplitDateTime):
    """Shows a deadline in Geneva time, whatever time zone the admin works in."""

    def decompress(self, value):
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value, GENEVA) if timezone.is_aware(value) else value
            return [value.date(), value.time().replace(second=0, microsecond=0)]
        return [None, None]


class GenevaDeadlineField(forms.MultiValueField):
    """A deadline: a date and an optional time in Geneva time.

    Without a time it falls at 23:59; ReviewAdminForm moves it to the session's own deadline time.
    """

    widget = GenevaSplitDateTimeWidget

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _(
                "Geneva time (Europe/Zurich). Leave the time empty for the session's deadline time "
                "(23:59 in cycle 4, 12:00 before)."
            ),
        )
        fields = (
            forms.DateField(error_messages={"incomplete": _("Enter the date of the deadline.")}),
            forms.TimeField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        # The time used when none is given depends on the session, another field: the form reads this
        # flag in clean(). The form's fields are copies, so the flag belongs to one bound form.
        self.time_given = bool(data_list) and data_list[1] is not None
        if not data_list or data_list[0] is None:
            if data_list and data_list[1] is not None:
                raise ValidationError(_("Enter the date of the deadline."), code="incomplete")
            return None
        return geneva_deadline(data_list[0], at=data_list[1])


class ReviewAdminForm(forms.ModelForm):
    """A review in the admin, alone or in its session's inline.

    While "milestones from the session" is ticked the review's milestones are its session's
    (``Session.review_milestones``): an empty or unchanged milestone takes the session's value, and a
    date typed over one the session sets is refused on its field. Unticked, the typed values are the
    review's own (the UN set this review its own dates).
    """

    stakeholder_deadline = GenevaDeadlineField(required=False, label=_("stakeholder submission deadline"))
    national_report_deadline = GenevaDeadlineField(required=False, label=_("national report deadline"))

    class Meta:
        model = Review
        fields = [
            "state",
            "session",
            "order",
            "status",
            "milestones_from_session",
            *REVIEW_MILESTONES,
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The session page's inline shows the deadlines read-only: the declared fields, which Django
        # keeps whatever the admin's list of fields, would be invisible, never saved, yet validated.
        for name in ("stakeholder_deadline", "national_report_deadline"):
            if name not in self._meta.fields:
                del self.fields[name]
        session = self._session()
        if session is None or not self.instance.milestones_from_session:
            return
        for name in session.review_milestones():
            if name in self.fields:
                self.fields[name].help_text = _(
                    "Set by session %(session)s while “milestones from the session” is ticked."
                ) % {"session": session.number}

    def _session(self, cleaned_data=None):
        # In the session page's inline the session is not a field: it is the instance's parent.
        session = (cleaned_data or {}).get("session")
        if session is None and self.instance.session_id is not None:
            session = self.instance.session
        return session

    def clean(self):
        cleaned_data = super().clean()
        session = self._session(cleaned_data)
        if session is None:
            return cleaned_data
        for name in ("stakeholder_deadline", "national_report_deadline"):
            value = cleaned_data.get(name)
            if value is not None and name in self.fields and not getattr(self.fields[name], "time_given", True):
                day = timezone.localtime(value, GENEVA).date()
                cleaned_data[name] = geneva_deadline(day, session=session)
        following = cleaned_data.get("milestones_from_session", self.instance.milestones_from_session)
        if following:
            self._take_session_milestones(session, cleaned_data)
        return cleaned_data

    def _take_session_milestones(self, session, cleaned_data) -> None:
        status = cleaned_data.get("status", self.instance.status)
        newly_ticked = "milestones_from_session" in self.changed_data
        for name, value in session.review_milestones(status=status).items():
            if name not in self.fields:
                # The inline leaves the milestones out: the review takes them as the session is saved.
                setattr(self.instance, name, value)
                continue
            typed = cleaned_data.get(name)
            if name in self.changed_data and not newly_ticked and typed is not None and typed != value:
                self.add_error(
                    name,
                    ValidationError(
                        _(
                            "Session %(session)s sets this date for its reviews. Untick “milestones from the "
                            "session” to give this review its own."
                        ),
                        code="milestone_from_session",
                        params={"session": session.number},
                    ),
                )
            elif name not in self.errors:
                cleaned_data[name] = value


class ReviewInlineFormSet(LabelledInlineFormSet):
    """The reviews of a session's page: a State listed twice, or two States given one place in the
    order, are refused on the row's field, naming the State (Django's own check says only "Please
    correct the duplicate data for state")."""

    def validate_unique(self):
        states, places = set(), set()
        for form in self.forms:
            if not form.is_valid() or form in self.deleted_forms:
                continue
            state, order = form.cleaned_data.get("state"), form.cleaned_data.get("order")
            if state is not None and state.pk in states:
                if self.instance.number is not None:
                    form.add_error("state", already_reviewed_message(state=state, session=self.instance))
                else:
                    form.add_error("state", _("%(state)s is listed twice in this session.") % {"state": state})
            elif state is not None:
                states.add(state.pk)
            if order is not None and order in places and "order" in form.fields:
                form.add_error("order", _("Another State already has this place in the session's order."))
            elif order is not None:
                places.add(order)
        super().validate_unique()


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # "Theme: Right to health", "Affected persons: children": the vocabulary holds both kinds.
        return _("%(kind)s: %(name)s") % {"kind": obj.get_kind_display(), "name": obj.name}


class RecommendationSearchForm(forms.Form):
    """The filters of the recommendations search (a GET form): every one optional, all combined."""

    q = forms.CharField(
        label=_("Words in the recommendation"),
        required=False,
        max_length=200,
        help_text=_("Use quotes for a phrase, “or” between alternatives and a minus sign to leave a word out."),
    )
    state = forms.ModelChoiceField(
        label=_("State under review"),
        queryset=State.objects.filter(status=State.Status.MEMBER),
        required=False,
        empty_label=_("Any State"),
    )
    recommending_state = forms.ModelChoiceField(
        label=_("Recommending State"),
        queryset=State.objects.all(),
        required=False,
        empty_label=_("Any State"),
    )
    regional_group = forms.ModelChoiceField(
        label=_("Regional group of the recommending State"),
        queryset=RegionalGroup.objects.all(),
        required=False,
        empty_label=_("Any group"),
    )
    term = TermChoiceField(
        label=_("Theme or affected persons"),
        queryset=IndexTerm.objects.all(),
        required=False,
        empty_label=_("Any theme or group of persons"),
    )
    position = forms.ChoiceField(
        label=_("Position of the State under review"),
        choices=[("", _("Any position")), *RecommendationPosition.choices],
        required=False,
    )
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=Cycle.objects.all(), required=False, empty_label=_("Any cycle")
    )
    session = forms.ModelChoiceField(
        label=_("Session"),
        queryset=Session.objects.order_by("-number").only("pk", "number"),
        required=False,
        empty_label=_("Any session"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The States in the page's language, sorted by it: set per form, as the language is the request's.
        for name in ("state", "recommending_state"):
            field = self.fields[name]
            field.queryset = field.queryset.only("pk", *name_fields()).order_by(by_local_name())

    def filters(self) -> dict:
        """The valid filters, as ``reviews.selectors.recommendation_search`` takes them; a value that
        is not valid (a State that no longer exists) is left out and said on its field."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        filters = {
            name: data.get(name)
            for name in ("state", "recommending_state", "regional_group", "term", "cycle", "session")
        }
        filters = {name: value for name, value in filters.items() if value is not None}
        if data.get("position"):
            filters["position"] = data["position"]
        if data.get("q"):
            filters["text"] = data["q"]
        return filters
