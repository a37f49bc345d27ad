"""The form of a recommendation: its text, theme, target States and SMART ticks."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from submissions.models.recommendations import RECOMMENDATION_MAX_LENGTH, SMART_CRITERIA
from upr_portal.validators import validate_no_control_characters

THEME_LIST_ID = "recommendation-themes"


def _smart_choice_text(label, help_text) -> str:
    # One msgid, so that a language can set its own punctuation (French puts a space before the colon).
    return gettext("%(criterion)s: %(meaning)s") % {"criterion": label, "meaning": help_text}


_smart_choice = lazy(_smart_choice_text, str)


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label=_("Recommendation"),
        max_length=RECOMMENDATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text, as the coalition will ask a State to say it: one action, who takes it, by when."),
    )
    theme = forms.CharField(
        label=_("Theme"),
        max_length=200,
        required=False,
        validators=[validate_no_control_characters],
        widget=forms.TextInput(attrs={"list": THEME_LIST_ID, "autocomplete": "off"}),
        help_text=_("Choose a suggestion or type your own; the lobbying plan groups recommendations by theme."),
    )
    states = forms.TypedMultipleChoiceField(
        label=_("States to ask"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_(
            "The States the coalition will ask to make this recommendation at the review. Observer States "
            "are listed apart. Hold Ctrl (Cmd on a Mac) to choose several; type a name's first letters to jump to it."
        ),
    )
    follows_up_recommendations = forms.TypedMultipleChoiceField(
        label=_("Follows up"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "The recommendations the State was made at its earlier reviews that this one asks it to carry out "
            "(the implementation matrix shows the link). Hold Ctrl (Cmd on a Mac) to choose several."
        ),
    )
    smart = forms.MultipleChoiceField(
        label=_("SMART checklist"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(name, _smart_choice(label, help_text)) for name, label, help_text in SMART_CRITERIA],
    )

    def __init__(self, *args, state_choices, submit_label, follow_up_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["states"].choices = state_choices
        self.fields["follows_up_recommendations"].choices = list(follow_up_choices)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", submit_label))
