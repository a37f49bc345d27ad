"""The organisations that submit the document, in their order, and its contact person."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertRedirects

from coalitions.models import CoalitionOrganisation, Role
from submissions.errors import SubmissionError
from submissions.models import Submission, SubmissionSignatory
from submissions.selectors import submission_signatories, submission_signatories_chosen, submission_signatory_names
from submissions.services.signatories import (
    submission_signatories_reset,
    submission_signatories_set,
    submission_signatories_update,
)
from tests.factories import MembershipFactory, OrganisationFactory
from tests.factories.coalitions import add_organisation
from tests.factories.documents import DocumentWorld, document_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> DocumentWorld:
    return document_world()


@pytest.fixture
def coordinator(world):
    return MembershipFactory(
        coalition=world.coalition, organisation=world.organisations[0], role=Role.COORDINATOR, user__full_name="Amina"
    ).user


def country_of(world: DocumentWorld):
    """An existing State for the organisations a test adds: document_world() picks State codes that
    StateFactory's sequence also produces, so a new sequenced State could collide with them."""
    return world.organisations[0].country


def names(organisations) -> list[str]:
    return [organisation.name for organisation in organisations]


def test_submission_signatories_default_to_the_current_members_by_name(world):
    # Invited organisations are in the coalition until they have left; one that left is not.
    add_organisation(world.coalition, OrganisationFactory(name="Aardvark Trust", country=country_of(world)))
    left = add_organisation(world.coalition, OrganisationFactory(name="Zulu Centre", country=country_of(world)))
    left.status, left.left_on = CoalitionOrganisation.Status.LEFT, timezone.localdate()
    left.save()
    CoalitionOrganisation.objects.create(
        coalition=world.coalition,
        organisation=OrganisationFactory(name="Yankee Invited", country=country_of(world)),
        status=CoalitionOrganisation.Status.INVITED,
    )

    signatories = submission_signatories(world.submission)

    assert names(signatories) == [
        "Aardvark Trust",
        "Alpha Watch",
        "Bravo Legal Aid",
        "Charlie Institute",
        "Yankee Invited",
    ]
    assert submission_signatories_chosen(world.submission) is False


def test_submission_signatories_set_keeps_the_chosen_order(world, coordinator):
    alpha, _bravo, charlie = world.organisations

    submission_signatories_set(submission=world.submission, actor=coordinator, organisations=[charlie, alpha])

    assert names(submission_signatories(world.submission)) == ["Charlie Institute", "Alpha Watch"]
    assert list(SubmissionSignatory.objects.values_list("organisation__name", "position")) == [
        ("Charlie Institute", 1),
        ("Alpha Watch", 2),
    ]
    assert submission_signatories_chosen(world.submission) is True


def test_submission_signatories_set_again_replaces_the_order(world, coordinator):
    alpha, bravo, charlie = world.organisations
    submission_signatories_set(submission=world.submission, actor=coordinator, organisations=[charlie, alpha])

    submission_signatories_set(submission=world.submission, actor=coordinator, organisations=[alpha, bravo, charlie])

    assert names(submission_signatories(world.submission)) == ["Alpha Watch", "Bravo Legal Aid", "Charlie Institute"]


def test_submission_signatories_of_an_organisation_that_left_drop_it(world, coordinator):
    alpha, bravo, _charlie = world.organisations
    submission_signatories_set(submission=world.submission, actor=coordinator, organisations=[bravo, alpha])

    CoalitionOrganisation.objects.filter(organisation=bravo).update(status=CoalitionOrganisation.Status.LEFT)

    assert names(submission_signatories(world.submission)) == ["Alpha Watch"]


@pytest.mark.parametrize(
    ("choose", "message"),
    [
        (lambda world, outsider: [], "Choose at least one organisation to submit the document."),
        (
            lambda world, outsider: [world.organisations[0], world.organisations[0]],
            "Each organisation can be listed only once.",
        ),
        (
            lambda world, outsider: [world.organisations[0], outsider],
            "Only member organisations of the coalition can sign; Outside Org is not one.",
        ),
    ],
)
def test_submission_signatories_set_refuses_and_keeps_the_list(choose, message, world, coordinator):
    outsider = OrganisationFactory(name="Outside Org", country=country_of(world))
    submission_signatories_set(submission=world.submission, actor=coordinator, organisations=[world.organisations[1]])

    with pytest.raises(SubmissionError) as raised:
        submission_signatories_set(
            submission=world.submission, actor=coordinator, organisations=choose(world, outsider)
        )

    assert raised.value.messages == [message]
    assert names(submission_signatories(world.submission)) == ["Bravo Legal Aid"]


def test_submission_signatories_set_refuses_a_final_submission(world, coordinator):
    Submission.objects.filter(pk=world.submission.pk).update(status=Submission.Status.FINAL)
    world.submission.refresh_from_db()

    with pytest.raises(SubmissionError):
        submission_signatories_set(
            submission=world.submission, actor=coordinator, organisations=[world.organisations[0]]
        )

    assert SubmissionSignatory.objects.count() == 0


def test_submission_signatories_reset_goes_back_to_every_member(world, coordinator):
    submission_signatories_set(submission=world.submission, actor=coordinator, organisations=[world.organisations[2]])

    submission_signatories_reset(submission=world.submission, actor=coordinator)

    assert names(submission_signatories(world.submission)) == ["Alpha Watch", "Bravo Legal Aid", "Charlie Institute"]
    assert submission_signatories_chosen(world.submission) is False


def test_submission_signatories_update_saves_the_contact_person(world, coordinator):
    submission_signatories_update(
        submission=world.submission,
        actor=coordinator,
        organisations=[world.organisations[1]],
        contact_name="  Amina Diallo ",
        contact_email="amina@example.org",
    )

    stored = Submission.objects.values_list("contact_name", "contact_email").get(pk=world.submission.pk)
    assert stored == ("Amina Diallo", "amina@example.org")
    assert names(submission_signatories(world.submission)) == ["Bravo Legal Aid"]


def test_submission_signatories_update_with_a_bad_email_saves_nothing(world, coordinator):
    with pytest.raises(ValidationError):
        submission_signatories_update(
            submission=world.submission,
            actor=coordinator,
            organisations=[world.organisations[1]],
            contact_name="Amina",
            contact_email="not an address",
        )

    assert SubmissionSignatory.objects.count() == 0
    assert Submission.objects.values_list("contact_name", flat=True).get(pk=world.submission.pk) == ""


# The page.


def page_url(world) -> str:
    return reverse("submissions:signatories", args=[world.submission.pk])


def test_signatories_page_numbers_the_current_order(world, coordinator, client):
    alpha, bravo, charlie = world.organisations
    submission_signatories_set(submission=world.submission, actor=coordinator, organisations=[charlie, alpha])
    client.force_login(coordinator)

    response = client.get(page_url(world))

    assertContains(response, "Organisations and contact person")
    assertContains(response, f'name="position_{charlie.pk}" value="1"')
    assertContains(response, f'name="position_{alpha.pk}" value="2"')
    assertContains(response, f'name="position_{bravo.pk}" class')
    assertContains(response, "Bravo Legal Aid (Mombasa, Kenyana)")
    assertContains(response, "List every member organisation, by name")


def test_signatories_page_saves_the_order_and_the_contact(world, coordinator, client):
    alpha, bravo, charlie = world.organisations
    client.force_login(coordinator)

    response = client.post(
        page_url(world),
        {
            f"position_{alpha.pk}": "2",
            f"position_{bravo.pk}": "",
            f"position_{charlie.pk}": "1",
            "contact_name": "Amina Diallo",
            "contact_email": "amina@example.org",
        },
    )

    assertRedirects(
        response,
        reverse("submissions:detail", args=[world.submission.pk]) + "#documents",
        fetch_redirect_response=False,
    )
    assert names(submission_signatories(world.submission)) == ["Charlie Institute", "Alpha Watch"]
    page = client.get(reverse("submissions:detail", args=[world.submission.pk]))
    assertContains(page, "Charlie Institute; Alpha Watch")
    assertContains(page, "Amina Diallo &lt;amina@example.org&gt;")


def test_signatories_page_without_any_number_saves_nothing(world, coordinator, client):
    client.force_login(coordinator)

    response = client.post(page_url(world), {"contact_name": "Amina"})

    assertContains(response, "Number at least one organisation: the document needs someone to submit it.")
    assert SubmissionSignatory.objects.count() == 0


def test_signatories_page_reset(world, coordinator, client):
    submission_signatories_set(submission=world.submission, actor=coordinator, organisations=[world.organisations[2]])
    client.force_login(coordinator)

    response = client.post(reverse("submissions:signatories_reset", args=[world.submission.pk]), follow=True)

    assertContains(response, "The document lists every member organisation again, by name.")
    assert submission_signatories_chosen(world.submission) is False


def test_signatories_page_refuses_a_co_member(world, client):
    drafter = MembershipFactory(coalition=world.coalition, organisation=world.organisations[1], role=Role.DRAFTER).user
    client.force_login(drafter)

    response = client.post(page_url(world), {f"position_{world.organisations[1].pk}": "1"})

    assertContains(
        response,
        escape("Only the coalition's coordinators can change the submission, and only while it is being drafted."),
        status_code=403,
    )
    assert SubmissionSignatory.objects.count() == 0


def test_signatories_page_answers_404_to_an_outsider(world, client):
    client.force_login(MembershipFactory(role=Role.COORDINATOR, coalition__secretariat__country=country_of(world)).user)

    response = client.get(page_url(world))

    assertContains(response, "Page not found", status_code=404)


# The names only, as the submission page shows them (submission_signatory_names).


def test_submission_signatory_names_by_default_are_the_current_members_names(world):
    add_organisation(world.coalition, OrganisationFactory(name="Aardvark Trust", country=country_of(world)))

    assert submission_signatory_names(world.submission) == (names(submission_signatories(world.submission)), False)


def test_submission_signatory_names_follow_the_chosen_order_without_those_who_left(world, coordinator):
    alpha, bravo, charlie = world.organisations
    submission_signatories_set(submission=world.submission, actor=coordinator, organisations=[charlie, bravo, alpha])
    CoalitionOrganisation.objects.filter(organisation=bravo).update(status=CoalitionOrganisation.Status.LEFT)

    assert submission_signatory_names(world.submission) == (["Charlie Institute", "Alpha Watch"], True)
    assert names(submission_signatories(world.submission)) == ["Charlie Institute", "Alpha Watch"]


def test_submission_signatory_names_when_every_chosen_one_left_are_none(world, coordinator):
    submission_signatories_set(submission=world.submission, actor=coordinator, organisations=[world.organisations[0]])
    CoalitionOrganisation.objects.filter(coalition=world.coalition).update(status=CoalitionOrganisation.Status.LEFT)

    assert submission_signatory_names(world.submission) == ([], True)
    assert (submission_signatories(world.submission), submission_signatories_chosen(world.submission)) == ([], True)
