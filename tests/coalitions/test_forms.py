"""What the coalition forms offer and refuse before any service runs."""

import datetime
import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image

from coalitions.forms import (
    AcceptInvitationForm,
    ClusterForm,
    CoalitionForm,
    DirectoryFilterForm,
    InvitationForm,
    OrganisationForm,
)
from coalitions.models import CoalitionOrganisation
from tests.coalitions.conftest import add_organisation
from tests.factories import ReviewFactory, SessionFactory, StateFactory

pytestmark = pytest.mark.django_db

ONE_LINE_ERROR = (
    "Write this on one line, without line breaks or tabs: it contains an invisible control character "
    "(often copied along with text from another program)."
)


def image_file(name: str, image_format: str, size: tuple[int, int] = (40, 20), noise: bool = False):
    if noise:
        # Random pixels do not compress, so the file stays as large as the picture.
        pixels = random.Random(7).randbytes(size[0] * size[1] * 3)
        image = Image.frombytes("RGB", size, pixels)
    else:
        image = Image.new("RGB", size, (200, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def coalition_form(world, logo) -> CoalitionForm:
    data = {"name": world.coalition.name, "acronym": "", "description": ""}
    return CoalitionForm(data, {"logo": logo}, instance=world.coalition)


# Which organisations a coordinator may pick.


def offered_organisations(form) -> list[str]:
    return [str(organisation) for organisation in form.fields["organisation"].queryset]


def test_invitation_form_offers_the_coalitions_organisations(world):
    form = InvitationForm(coalition=world.coalition)

    assert offered_organisations(form) == [str(world.org_a), str(world.org_b), str(world.secretariat)]


def test_invitation_form_does_not_offer_an_organisation_that_left_this_coalition(world):
    CoalitionOrganisation.objects.filter(pk=world.member_a.pk).update(status=CoalitionOrganisation.Status.LEFT)

    form = InvitationForm(coalition=world.coalition)

    assert offered_organisations(form) == [str(world.org_b), str(world.secretariat)]


def test_invitation_form_offers_an_organisation_that_left_another_coalition(world):
    """Leaving coalition Y must not hide an organisation from coalition X's forms."""
    add_organisation(world.other, world.org_a)
    CoalitionOrganisation.objects.filter(coalition=world.other, organisation=world.org_a).update(
        status=CoalitionOrganisation.Status.LEFT
    )

    form = InvitationForm(coalition=world.coalition)

    assert offered_organisations(form) == [str(world.org_a), str(world.org_b), str(world.secretariat)]


def test_cluster_form_offers_an_organisation_that_left_another_coalition(world):
    add_organisation(world.other, world.org_a)
    CoalitionOrganisation.objects.filter(coalition=world.other, organisation=world.org_a).update(
        status=CoalitionOrganisation.Status.LEFT
    )

    form = ClusterForm(coalition=world.coalition)

    assert [str(o) for o in form.fields["lead_organisation"].queryset] == [
        str(world.org_a),
        str(world.org_b),
        str(world.secretariat),
    ]


def test_invitation_form_needs_an_organisation_or_a_new_one(world):
    form = InvitationForm({"email": "x@example.org", "role": "drafter", "org_kind": "ngo"}, coalition=world.coalition)

    assert form.errors == {
        "organisation": [
            "Choose a member organisation, or give the name, city and country of a new organisation below."
        ]
    }


def test_invitation_form_says_nothing_of_a_name_another_coalition_uses(world):
    # Whether an organisation is in the portal is not the inviter's to learn (coalitions/selectors.py,
    # organisation_matching): the form takes the name like any other.
    data = {
        "email": "x@example.org",
        "role": "drafter",
        "org_kind": "ngo",
        "org_name": world.other_member.organisation.name.upper(),
        "org_city": "Lomé",
        "org_country": world.org_a.country_id,
    }

    form = InvitationForm(data, coalition=world.coalition)

    assert (form.errors, form.new_organisation_fields()["name"]) == ({}, data["org_name"])


@pytest.mark.parametrize(
    ("field", "value"),
    [("full_name", "Nadia\r\nBcc: everyone@example.org"), ("org_name", "Alpha\tRights"), ("org_city", "Lo\x9bmé")],
    ids=["name-crlf", "organisation-tab", "city-c1-control"],
)
def test_invitation_form_refuses_control_characters_in_names(world, field, value):
    data = {"email": "x@example.org", "role": "drafter", "org_kind": "ngo", "org_name": "New Org", "org_city": "Lomé"}
    data |= {"org_country": world.org_a.country_id, field: value}

    form = InvitationForm(data, coalition=world.coalition)

    assert form.errors == {field: [ONE_LINE_ERROR]}


def test_accept_form_refuses_a_line_break_in_the_name():
    form = AcceptInvitationForm(
        {
            "full_name": "Nadia\nDiallo",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
        email="nadia@example.org",
    )

    assert form.errors == {"full_name": [ONE_LINE_ERROR]}


def test_invitation_form_refuses_an_organisation_of_another_coalition(world):
    data = {
        "email": "x@example.org",
        "role": "drafter",
        "org_kind": "ngo",
        "organisation": world.other_member.organisation_id,
    }

    form = InvitationForm(data, coalition=world.coalition)

    assert form.errors == {
        "organisation": [
            "Select a valid choice. That choice is not one of the available choices.",
            "Choose a member organisation, or give the name, city and country of a new organisation below.",
        ]
    }


def test_directory_filter_refuses_a_cluster_of_another_coalition(world):
    form = DirectoryFilterForm({"cluster": world.other_cluster.pk}, coalition=world.coalition)

    assert form.errors == {"cluster": ["Select a valid choice. That choice is not one of the available choices."]}


# Profiles and logos.


def test_organisation_form_refuses_a_description_over_200_words(world):
    data = {
        "name": world.org_b.name,
        "kind": world.org_b.kind,
        "city": world.org_b.city,
        "country": world.org_b.country_id,
        "description": " ".join(["monitoring"] * 250),
    }

    form = OrganisationForm(data, instance=world.org_b)

    assert form.errors == {"description": ["Keep this to 200 words or fewer: it has 250 words."]}


def test_coalition_form_refuses_a_real_image_over_1_mb(world):
    logo = image_file("big.png", "PNG", size=(800, 800), noise=True)
    assert logo.size > 1024 * 1024

    form = coalition_form(world, logo)

    assert form.errors == {
        "logo": [f"The logo is {filesizeformat(logo.size)}; upload an image of at most {filesizeformat(1024 * 1024)}."]
    }


def test_coalition_form_refuses_a_gif_logo(world):
    form = coalition_form(world, image_file("logo.gif", "GIF"))

    assert form.errors == {"logo": ["Upload the logo as a PNG, JPEG or WebP image."]}


def test_coalition_form_refuses_an_svg_logo(world):
    svg = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', content_type="image/svg+xml")

    form = coalition_form(world, svg)

    assert form.errors == {"logo": ["Upload the logo as a PNG, JPEG or WebP image."]}


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP"])
def test_coalition_form_accepts_a_small_logo(world, image_format):
    form = coalition_form(world, image_file(f"logo.{image_format.lower()}", image_format))

    assert form.errors == {}


# A new account from an invitation.


def test_accept_form_refuses_two_different_passwords():
    form = AcceptInvitationForm(
        {"full_name": "Nadia", "password1": "a long and unusual passphrase", "password2": "another one entirely"},
        email="nadia@example.org",
    )

    assert form.errors == {"password2": ["The two passwords are not the same."]}


def test_accept_form_refuses_a_password_like_the_email_address():
    form = AcceptInvitationForm(
        {"full_name": "Nadia", "password1": "nadia.example", "password2": "nadia.example"},
        email="nadia.example@example.org",
    )

    assert form.errors == {"password1": ["The password is too similar to the email address."]}


def test_coalition_form_offers_upcoming_reviews_in_date_order_and_keeps_a_chosen_past_one(world):
    today = datetime.date.today()

    def review(name: str, number: int, start: datetime.date):
        session = SessionFactory(number=number, wg_start=start, wg_end=start + datetime.timedelta(days=11))
        return ReviewFactory(state=StateFactory(name=name), session=session)

    later = review("Later", 61, today + datetime.timedelta(days=300))
    past_chosen = review("Past and chosen", 62, today - datetime.timedelta(days=400))
    review("Past", 63, today - datetime.timedelta(days=60))
    sooner = review("Sooner", 64, today + datetime.timedelta(days=90))
    world.coalition.reviews.set([past_chosen])

    offered = list(CoalitionForm(instance=world.coalition).fields["reviews"].queryset)

    # Past sessions are not offered, except the one the coalition already works on (saving keeps it).
    assert [r for r in offered if r in (later, past_chosen, sooner)] == [past_chosen, sooner, later]
    assert [r.state.name for r in offered if r.state.name == "Past"] == []
