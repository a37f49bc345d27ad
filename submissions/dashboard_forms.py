"""The contribution dashboard's filters and sorting: GET parameters, so they work without JavaScript."""

from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.dashboard import (
    ORGANISATION_SORTS,
    PEOPLE_SORTS,
    SECTION_SORTS,
    DashboardFilters,
)
from submissions.models.core import SectionState


def _sorts(keys) -> list[tuple[str, str]]:
    return [(key, key) for key in keys] + [(f"-{key}", f"-{key}") for key in keys]


class DashboardFilterForm(forms.Form):
    """Unknown or malformed values are dropped (a filter left out), never an error page: the
    parameters come from links and bookmarks as well as from the form."""

    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int, required=False, empty_value=None)
    person = forms.TypedChoiceField(label=_("Person"), coerce=int, required=False, empty_value=None)
    cluster = forms.TypedChoiceField(label=_("Cluster"), coerce=int, required=False, empty_value=None)
    state = forms.ChoiceField(
        label=_("Section state"), choices=[("", _("Any state")), *SectionState.choices], required=False
    )
    late = forms.BooleanField(label=_("Late only"), required=False)
    organisation_sort = forms.ChoiceField(choices=_sorts(ORGANISATION_SORTS), required=False)
    person_sort = forms.ChoiceField(choices=_sorts(PEOPLE_SORTS), required=False)
    section_sort = forms.ChoiceField(choices=_sorts(SECTION_SORTS), required=False)

    def __init__(self, data, *, organisations, people, clusters):
        super().__init__(data)
        self.fields["organisation"].choices = [("", _("Every organisation")), *organisations]
        self.fields["person"].choices = [("", _("Everyone")), *people]
        self.fields["cluster"].choices = [("", _("Every cluster")), *clusters]

    def filters(self) -> DashboardFilters:
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return DashboardFilters(
            organisation=data.get("organisation"),
            person=data.get("person"),
            cluster=data.get("cluster"),
            state=data.get("state") or "",
            late_only=bool(data.get("late")),
            organisation_sort=data.get("organisation_sort") or "name",
            person_sort=data.get("person_sort") or "name",
            section_sort=data.get("section_sort") or "position",
        )


def filters_from(params) -> DashboardFilters:
    """The filters of the GET parameters without the choices' check (ids outside the coalition match
    no row, so they show empty tables rather than anyone else's)."""
    form = DashboardFilterForm(params, organisations=[], people=[], clusters=[])
    for name in ("organisation", "person", "cluster"):
        value = params.get(name, "")
        form.fields[name].choices = [("", ""), (value, value)]
    return form.filters()
