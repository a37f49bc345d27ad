"""Forms of the lobbying log, the factsheets and the pre-session statement."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from advocacy.models import Factsheet, Meeting, Statement
from upr_portal.validators import validate_no_control_characters

FACTSHEET_THEME_LIST_ID = "factsheet-themes"
KEY_FACTS_MAX_LENGTH = Factsheet._meta.get_field("key_facts").max_length
STATEMENT_MAX_LENGTH = Statement._meta.get_field("text").max_length


class DateInput(forms.DateInput):
    input_type = "date"


class MeetingForm(forms.Form):
    state = forms.TypedChoiceField(
        label=_("State met"),
        coerce=int,
        help_text=_("Member or observer State whose embassy, mission or ministry the coalition met."),
    )
    review = forms.TypedChoiceField(label=_("Review lobbied for"), coerce=int)
    channel = forms.ChoiceField(label=_("Met through"), choices=Meeting.Channel.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    people = forms.CharField(
        label=_("People"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who took part, on both sides."),
    )
    raised = forms.TypedMultipleChoiceField(
        label=_("Recommendations raised"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The coalition's own recommendations for this review, by section."),
    )
    outcome = forms.CharField(
        label=_("Outcome"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        required=False,
        widget=DateInput,
        help_text=_("The author and the coordinators are reminded on this day, then daily until it is done."),
    )
    follow_up_done = forms.BooleanField(label=_("Follow-up done"), required=False)
    # When the meeting being edited was last saved, as the form loaded it: a save over a newer one is refused.
    loaded = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, state_choices, review_choices, raised_choices, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "---------"), *state_choices]
        self.fields["review"].choices = review_choices
        self.fields["raised"].choices = raised_choices
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", submit_label))


class MeetingFilterForm(forms.Form):
    review = forms.TypedChoiceField(label=_("Review"), coerce=int, required=False, empty_value=None)
    state = forms.TypedChoiceField(label=_("State met"), coerce=int, required=False, empty_value=None)
    follow_up_due = forms.BooleanField(label=_("Follow-up due"), required=False)

    def __init__(self, *args, review_choices, state_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].choices = [("", _("All reviews")), *review_choices]
        self.fields["state"].choices = [("", _("All States")), *state_choices]


class FactsheetStartForm(forms.Form):
    """The first step of a new factsheet: the review and theme decide what the form offers."""

    review = forms.TypedChoiceField(label=_("Review"), coerce=int)
    theme = forms.CharField(
        label=_("Theme"),
        max_length=200,
        validators=[validate_no_control_characters],
        widget=forms.TextInput(attrs={"list": FACTSHEET_THEME_LIST_ID, "autocomplete": "off"}),
        help_text=_("A cluster of the coalition or a UHRI theme of the State's previous recommendations."),
    )

    def __init__(self, *args, review_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].choices = review_choices


class FactsheetForm(forms.Form):
    theme = forms.CharField(
        label=_("Theme"),
        max_length=200,
        validators=[validate_no_control_characters],
        widget=forms.TextInput(attrs={"list": FACTSHEET_THEME_LIST_ID, "autocomplete": "off"}),
        help_text=_("A cluster of the coalition or a UHRI theme of the State's previous recommendations."),
    )
    key_facts = forms.CharField(
        label=_("Key facts"),
        max_length=KEY_FACTS_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text, at most 3,000 characters: a few figures and facts, one a line."),
    )
    previous = forms.TypedMultipleChoiceField(
        label=_("Previous recommendations"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the State was told at its earlier reviews, with its answer."),
    )
    asks = forms.TypedMultipleChoiceField(
        label=_("Our recommendations"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose two or three; those with a confirmed SMART checklist come first."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, initial=0)

    def __init__(self, *args, previous_choices, ask_choices, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["previous"].choices = previous_choices
        self.fields["asks"].choices = ask_choices
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", submit_label))


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Statement"),
        max_length=STATEMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "data-statement-text": ""}),
        help_text=_("Plain text, as it will be read out at the pre-session."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, initial=0)
