"""Forms for the UPR calendar: deadlines entered as a Geneva date and an optional time."""

import datetime

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reviews.models import Review
from reviews.services import geneva_deadline
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
    stakeholder_deadline = GenevaDeadlineField(required=False, label=_("stakeholder submission deadline"))
    national_report_deadline = GenevaDeadlineField(required=False, label=_("national report deadline"))

    class Meta:
        model = Review
        fields = [
            "state",
            "session",
            "submission_window_opens",
            "stakeholder_deadline",
            "national_report_deadline",
            "pre_session",
            "review_date",
            "adoption_date",
            "mid_term_report_due",
            "status",
            "note",
        ]

    def clean(self):
        cleaned_data = super().clean()
        # In the session page's inline the session is not a field: it is the instance's parent.
        session = cleaned_data.get("session") or getattr(self.instance, "session", None)
        if session is not None:
            for name in ("stakeholder_deadline", "national_report_deadline"):
                value = cleaned_data.get(name)
                if value is not None and name in self.fields and not getattr(self.fields[name], "time_given", True):
                    day = timezone.localtime(value, GENEVA).date()
                    cleaned_data[name] = geneva_deadline(day, session=session)
        return cleaned_data
