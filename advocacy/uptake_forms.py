"""The uptake page's manual match: one of the coalition's recommendations and one made at the review."""

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from reviews.models import UPRRecommendation
from submissions.models import Recommendation

CHOICE_CHARACTERS = 140


class AskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Recommendation) -> str:
        return Truncator(obj.text).chars(CHOICE_CHARACTERS)


class MadeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: UPRRecommendation) -> str:
        return f"{obj.paragraph} {Truncator(obj.text).chars(CHOICE_CHARACTERS)}"


class UptakeMatchForm(forms.Form):
    """``asks`` and ``made`` are the querysets to choose from: the page offers the asks without a
    proposal; a POST accepts any of the coalition's asks for the review."""

    asked = AskChoiceField(label=_("Our recommendation"), queryset=Recommendation.objects.none())
    made = MadeChoiceField(label=_("Match to..."), queryset=UPRRecommendation.objects.none())

    def __init__(self, *args, asks, made, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asked"].queryset = asks
        self.fields["made"].queryset = made
