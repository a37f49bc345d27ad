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
        self.fields["review"].queryset = coalition.reviews.select_related("state", "session").order_by(
            "session__number"
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Start the submission")))

    def clean_section_titles(self):
        return [line.strip() for line in self.cleaned_data["section_titles"].splitlines() if line.strip()]


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

    title = forms.CharField(label=_("Section title"), max_length=300)
    # Not django-prose-editor's sanitizer: the save service cleans with submissions/sanitize.py.
    body = forms.CharField(label=_("Text"), required=False, widget=SectionTextWidget)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    autosave = forms.BooleanField(required=False, widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Submission.Status.choices)
