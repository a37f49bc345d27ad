"""What the submission forms offer before any service runs."""

import datetime

import pytest

from coalitions.models import CoalitionOrganisation
from submissions.forms import SectionEditForm, SectionSettingsForm, SubmissionCreateForm
from tests.factories import OrganisationFactory, ReviewFactory, SessionFactory, StateFactory
from tests.factories.coalitions import add_organisation, new_coalition

pytestmark = pytest.mark.django_db


def test_section_settings_form_offers_current_members_even_if_they_left_another_coalition():
    coalition = new_coalition(secretariat=OrganisationFactory(name="Coalition Secretariat"))
    stays = add_organisation(coalition, OrganisationFactory(name="Alpha Rights Watch")).organisation
    left = add_organisation(coalition, OrganisationFactory(name="Beta Legal Aid"))
    CoalitionOrganisation.objects.filter(pk=left.pk).update(status=CoalitionOrganisation.Status.LEFT)
    other = new_coalition()
    add_organisation(other, stays)
    CoalitionOrganisation.objects.filter(coalition=other, organisation=stays).update(
        status=CoalitionOrganisation.Status.LEFT
    )

    form = SectionSettingsForm(coalition=coalition)

    assert [o.name for o in form.fields["assigned_organisations"].queryset] == [
        "Alpha Rights Watch",
        "Coalition Secretariat",
    ]


def test_submission_create_form_labels_reviews_by_state_and_session():
    coalition = new_coalition()
    coalition.reviews.add(ReviewFactory(state=StateFactory(name="Kenya"), session=SessionFactory(number=49)))

    form = SubmissionCreateForm(coalition=coalition)

    assert [label for value, label in form.fields["review"].choices if value] == ["Kenya, session 49"]


ONE_LINE_ERROR = (
    "Write this on one line, without line breaks or tabs: it contains an invisible control character "
    "(often copied along with text from another program)."
)


def test_section_edit_form_refuses_a_control_character_in_the_title():
    form = SectionEditForm({"title": "Rights of the child\x1b[31m", "body": "<p>Text</p>", "base_version": 1})

    assert form.errors == {"title": [ONE_LINE_ERROR]}


def test_submission_create_form_refuses_a_tab_inside_a_section_title():
    coalition = new_coalition()
    data = {"kind": "joint", "title": "Joint submission", "language": "en", "section_titles": "Intro\nHealth\tcare\n"}

    form = SubmissionCreateForm(data, coalition=coalition)

    assert form.errors["section_titles"] == [ONE_LINE_ERROR]


def test_submission_create_form_offers_the_upcoming_reviews_in_date_order():
    today = datetime.date.today()

    def session(number: int, start: datetime.date):
        return SessionFactory(number=number, wg_start=start, wg_end=start + datetime.timedelta(days=11))

    coalition = new_coalition()
    coalition.reviews.add(
        ReviewFactory(state=StateFactory(name="Later"), session=session(71, today + datetime.timedelta(days=300))),
        ReviewFactory(state=StateFactory(name="Past"), session=session(72, today - datetime.timedelta(days=60))),
        ReviewFactory(state=StateFactory(name="Sooner"), session=session(73, today + datetime.timedelta(days=90))),
    )

    form = SubmissionCreateForm(coalition=coalition)

    assert [label for value, label in form.fields["review"].choices if value] == [
        "Sooner, session 73",
        "Later, session 71",
    ]
