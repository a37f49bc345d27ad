"""Names for the admin's form controls that Django draws without a ``<label>``.

A tabular inline shows each field's label only as its column's heading, and a file field's input sits
in a fieldset whose legend is no label of it: screen readers announce such a control with no name
(axe: "Form elements must have labels", "Select element must have an accessible name"). The portal's
admin classes take the classes below in place of Django's own; the controls get an ``aria-label``
with the text Django shows beside them. The autocomplete fields, which Select2 draws in JavaScript,
are named by static/js/admin-select2-labels.js.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.forms.models import BaseInlineFormSet
from django.forms.utils import pretty_name
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _


def _part_name(widget: forms.Widget, position: int):
    if isinstance(widget, forms.DateInput):
        return _("date")
    if isinstance(widget, forms.TimeInput):
        return _("time")
    return str(position + 1)


def name_control(field: forms.Field, name: str) -> None:
    """Gives the field's visible controls its label as their accessible name, unless they have one."""
    widget = field.widget
    if widget.is_hidden:
        return
    label = capfirst(field.label or pretty_name(name))
    inner = widget.widget if isinstance(widget, RelatedFieldWidgetWrapper) else widget
    if isinstance(inner, forms.MultiWidget):
        # Each part its own name: the parts take the whole's attributes over their own.
        for position, part in enumerate(inner.widgets):
            part.attrs.setdefault("aria-label", format_lazy("{} ({})", label, _part_name(part, position)))
        return
    # The wrapped widget's own: a related-field wrapper's copy keeps the attributes of the original.
    inner.attrs.setdefault("aria-label", label)


class LabelledInlineFormSet(BaseInlineFormSet):
    """An inline formset whose every control, the "Delete" box included, is named after its column."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            name_control(field, name)


class LabelledTabularInline(admin.TabularInline):
    formset = LabelledInlineFormSet


class LabelledFileInputsAdmin(admin.ModelAdmin):
    """A model admin whose file inputs are named after their field (Django names only the fieldset)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, forms.ClearableFileInput):
            name_control(formfield, db_field.name)
        return formfield
