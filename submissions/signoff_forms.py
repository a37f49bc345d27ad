"""The forms of the sign-off page: an organisation's decline, and a coordinator's choice of the
person who answers for an organisation."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from upr_portal.validators import validate_no_control_characters


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does your organisation decline?"),
        help_text=_("The coordinators and the other members read it on the sign-off page."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        validators=[validate_no_control_characters],
        error_messages={"required": _("Say why your organisation declines: the coordinators need to know.")},
    )


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class DesignatedPersonForm(forms.Form):
    person = PersonField(
        label=_("Who answers for the organisation"),
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the organisation's members in this coalition.")},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Designate this person")))
