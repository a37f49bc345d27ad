from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.models.comments import COMMENT_MAX_LENGTH, QUOTE_MAX_LENGTH

# The pages a comment form is sent from, and where the person goes back to.
BACK_TO = {"read": "submissions:section", "edit": "submissions:section_edit"}


class MemberIdsField(forms.TypedMultipleChoiceField):
    """The people to notify: the list offers the coalition's members, and the autocomplete adds the ids
    it chose. Any id passes here; the service keeps the coalition's active members only."""

    def valid_value(self, value):
        return True


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
    quote = forms.CharField(
        label=_("Passage commented on (optional)"),
        max_length=QUOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    mentions = MemberIdsField(label=_("Notify"), coerce=int, required=False)
    back = forms.ChoiceField(choices=[(key, key) for key in BACK_TO], required=False, widget=forms.HiddenInput)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentions"].choices = [(member.pk, member.name) for member in members]
