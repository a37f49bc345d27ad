"""The coordinators' import of a review's recommendations (advocacy/views/imports.py): the flow from
upload to confirm, and docs/permissions.md's ``matrix:recommendation-import``, every cell a test."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains

from coalitions.models import Role
from reviews.models import Cycle, RecommendationImport, Review, Session, State, UPRRecommendation
from tests.factories import MembershipFactory, UserFactory
from tests.factories.coalitions import new_coalition
from tests.permissions_matrix import read_matrix
from tests.reviews.recommendation_files import Rec, uhri_csv

pytestmark = pytest.mark.django_db

ROLES, MATRIX = read_matrix("matrix:recommendation-import")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]
ROLE_OF = {
    "observer": Role.OBSERVER,
    "reviewer": Role.REVIEWER,
    "drafter": Role.DRAFTER,
    "cluster lead": Role.CLUSTER_LEAD,
    "coordinator": Role.COORDINATOR,
}
RECS = [Rec("140.1", "Ratify the Optional Protocol", ["Chile"]), Rec("140.2", "Adopt a law", ["Ruritania"], "Noted")]


@pytest.fixture
def world():
    cycle = Cycle.objects.create(number=4, start_year=2022)
    session = Session.objects.create(
        number=45, cycle=cycle, wg_start=datetime.date(2024, 1, 22), wg_end=datetime.date(2024, 2, 2)
    )
    kenya = State.objects.create(code="KEN", name="Kenya")
    State.objects.create(code="CHL", name="Chile")
    other_state = State.objects.create(code="PER", name="Peru")
    review = Review.objects.create(state=kenya, session=session)
    other_review = Review.objects.create(state=other_state, session=session)
    coalition = new_coalition()
    coalition.reviews.add(review)
    people = {"anonymous": None, "outsider": UserFactory()}
    for name, role in ROLE_OF.items():
        people[name] = MembershipFactory(coalition=coalition, role=role).user
    new_coalition().reviews.add(other_review)
    return {"coalition": coalition, "review": review, "other_review": other_review, "people": people}


def _url(world, review="review"):
    return reverse("advocacy:import", kwargs={"pk": world["coalition"].pk, "review_pk": world[review].pk})


def _upload(client, url):
    upload = SimpleUploadedFile("export.csv", uhri_csv(RECS), content_type="text/csv")
    return client.post(url, {"upload": "1", "file": upload, "report": "A/HRC/56/5"})


def _token(response) -> str:
    return response.context["step"].token


def test_matrix_roles():
    assert ROLES == ["anonymous", "outsider", "observer", "reviewer", "drafter", "cluster lead", "coordinator"]


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=[f"{a}-{r}" for a, r, _o in CELLS])
def test_matrix_cell(action, role, outcome, world, client):
    user = world["people"][role]
    if user is not None:
        client.force_login(user)
    if action == "open the import page":
        response = client.get(_url(world))
    elif action == "choose the review to import into":
        url = reverse("advocacy:import_choose", kwargs={"pk": world["coalition"].pk})
        response = client.post(url, {"state": world["review"].state.pk, "session": "45"})
    elif action == "preview a file":
        response = _upload(client, _url(world))
    elif action == "confirm an import":
        token = _token(_upload(client, _url(world))) if outcome == "yes" else "forged"
        response = client.post(_url(world), {"confirm": "1", "token": token})
    else:
        response = _upload(client, _url(world, "other_review"))

    if outcome == "login":
        assert (response.status_code, response.url.split("?")[0]) == (302, reverse("login"))
    elif outcome in ("403", "404"):
        assert response.status_code == int(outcome)
    elif action == "open the import page":
        assertContains(response, "Preview the import")
    elif action == "choose the review to import into":
        assert response.url == _url(world)
    elif action == "preview a file":
        assertContains(response, "Nothing is saved yet.")
    else:
        assert response.status_code == 302
    expected = 2 if (action, outcome) == ("confirm an import", "yes") else 0
    assert UPRRecommendation.objects.count() == expected


def test_coordinator_imports_with_a_preview_then_lands_on_the_matrix(world, client):
    client.force_login(world["people"]["coordinator"])

    preview = _upload(client, _url(world))
    summary = preview.context["step"].summary
    confirmed = client.post(_url(world), {"confirm": "1", "token": _token(preview)})

    assert (summary.new, summary.supported, summary.noted, summary.links, summary.unresolved) == (
        2,
        1,
        1,
        1,
        ["Ruritania"],
    )
    assertContains(preview, "Ratify the Optional Protocol")
    assert UPRRecommendation.objects.filter(review=world["review"]).count() == 2
    assert RecommendationImport.objects.get().imported_by == world["people"]["coordinator"]
    assert confirmed.status_code == 302
    assert confirmed.url.startswith(f"/coalitions/{world['coalition'].pk}/after-review/")


def test_a_token_of_another_session_is_refused(world, client):
    client.force_login(world["people"]["coordinator"])
    token = _token(_upload(client, _url(world)))
    client.logout()
    client.force_login(MembershipFactory(coalition=world["coalition"], role=Role.COORDINATOR).user)

    response = client.post(_url(world), {"confirm": "1", "token": token})

    assertContains(response, "no longer here")
    assert UPRRecommendation.objects.count() == 0


def test_mapping_step_then_preview(world, client):
    client.force_login(world["people"]["coordinator"])
    headers = ["Wording", "Topics", "Date", "Body", "Goals", "Session", "Made by", "Answer"]
    upload = SimpleUploadedFile("export.csv", uhri_csv(RECS, headers=headers), content_type="text/csv")

    asked = client.post(_url(world), {"upload": "1", "file": upload})
    token = _token(asked)
    mapped = client.post(
        _url(world),
        {"map": "1", "token": token, "column_text": "Wording", "column_position": "Answer", "column_states": "Made by"},
    )

    assert asked.context["step"].name == "mapping"
    assertContains(asked, "Which column is which?")
    assert (mapped.context["step"].name, mapped.context["step"].summary.new) == ("preview", 2)


def test_malformed_file_shows_rows_and_cannot_be_confirmed(world, client):
    client.force_login(world["people"]["coordinator"])
    bad = [Rec("140.1", "Ratify", ["Chile"], "Maybe"), Rec("140.1", "Adopt", ["Chile"])]
    upload = SimpleUploadedFile("export.csv", uhri_csv(bad), content_type="text/csv")

    response = client.post(_url(world), {"upload": "1", "file": upload})

    assertContains(response, "“Maybe” is not a position")
    assertContains(response, "paragraph 140.1 is also on row 2.")
    assert 'name="confirm"' not in response.content.decode()


def test_choosing_a_past_session_creates_the_previous_review(world, client):
    client.force_login(world["people"]["coordinator"])
    cycle3 = Cycle.objects.create(number=3, start_year=2017, end_year=2022)
    Session.objects.create(
        number=35, cycle=cycle3, wg_start=datetime.date(2020, 1, 20), wg_end=datetime.date(2020, 1, 31)
    )
    url = reverse("advocacy:import_choose", kwargs={"pk": world["coalition"].pk})

    response = client.post(url, {"state": world["review"].state.pk, "session": "35"})

    previous = Review.objects.get(state=world["review"].state, session__number=35)
    assert previous.status == "outcome_adopted"
    assert response.url == reverse("advocacy:import", kwargs={"pk": world["coalition"].pk, "review_pk": previous.pk})


def test_choosing_an_open_session_does_not_add_a_review(world, client):
    client.force_login(world["people"]["coordinator"])
    Session.objects.create(number=53, cycle=Cycle.objects.get(number=4))
    url = reverse("advocacy:import_choose", kwargs={"pk": world["coalition"].pk})

    response = client.post(url, {"state": world["review"].state.pk, "session": "53"})

    assertContains(response, "which has not closed yet")
    assert Review.objects.filter(session__number=53).count() == 0


def test_choosing_a_state_the_coalition_does_not_work_on_is_refused(world, client):
    client.force_login(world["people"]["coordinator"])
    url = reverse("advocacy:import_choose", kwargs={"pk": world["coalition"].pk})

    response = client.post(url, {"state": world["other_review"].state.pk, "session": "45"})

    assert response.context["form"].errors["state"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert Review.objects.filter(state=world["other_review"].state).count() == 1
