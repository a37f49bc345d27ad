"""The admin's controls that Django draws without a <label> get their field's name (upr_portal/admin_labels.py).

The pages themselves are audited with axe in tests/browser/test_accessibility.py; these tests pin the
names, which the audit only checks exist.
"""

from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory

from coalitions.admin import CoalitionAdmin
from coalitions.models import Coalition
from reviews.admin import ReviewInline
from reviews.models import Session
from tests.factories import ReviewFactory, UserFactory
from upr_portal.admin_labels import name_control


class ControlNames(HTMLParser):
    """The ``aria-label`` of each named form control in some HTML (None where it has none)."""

    def __init__(self):
        super().__init__()
        self.names: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"input", "select", "textarea"} and attributes.get("type") != "hidden" and "name" in attributes:
            self.names[attributes["name"]] = attributes.get("aria-label")


def control_names(html: str) -> dict[str, str | None]:
    parser = ControlNames()
    parser.feed(html)
    return parser.names


def admin_request():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory.build(is_staff=True, is_superuser=True)
    return request


@pytest.mark.django_db
def test_tabular_inline_names_each_control_after_its_column():
    review = ReviewFactory()
    inline = ReviewInline(Session, admin.site)
    request = admin_request()
    formset = inline.get_formset(request, review.session)(instance=review.session, prefix="reviews")
    form = formset.forms[0]

    names = control_names("".join(str(form[name]) for name in form.fields))

    assert names == {
        "reviews-0-order": "Order",
        "reviews-0-state": "State",
        "reviews-0-status": "Status",
        "reviews-0-milestones_from_session": "Milestones from the session",
        "reviews-0-DELETE": "Delete",
    }


@pytest.mark.django_db
def test_tabular_inline_names_the_controls_of_a_row_being_added():
    inline = ReviewInline(Session, admin.site)
    formset = inline.get_formset(admin_request(), None)(prefix="reviews")

    names = control_names(str(formset.empty_form["status"]))

    assert names == {"reviews-__prefix__-status": "Status"}


@pytest.mark.django_db
def test_coalition_admin_names_the_logo_input_after_its_field():
    form_class = CoalitionAdmin(Coalition, admin.site).get_form(admin_request())

    names = control_names(str(form_class()["logo"]))

    assert names == {"logo": "Logo"}


def test_name_control_keeps_a_name_the_widget_has_already():
    field = forms.CharField(label="acronym", widget=forms.TextInput(attrs={"aria-label": "Short name"}))

    name_control(field, "acronym")

    assert field.widget.attrs["aria-label"] == "Short name"


def test_name_control_leaves_hidden_inputs_unnamed():
    field = forms.IntegerField(label="id", widget=forms.HiddenInput)

    name_control(field, "id")

    assert field.widget.attrs == {}
