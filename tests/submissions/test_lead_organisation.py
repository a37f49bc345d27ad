"""A section's lead organisation holds the pen: its drafters edit the section like the contributing ones."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from coalitions.models import Membership, Role
from coalitions.rules import can
from submissions.models import Section
from submissions.selectors import section_people, sections_drafted_by
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_drafter_of_the_lead_organisation_edits_the_section_and_finds_it_among_their_sections(world):
    # A drafter of A: section A is assigned to A, section B only to B.
    drafter_of_a = MembershipFactory(coalition=world.coalition, organisation=world.org_a, role=Role.DRAFTER).user
    section_b = Section.objects.get(pk=world.section_b.pk)
    assert not can(drafter_of_a, "submissions.edit_section", section_b)
    assert [s.title for s in sections_drafted_by(user=drafter_of_a)] == ["Section of A's cluster"]

    Section.objects.filter(pk=section_b.pk).update(lead_organisation=world.org_a)
    section_b = Section.objects.get(pk=section_b.pk)
    drafter_of_a = type(drafter_of_a).objects.get(pk=drafter_of_a.pk)  # memberships are cached per user object

    assert can(drafter_of_a, "submissions.edit_section", section_b)
    assert can(drafter_of_a, "submissions.submit_section", section_b)
    assert [s.title for s in sections_drafted_by(user=drafter_of_a)] == [
        "Section of B's cluster",
        "Section of A's cluster",
    ]
    # Readers of the lead organisation still only read.
    observer_of_a = MembershipFactory(coalition=world.coalition, organisation=world.org_a, role=Role.OBSERVER).user
    assert not can(observer_of_a, "submissions.edit_section", section_b)


def test_submission_page_names_the_lead_organisation_and_links_the_editor_for_its_drafters(world, client):
    drafter_of_a = MembershipFactory(coalition=world.coalition, organisation=world.org_a, role=Role.DRAFTER).user
    Section.objects.filter(pk=world.section_b.pk).update(lead_organisation=world.org_a)
    client.force_login(drafter_of_a)

    response = client.get(reverse("submissions:detail", args=[world.submission.pk]))

    assertContains(response, "Lead: ARW; BLA")
    assertContains(response, reverse("submissions:section_edit", args=[world.submission.pk, world.section_b.pk]))


def test_section_people_are_its_named_people_and_the_editors_of_its_organisations_while_members(
    world, django_assert_num_queries
):
    """One answer for reminders, workflow notices and comments (submissions.selectors.section_people)."""
    people = world.people
    drafter_of_a = MembershipFactory(coalition=world.coalition, organisation=world.org_a, role=Role.DRAFTER).user
    Section.objects.filter(pk=world.section_b.pk).update(lead_organisation=world.org_a)
    world.section_a.assigned_people.add(people["observer"], people["outsider"])
    sections = list(
        Section.objects.filter(pk__in=[world.section_a.pk, world.section_b.pk]).select_related("submission")
    )

    with django_assert_num_queries(3):
        found = section_people(sections)

    def emails(section) -> list[str]:
        return sorted(type(drafter_of_a).objects.filter(pk__in=found[section.pk]).values_list("email", flat=True))

    # B's cluster section: B's editing people (drafter, cluster lead; not its reviewer or observer) and,
    # through the lead organisation, A's drafter.
    assert emails(world.section_b) == sorted(
        [drafter_of_a.email, people["drafter"].email, people["cluster lead"].email]
    )
    # A's section: A's drafter and the observer named on it; the outsider named on it is no member.
    assert emails(world.section_a) == sorted([drafter_of_a.email, people["observer"].email])

    Membership.objects.filter(user=people["observer"], coalition=world.coalition).update(is_active=False)
    assert people["observer"].pk not in section_people(sections)[world.section_a.pk]
