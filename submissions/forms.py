from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from coalitions.models import Cluster, Coalition
from coalitions.selectors import current_member_organisations
from reviews.models import Review
from submissions.models import Section, Submission
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
        fields = ["review", "kind", "title", "language", "keywords"]

    def __init__(self, *args, coalition: Coalition, **kwargs):
        super().__init__(*args, **kwargs)
        # The upcoming ones: a submission is written for a review whose session is still to come.
        self.fields["review"].queryset = coalition.reviews.upcoming().select_related("state", "session").in_date_order()
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
        fields = ["title", "language", "keywords", "executive_summary"]
        widgets = {"executive_summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class SectionSettingsForm(forms.ModelForm):
    assigned_people = PersonChoiceField(
        label=_("People"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Section
        fields = ["title", "cluster", "word_budget", "assigned_organisations", "assigned_people"]
        widgets = {"assigned_organisations": forms.CheckboxSelectMultiple}
        help_texts = {
            "word_budget": _("The words this section may use. The budgets of all sections must fit in the limit."),
            "assigned_organisations": _("Drafters of these organisations may edit the section."),
        }

    def __init__(self, *args, coalition: Coalition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = Cluster.objects.filter(coalition=coalition).order_by("name")
        self.fields["assigned_organisations"].queryset = current_member_organisations(coalition=coalition)
        self.fields["assigned_organisations"].required = False
        self.fields["assigned_people"].queryset = User.objects.filter(
            coalition_memberships__coalition=coalition, coalition_memberships__is_active=True
        ).order_by("full_name", "email")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the section")))


class SectionEditForm(forms.Form):
    """The editor's form. Without JavaScript it still saves, with the same version check."""

    title = forms.CharField(label=_("Section title"), max_length=300, validators=[validate_no_control_characters])
    # Not django-prose-editor's sanitizer: the save service cleans with submissions/sanitize.py.
    body = forms.CharField(label=_("Text"), required=False, widget=SectionTextWidget)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    autosave = forms.BooleanField(required=False, widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Submission.Status.choices)


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
