"""What the submission forms offer before any service runs."""

import pytest

from coalitions.models import CoalitionOrganisation
from submissions.forms import SectionSettingsForm, SubmissionCreateForm
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
