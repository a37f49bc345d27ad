from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from deadlines.models import MAX_OFFSET_DAYS, CoalitionReminderSettings, validate_offsets


class ReminderSettingsForm(forms.Form):
    offsets = forms.CharField(
        label=_("Remind this many days before each deadline"),
        max_length=100,
        help_text=_("Whole numbers separated by commas, for example 30, 14, 7, 3, 1. 0 is the day itself."),
    )
    remind_overdue = forms.BooleanField(
        label=CoalitionReminderSettings._meta.get_field("remind_overdue").verbose_name.capitalize(),
        help_text=CoalitionReminderSettings._meta.get_field("remind_overdue").help_text,
        required=False,
    )
    send_digest = forms.BooleanField(
        label=CoalitionReminderSettings._meta.get_field("send_digest").verbose_name.capitalize(),
        help_text=CoalitionReminderSettings._meta.get_field("send_digest").help_text,
        required=False,
    )

    def __init__(self, *args, settings: CoalitionReminderSettings, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "offsets": ", ".join(str(days) for days in sorted(settings.offsets, reverse=True)),
                "remind_overdue": settings.remind_overdue,
                "send_digest": settings.send_digest,
            },
        )
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the reminder settings")))

    def clean_offsets(self) -> list[int]:
        parts = [part.strip() for part in self.cleaned_data["offsets"].replace(";", ",").split(",")]
        parts = [part for part in parts if part]
        offsets = []
        for part in parts:
            if not part.isdigit():
                raise ValidationError(
                    _(
                        "“%(value)s” is not a whole number of days. Write numbers separated by commas, "
                        "for example 30, 14, 7."
                    )
                    % {"value": part}
                )
            offsets.append(int(part))
        if any(days > MAX_OFFSET_DAYS for days in offsets):
            raise ValidationError(
                _("A reminder can come at most %(max)s days before a deadline.") % {"max": MAX_OFFSET_DAYS}
            )
        # Repeated days are one reminder: folded rather than refused.
        offsets = sorted(set(offsets), reverse=True)
        validate_offsets(offsets)
        return offsets


class ReminderMuteForm(forms.Form):
    muted = forms.MultipleChoiceField(
        label=_("Do not send me these reminders"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, sources: list[tuple[str, str]], muted: set[str], **kwargs):
        kwargs.setdefault("initial", {"muted": sorted(muted)})
        super().__init__(*args, **kwargs)
        self.fields["muted"].choices = sources
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save my reminder choices")))
