"""The admin's "Import recommendations" on a review: upload, preview, confirm; and the new lists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains

from reviews.models import RecommendationImport, Review, UPRRecommendation
from tests.reviews.recommendation_files import sample, thematic_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(reference_data) -> Review:
    return Review.objects.get(state__code="KEN", session__number__lt=50)


def _url(review) -> str:
    return reverse("admin:reviews_review_import_recommendations", args=[review.pk])


def test_admin_import_previews_then_confirms(superuser_client, review):
    upload = SimpleUploadedFile("list.docx", thematic_list(sample(6)))

    preview = superuser_client.post(_url(review), {"upload": "1", "file": upload})
    step = preview.context["step"]
    assert UPRRecommendation.objects.count() == 0
    confirmed = superuser_client.post(_url(review), {"confirm": "1", "token": step.token})

    assert (step.name, step.summary.new, step.summary.supported, step.summary.noted, step.summary.links) == (
        "preview",
        6,
        4,
        2,
        7,
    )
    assertContains(preview, "Nothing is saved yet.")
    assertContains(preview, "Take measure number 6 to protect the rights of children")
    assert confirmed.url == reverse("admin:reviews_uprrecommendation_changelist") + f"?review__id__exact={review.pk}"
    assert UPRRecommendation.objects.filter(review=review).count() == 6
    assert RecommendationImport.objects.get().file_format == "docx"
    # Confirming forgets the upload: a second confirm finds nothing to import.
    again = superuser_client.post(_url(review), {"confirm": "1", "token": step.token})
    assertContains(again, "no longer here")
    assert RecommendationImport.objects.count() == 1


def test_admin_action_opens_the_import_of_one_review(superuser_client, review):
    response = superuser_client.post(
        reverse("admin:reviews_review_changelist"),
        {"action": "import_recommendations", "_selected_action": [review.pk]},
    )

    assert response.url == _url(review)


@pytest.mark.parametrize("name", ["uprrecommendation", "indexterm", "statealias", "recommendationimport"])
def test_admin_lists_open_with_their_rows(superuser_client, review, name):
    UPRRecommendation.objects.create(review=review, paragraph="140.1", text="Ratify the OP-CAT")

    response = superuser_client.get(reverse(f"admin:reviews_{name}_changelist") + "?q=a")

    assert response.context["cl"].model._meta.model_name == name


def test_admin_import_needs_the_permission(client, django_user_model, review):
    from tests.factories.accounts import sign_in_with_two_factor

    staff = django_user_model.objects.create_user(email="staff@example.org", password="pw-staff-123", is_staff=True)
    sign_in_with_two_factor(client, staff)

    assert client.get(_url(review)).status_code == 403
