import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from coalitions.models import Cluster, Coalition
from coalitions.selectors import current_member_organisations
from reviews.models import Review
from submissions.models import Section, Submission
from submissions.models.core import SECTION_MILESTONES
from submissions.services.schedule import MILESTONE_NAMES, MilestoneRule, milestone_problems
from submissions.widgets import SectionTextWidget
from upr_portal.validators import validate_no_control_characters

DEFAULT_SECTIONS = _(
    "Introduction and methodology\n"
    "Follow-up to the previous review\n"
    "Torture and conditions of detention\n"
    "Trafficking in human beings\n"
    "Rights of the child\n"
    "Recommendations"
)


class SubmissionCreateForm(forms.ModelForm):
    review = forms.ModelChoiceField(label=_("Review"), queryset=Review.objects.none())
    section_titles = forms.CharField(
        label=_("Sections"),
        widget=forms.Textarea(attrs={"rows": 7}),
        initial=DEFAULT_SECTIONS,
        required=False,
        help_text=_("One section title per line. You can add, rename and reorder sections later."),
    )

    class Meta:
        model = Submission
        fields = ["review", "kind", "cluster", "title", "language", "keywords"]

    def __init__(self, *args, coalition: Coalition, **kwargs):
        super().__init__(*args, **kwargs)
        # The upcoming ones: a submission is written for a review whose session is still to come.
        self.fields["review"].queryset = coalition.reviews.upcoming().select_related("state", "session").in_date_order()
        self.fields["cluster"].queryset = Cluster.objects.filter(coalition=coalition).order_by("name")
        self.fields["cluster"].empty_label = _("None: the coalition's own joint submission")
        # A mid-term report is started after the review, seeded from the implementation matrix
        # (advocacy/services/mid_term.py), not here for an upcoming review.
        self.fields["kind"].choices = [
            (value, label) for value, label in self.fields["kind"].choices if value != Submission.Kind.MID_TERM
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Start the submission")))

    def clean_section_titles(self):
        titles = [line.strip() for line in self.cleaned_data["section_titles"].splitlines() if line.strip()]
        for title in titles:
            validate_no_control_characters(title)
        return titles


class SubmissionEditForm(forms.ModelForm):
    class Meta:
        model = Submission
        fields = ["title", "cluster", "language", "keywords", "executive_summary"]
        widgets = {"executive_summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A cluster's own joint submission (its default signatories are the cluster's organisations).
        clusters = Cluster.objects.filter(coalition_id=self.instance.coalition_id)
        self.fields["cluster"].queryset = clusters.order_by("name")
        self.fields["cluster"].empty_label = _("None: the coalition's own joint submission")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))


class MilestoneInput(forms.DateTimeInput):
    """Day first, as the portal's input formats read it (upr_portal/formats)."""

    input_type = "text"

    def __init__(self, attrs=None):
        attrs = {"placeholder": "25/03/2027 17:00", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs=attrs, format="%d/%m/%Y %H:%M")


MILESTONE_HELP = _("Day first, then the time, in your time zone (Geneva time): 25/03/2027 17:00.")


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class SectionSettingsForm(forms.ModelForm):
    assigned_people = PersonChoiceField(
        label=_("People"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Section
        fields = [
            "title",
            "cluster",
            "word_budget",
            "lead_organisation",
            "assigned_organisations",
            "assigned_people",
            *MILESTONE_NAMES,
        ]
        widgets = {
            "assigned_organisations": forms.CheckboxSelectMultiple,
            **dict.fromkeys(MILESTONE_NAMES, MilestoneInput),
        }
        labels = {"assigned_organisations": _("Contributing organisations")}
        help_texts = {
            "word_budget": _("The words this section may use. The budgets of all sections must fit in the limit."),
            "lead_organisation": _("The organisation that holds the pen; its drafters are reminded of the milestones."),
            "assigned_organisations": _("Drafters of these organisations may edit the section."),
            **dict.fromkeys(MILESTONE_NAMES, MILESTONE_HELP),
        }

    def __init__(self, *args, coalition: Coalition, un_deadline=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The review's UN stakeholder deadline: no milestone may fall after it.
        self.un_deadline = un_deadline
        self.fields["cluster"].queryset = Cluster.objects.filter(coalition=coalition).order_by("name")
        self.fields["lead_organisation"].queryset = current_member_organisations(coalition=coalition)
        self.fields["assigned_organisations"].queryset = current_member_organisations(coalition=coalition)
        self.fields["assigned_organisations"].required = False
        self.fields["assigned_people"].queryset = User.objects.filter(
            coalition_memberships__coalition=coalition, coalition_memberships__is_active=True
        ).order_by("full_name", "email")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the section")))

    def clean(self):
        data = super().clean()
        problems = milestone_problems(
            {name: data.get(name) for name in MILESTONE_NAMES if name not in self.errors}, un_deadline=self.un_deadline
        )
        for name, problem in problems.items():
            self.add_error(name, problem)
        return data

    @property
    def milestones(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in MILESTONE_NAMES}


class ScheduleForm(forms.Form):
    """The milestones of many sections at once, counted back from the review's UN stakeholder deadline.

    For each milestone: a number of weeks or days before the deadline's Geneva day and a Geneva time of
    day; a milestone left without a number is kept as it is. ``rules`` is the list of MilestoneRule.
    """

    WEEKS, DAYS = "weeks", "days"
    UNITS = [(WEEKS, _("weeks before")), (DAYS, _("days before"))]
    INITIAL_WEEKS = {"first_draft_due": 10, "review_due": 6, "final_due": 3}

    sections = forms.ModelMultipleChoiceField(
        label=_("Sections to schedule"), queryset=Section.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    lead_organisation = forms.ModelChoiceField(
        label=_("Same lead organisation for all of them"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to keep each section's lead organisation."),
    )

    def __init__(self, *args, submission: Submission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].queryset = submission.sections.order_by("position", "pk")
        self.fields["sections"].initial = list(self.fields["sections"].queryset.values_list("pk", flat=True))
        self.fields["lead_organisation"].queryset = current_member_organisations(coalition=submission.coalition)
        for name, label in SECTION_MILESTONES:
            self.fields[f"{name}_amount"] = forms.IntegerField(
                label=_("%(milestone)s: how long before the UN deadline") % {"milestone": label},
                min_value=0,
                max_value=365,
                required=False,
                initial=self.INITIAL_WEEKS[name],
                help_text=_("Leave empty to keep this milestone as it is."),
            )
            self.fields[f"{name}_unit"] = forms.ChoiceField(
                label=_("%(milestone)s: weeks or days") % {"milestone": label}, choices=self.UNITS, initial=self.WEEKS
            )
            self.fields[f"{name}_time"] = forms.TimeField(
                label=_("%(milestone)s: time of day (Geneva time)") % {"milestone": label},
                initial=datetime.time(17, 0),
                widget=forms.TimeInput(format="%H:%M"),
            )
        self.order_fields(
            [f"{name}_{part}" for name in MILESTONE_NAMES for part in ("amount", "unit", "time")]
            + ["sections", "lead_organisation"]
        )

    def clean(self):
        data = super().clean()
        rules = []
        for name in MILESTONE_NAMES:
            amount = data.get(f"{name}_amount")
            if amount is None or data.get(f"{name}_time") is None:
                continue
            days = amount * 7 if data.get(f"{name}_unit") == self.WEEKS else amount
            rules.append(MilestoneRule(name=name, days_before=days, at=data[f"{name}_time"]))
        if not rules and not self.errors:
            raise forms.ValidationError(_("Give at least one milestone a number of weeks or days."))
        data["rules"] = rules
        return data


class SectionEditForm(forms.Form):
    """The editor's form. Without JavaScript it still saves, with the same version check."""

    title = forms.CharField(label=_("Section title"), max_length=300, validators=[validate_no_control_characters])
    # Not django-prose-editor's sanitizer: the save service cleans with submissions/sanitize.py.
    body = forms.CharField(label=_("Text"), required=False, widget=SectionTextWidget)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    autosave = forms.BooleanField(required=False, widget=forms.HiddenInput)


class SignatoriesForm(forms.Form):
    """The organisations that submit the document, numbered in their order, and the contact person.

    One number box per current member organisation: a plain form that needs no JavaScript to reorder.
    ``cleaned_data["organisations"]`` is the chosen organisations in order (ties by name).
    """

    contact_name = forms.CharField(
        label=_("Contact person"), max_length=200, required=False, validators=[validate_no_control_characters]
    )
    contact_email = forms.EmailField(label=_("Contact person's email"), required=False)

    def __init__(self, *args, submission: Submission, chosen, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(current_member_organisations(coalition=submission.coalition).select_related("country"))
        positions = {organisation.pk: position for position, organisation in enumerate(chosen, start=1)}
        self.initial.setdefault("contact_name", submission.contact_name)
        self.initial.setdefault("contact_email", submission.contact_email)
        for organisation in self.members:
            self.fields[self.field_name(organisation)] = forms.IntegerField(
                label=_("%(name)s (%(city)s, %(country)s)")
                % {"name": organisation.name, "city": organisation.city, "country": organisation.country.name},
                required=False,
                min_value=1,
                max_value=999,
                initial=positions.get(organisation.pk),
                widget=forms.NumberInput(attrs={"class": "signatory-position"}),
            )
        # The contact fields after the organisations.
        self.order_fields([self.field_name(o) for o in self.members] + ["contact_name", "contact_email"])
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the organisations and contact")))

    @staticmethod
    def field_name(organisation) -> str:
        return f"position_{organisation.pk}"

    def clean(self):
        data = super().clean()
        numbered = [
            (data[self.field_name(o)], o.name, o) for o in self.members if data.get(self.field_name(o)) is not None
        ]
        if not numbered:
            raise forms.ValidationError(_("Number at least one organisation: the document needs someone to submit it."))
        numbered.sort(key=lambda item: item[:2])
        data["organisations"] = [organisation for _position, _name, organisation in numbered]
        return data
