"""The form every workflow button sends (templates/submissions/_section_workflow.html)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class StepForm(forms.Form):
    """One button pressed: which step, its message, and for "Record as submitted to the UN" the day it
    was sent and OHCHR's reference. The service checks them against the step (services/workflow.py)."""

    action = forms.CharField(max_length=30)
    message = forms.CharField(label=_("Message"), required=False, strip=False)
    submitted_on = forms.DateField(label=_("Sent to OHCHR on"), required=False)
    ohchr_reference = forms.CharField(label=_("OHCHR reference"), required=False, max_length=100)
    # The page the button was on: the section's editor, or its reading page.
    origin = forms.ChoiceField(choices=[("read", "read"), ("edit", "edit")], required=False)
