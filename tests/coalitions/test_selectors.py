"""Which existing organisation a typed name may match: only one the person may already change."""

import pytest

from coalitions import selectors
from coalitions.rules import can
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_organisations_changeable_by_is_the_change_organisation_rule_as_a_query(world):
    organisations = [
        world.secretariat,
        world.org_a,
        world.org_b,
        world.other.secretariat,
        world.other_member.organisation,
    ]

    for column, person in world.people.items():
        if person is None:
            continue
        changeable = set(selectors.organisations_changeable_by(user=person))
        assert {o.name for o in organisations if o in changeable} == {
            o.name for o in organisations if can(person, "coalitions.change_organisation", o)
        }, column


def test_organisation_matching_finds_a_member_organisation_whatever_the_case_and_spaces(world):
    typed = "  " + world.org_a.name.upper().replace(" ", "   ") + " "

    assert selectors.organisation_matching(user=world.people["coordinator"], name=typed) == world.org_a


def test_organisation_matching_never_finds_an_organisation_the_person_cannot_change(world):
    outside = world.other_member.organisation

    found = [
        selectors.organisation_matching(user=world.people[column], name=outside.name)
        for column in ("coordinator", "drafter", "observer")
    ]

    assert found == [None, None, None]
    # Its own coordinator does find it.
    assert selectors.organisation_matching(user=world.people["outsider"], name=outside.name) == outside


def test_organisation_matching_prefers_the_one_in_the_given_country(world):
    coordinator = world.people["coordinator"]
    namesake = OrganisationFactory(name=world.org_a.name)
    world.coalition.member_organisations.create(organisation=namesake)

    in_first_country = selectors.organisation_matching(
        user=coordinator, name=world.org_a.name, country=world.org_a.country
    )
    in_second_country = selectors.organisation_matching(
        user=coordinator, name=world.org_a.name, country=namesake.country
    )
    without_country = selectors.organisation_matching(user=coordinator, name=world.org_a.name)

    assert world.org_a.country != namesake.country
    assert (in_first_country, in_second_country, without_country) == (world.org_a, namesake, world.org_a)
