"""The implementation matrix's forms: the filters of the matrix page and the assessment of one row."""

from django import forms
from django.utils.translation import gettext_lazy as _

from advocacy.models import Assessment, ImplementationLevel
from advocacy.selectors import NOT_ASSESSED, MatrixFilters
from reviews.models import RecommendationPosition
from upr_portal.validators import validate_no_control_characters


class MatrixFilterForm(forms.Form):
    """The GET filters of the matrix page. "Relevant only" is on unless the form was sent without it."""

    cluster = forms.TypedChoiceField(label=_("Cluster"), coerce=int, empty_value=None, required=False)
    theme = forms.TypedChoiceField(label=_("Theme or group of persons"), coerce=int, empty_value=None, required=False)
    level = forms.ChoiceField(label=_("Implementation"), required=False)
    position = forms.ChoiceField(
        label=_("Position of the State"),
        required=False,
        choices=[("", _("Any position")), *RecommendationPosition.choices],
    )
    text = forms.CharField(
        label=_("Words"), required=False, max_length=200, validators=[validate_no_control_characters]
    )
    relevant = forms.BooleanField(label=_("Relevant only"), required=False)
    # Tells a sent form (whose unticked box sends nothing) from a first visit (relevant only by default).
    filtered = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, cluster_choices, theme_choices):
        super().__init__(data or None)
        self.fields["cluster"].choices = [("", _("Any cluster")), *cluster_choices]
        self.fields["theme"].choices = [("", _("Any theme")), *theme_choices]
        self.fields["level"].choices = [
            ("", _("Any level")),
            *ImplementationLevel.choices,
            (NOT_ASSESSED, _("Not assessed yet")),
        ]
        if not self.is_bound:
            self.initial = {"relevant": True, "filtered": True}

    def filters(self) -> MatrixFilters:
        if not self.is_bound:
            return MatrixFilters()
        if not self.is_valid():
            return MatrixFilters()
        data = self.cleaned_data
        return MatrixFilters(
            cluster=data["cluster"],
            theme=data["theme"],
            level=data["level"],
            position=data["position"],
            relevant_only=data["relevant"] or not data["filtered"],
            text=data["text"],
        )


class AssessmentForm(forms.Form):
    level = forms.ChoiceField(label=_("Implementation"), choices=ImplementationLevel.choices)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=Assessment._meta.get_field("evidence").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text: what shows how far the State carried it out. Links become clickable."),
    )
    sources = forms.CharField(
        label=_("Sources"),
        required=False,
        max_length=Assessment._meta.get_field("sources").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One source a line: a document, a link, an interview."),
    )
    indicator = forms.CharField(label=_("Indicator"), required=False, max_length=500)
    baseline = forms.CharField(label=_("Baseline"), required=False, max_length=300)
    target = forms.CharField(label=_("Target"), required=False, max_length=300)
    responsible = forms.CharField(label=_("Responsible ministry or agency"), required=False, max_length=300)
    cluster = forms.TypedChoiceField(label=_("Cluster"), coerce=int, empty_value=None, required=False)
    relevant = forms.BooleanField(
        label=_("Relevant to the coalition"),
        required=False,
        help_text=_("Untick to leave it out of the matrix (the filter “Relevant only” hides it)."),
    )
    sections = forms.TypedMultipleChoiceField(
        label=_("Sections that follow it up"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, cluster_choices, section_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = [("", _("No cluster")), *cluster_choices]
        self.fields["sections"].choices = section_choices
        for name in ("indicator", "baseline", "target", "responsible"):
            self.fields[name].validators.append(validate_no_control_characters)
