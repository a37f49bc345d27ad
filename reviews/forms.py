"""Forms for the UPR calendar: deadlines entered as a Geneva date and an optional time."""

import datetime

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reviews.models import GENEVA, Review
from reviews.services import geneva_deadline


class GenevaSplitDateTimeWidget(AdminSplitDateTime):
    """Shows a deadline in Geneva time, whatever time zone the admin works in."""

    def decompress(self, value):
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value, GENEVA) if timezone.is_aware(value) else value
            return [value.date(), value.time().replace(second=0, microsecond=0)]
        return [None, None]


class GenevaDeadlineField(forms.MultiValueField):
    """A deadline: a date and an optional time in Geneva time, 23:59 when the time is left empty."""

    widget = GenevaSplitDateTimeWidget

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("Geneva time (Europe/Zurich). Leave the time empty for 23:59, as OHCHR sets it.")
        )
        fields = (
            forms.DateField(error_messages={"incomplete": _("Enter the date of the deadline.")}),
            forms.TimeField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
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
            "note",
        ]
