"""The rules the services keep whoever calls them: coordinators, member organisations, profiles, logos."""

import io

import pytest
from django.contrib.messages import Message, constants
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertMessages, assertRedirects

from coalitions import services
from coalitions.models import AuditEvent, Cluster, Coalition, CoalitionOrganisation, Membership, Organisation, Role
from coalitions.services.errors import CoalitionError
from tests.factories import MembershipFactory, OrganisationFactory, StateFactory, UserFactory

pytestmark = pytest.mark.django_db

LAST_COORDINATOR = (
    "The coordinator is the coalition's last coordinator. Make someone else coordinator first, "
    "so the coalition is never left without one."
)


def membership_state(membership: Membership) -> tuple[str, bool]:
    membership.refresh_from_db()
    return membership.role, membership.is_active


def audit_trail(coalition: Coalition) -> list[tuple[str, str, dict]]:
    return list(coalition.audit_events.order_by("pk").values_list("action", "subject", "details"))


# The last coordinator.


@pytest.mark.parametrize("role", [Role.CLUSTER_LEAD, Role.DRAFTER, Role.OBSERVER])
def test_membership_change_role_refuses_to_demote_the_last_coordinator(world, role):
    coordinator = world.memberships["coordinator"]
    trail = audit_trail(world.coalition)

    with pytest.raises(CoalitionError) as refused:
        services.membership_change_role(membership=coordinator, actor=coordinator.user, role=role)

    assert refused.value.messages == [LAST_COORDINATOR]
    assert membership_state(coordinator) == (Role.COORDINATOR, True)
    assert audit_trail(world.coalition) == trail


def test_membership_remove_refuses_the_last_coordinator(world):
    coordinator = world.memberships["coordinator"]
    trail = audit_trail(world.coalition)

    with pytest.raises(CoalitionError) as refused:
        services.membership_remove(membership=coordinator, actor=coordinator.user)

    assert refused.value.messages == [LAST_COORDINATOR]
    assert membership_state(coordinator) == (Role.COORDINATOR, True)
    assert audit_trail(world.coalition) == trail


def test_last_coordinator_stepping_down_in_the_directory_is_told_why(world, client):
    coordinator = world.memberships["coordinator"]
    client.force_login(coordinator.user)

    response = client.post(
        reverse("coalitions:change_role", args=[world.coalition.pk, coordinator.pk]), {"role": Role.DRAFTER}
    )

    assertRedirects(response, reverse("coalitions:directory", args=[world.coalition.pk]), fetch_redirect_response=False)
    assertMessages(response, [Message(constants.ERROR, LAST_COORDINATOR)])
    assert membership_state(coordinator) == (Role.COORDINATOR, True)


def test_membership_change_role_lets_one_of_two_coordinators_step_down(world):
    first = world.memberships["coordinator"]
    second = MembershipFactory(coalition=world.coalition, organisation=world.secretariat, role=Role.COORDINATOR)

    services.membership_change_role(membership=first, actor=first.user, role=Role.DRAFTER)

    assert membership_state(first) == (Role.DRAFTER, True)
    with pytest.raises(CoalitionError) as refused:
        services.membership_change_role(membership=second, actor=second.user, role=Role.DRAFTER)
    assert refused.value.messages == [
        f"{second.user} is the coalition's last coordinator. Make someone else coordinator first, "
        "so the coalition is never left without one."
    ]
    assert membership_state(second) == (Role.COORDINATOR, True)


def test_membership_remove_lets_one_of_two_coordinators_leave(world):
    first = world.memberships["coordinator"]
    MembershipFactory(coalition=world.coalition, organisation=world.secretariat, role=Role.COORDINATOR)

    services.membership_remove(membership=first, actor=first.user)

    assert membership_state(first) == (Role.COORDINATOR, False)


def test_inactive_coordinator_does_not_count_as_another_coordinator(world):
    coordinator = world.memberships["coordinator"]
    MembershipFactory(coalition=world.coalition, organisation=world.secretariat, role=Role.COORDINATOR, is_active=False)

    with pytest.raises(CoalitionError):
        services.membership_change_role(membership=coordinator, actor=coordinator.user, role=Role.DRAFTER)

    assert membership_state(coordinator) == (Role.COORDINATOR, True)


# Roles and removals are on the record.


def test_membership_change_role_is_recorded_with_old_and_new_role(world):
    coordinator = world.people["coordinator"]

    services.membership_change_role(membership=world.target, actor=coordinator, role=Role.CLUSTER_LEAD)

    event = world.coalition.audit_events.get(action=AuditEvent.Action.ROLE_CHANGED)
    assert (event.actor, event.subject, event.details) == (
        coordinator,
        "Tariq Target",
        {"old": Role.DRAFTER, "new": Role.CLUSTER_LEAD},
    )
    assert membership_state(world.target) == (Role.CLUSTER_LEAD, True)


def test_membership_change_role_to_the_same_role_records_nothing(world):
    trail = audit_trail(world.coalition)

    services.membership_change_role(membership=world.target, actor=world.people["coordinator"], role=Role.DRAFTER)

    assert audit_trail(world.coalition) == trail


def test_membership_change_role_refuses_an_unknown_role(world):
    with pytest.raises(CoalitionError) as refused:
        services.membership_change_role(membership=world.target, actor=world.people["coordinator"], role="owner")

    assert refused.value.messages == ["Choose one of the roles offered."]
    assert membership_state(world.target) == (Role.DRAFTER, True)


def test_membership_remove_is_recorded_and_keeps_the_row(world):
    coordinator = world.people["coordinator"]

    services.membership_remove(membership=world.target, actor=coordinator)

    assert membership_state(world.target) == (Role.DRAFTER, False)
    event = world.coalition.audit_events.get(action=AuditEvent.Action.MEMBER_REMOVED)
    assert (event.actor, event.subject, event.details) == (coordinator, "Tariq Target", {"role": Role.DRAFTER})


# Member organisations.


def test_coalition_organisation_remove_refuses_the_secretariat(world):
    secretariat = CoalitionOrganisation.objects.get(coalition=world.coalition, organisation=world.secretariat)

    with pytest.raises(CoalitionError) as refused:
        services.coalition_organisation_remove(member=secretariat, actor=world.people["coordinator"])

    assert refused.value.messages == ["The secretariat cannot leave its own coalition."]
    secretariat.refresh_from_db()
    assert (secretariat.status, secretariat.left_on) == (CoalitionOrganisation.Status.ACTIVE, None)


def test_coalition_organisation_remove_refuses_an_organisation_with_active_people(world):
    with pytest.raises(CoalitionError) as refused:
        services.coalition_organisation_remove(member=world.member_b, actor=world.people["coordinator"])

    assert refused.value.messages == ["People still take part through Beta Legal Aid (BLA): remove them first."]
    world.member_b.refresh_from_db()
    assert world.member_b.status == CoalitionOrganisation.Status.ACTIVE


def test_coalition_organisation_remove_accepts_an_organisation_whose_people_have_left(world):
    coordinator = world.people["coordinator"]
    person = MembershipFactory(coalition=world.coalition, organisation=world.org_a, role=Role.DRAFTER)
    services.membership_remove(membership=person, actor=coordinator)

    services.coalition_organisation_remove(member=world.member_a, actor=coordinator)

    world.member_a.refresh_from_db()
    assert world.member_a.status == CoalitionOrganisation.Status.LEFT
    event = world.coalition.audit_events.get(action=AuditEvent.Action.ORGANISATION_REMOVED)
    assert (event.actor, event.subject) == (coordinator, "Alpha Rights Watch (ARW)")


def test_people_of_an_organisation_in_another_coalition_do_not_keep_it_here(world):
    MembershipFactory(coalition=world.other, organisation=world.org_a, role=Role.DRAFTER)

    services.coalition_organisation_remove(member=world.member_a, actor=world.people["coordinator"])

    world.member_a.refresh_from_db()
    assert world.member_a.status == CoalitionOrganisation.Status.LEFT


# Organisation profiles.


def words(count: int) -> str:
    return " ".join(["advocacy"] * count)


def new_organisation(**fields) -> Organisation:
    return services.organisation_create(
        name="Epsilon Housing Rights", kind=Organisation.Kind.NGO, city="Quito", country=StateFactory(), **fields
    )


def test_organisation_create_refuses_a_description_over_200_words():
    with pytest.raises(ValidationError) as refused:
        new_organisation(description=words(201))

    assert refused.value.message_dict == {"description": ["Keep this to 200 words or fewer: it has 201 words."]}
    assert Organisation.objects.filter(name="Epsilon Housing Rights").exists() is False


def test_organisation_create_accepts_a_description_of_200_words():
    organisation = new_organisation(description=words(200))

    assert Organisation.objects.get(pk=organisation.pk).description == words(200)


# Coalition logos.


def png(size: tuple[int, int] = (64, 32)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def create_with_logo(logo) -> Coalition:
    creator = UserFactory()
    return services.coalition_create(
        creator=creator, secretariat=OrganisationFactory(), name="Zeta Coalition", logo=logo
    )


@pytest.mark.usefixtures("media_root")
def test_coalition_create_refuses_a_logo_over_1_mb():
    two_megabytes = png() + b"\0" * (2 * 1024 * 1024 - len(png()))
    logo = SimpleUploadedFile("logo.png", two_megabytes, content_type="image/png")

    with pytest.raises(ValidationError) as refused:
        create_with_logo(logo)

    assert refused.value.message_dict == {"logo": ["The logo is 2.0\xa0MB; upload an image of at most 1.0\xa0MB."]}
    assert Coalition.objects.filter(name="Zeta Coalition").exists() is False


@pytest.mark.usefixtures("media_root")
def test_coalition_create_refuses_an_svg_logo():
    logo = SimpleUploadedFile("logo.svg", SVG, content_type="image/svg+xml")

    with pytest.raises(ValidationError) as refused:
        create_with_logo(logo)

    assert refused.value.message_dict == {"logo": ["Upload the logo as a PNG, JPEG or WebP image."]}
    assert Coalition.objects.filter(name="Zeta Coalition").exists() is False


def test_coalition_create_accepts_a_small_png_logo(media_root):
    coalition = create_with_logo(SimpleUploadedFile("logo.png", png(), content_type="image/png"))

    coalition.refresh_from_db()
    assert coalition.logo.name == "coalition-logos/logo.png"
    assert (media_root / "coalition-logos" / "logo.png").read_bytes() == png()
    membership = coalition.memberships.get()
    assert (membership.role, membership.organisation) == (Role.COORDINATOR, coalition.secretariat)
    assert list(coalition.member_organisations.values_list("organisation", "status")) == [
        (coalition.secretariat_id, CoalitionOrganisation.Status.ACTIVE)
    ]


def test_removing_an_organisation_takes_it_out_of_its_clusters(world):
    cluster = Cluster.objects.get(coalition=world.coalition, lead_organisation=world.org_a)
    assert world.org_a in cluster.organisations.all()
    member = CoalitionOrganisation.objects.get(coalition=world.coalition, organisation=world.org_a)

    services.coalition_organisation_remove(member=member, actor=world.people["coordinator"])

    cluster.refresh_from_db()
    assert cluster.lead_organisation is None
    assert world.org_a not in cluster.organisations.all()


def test_forgetting_memberships_reaches_a_lazy_request_user(world):
    from django.utils.functional import SimpleLazyObject

    from coalitions.rules import forget_memberships, memberships_of

    user = world.people["drafter"]
    lazy = SimpleLazyObject(lambda: user)
    assert world.coalition.pk in memberships_of(lazy)
    Membership.objects.filter(user=user).update(is_active=False)

    forget_memberships(lazy)

    assert memberships_of(lazy) == {}


def test_new_coalition_with_a_secretariat_name_already_used_says_nothing_of_it(client):
    # Anyone signed in may create a coalition: a refusal of a taken name would list who uses the portal.
    existing = OrganisationFactory(name="Centre for Civil Rights")
    client.force_login(UserFactory())

    response = client.post(
        reverse("coalitions:create"),
        {
            "name": "Coalition for Open Data",
            "org_name": "centre for civil rights",
            "org_kind": Organisation.Kind.NGO,
            "org_city": "Lusaka",
            "org_country": StateFactory().pk,
        },
    )

    coalition = Coalition.objects.get(name="Coalition for Open Data")
    assertRedirects(response, reverse("coalitions:home", args=[coalition.pk]), fetch_redirect_response=False)
    assert coalition.secretariat != existing
    assert (coalition.secretariat.name, coalition.secretariat.city) == ("centre for civil rights", "Lusaka")


def test_organisation_name_with_a_line_break_is_refused_by_the_service():
    with pytest.raises(ValidationError) as refused:
        services.organisation_create(
            name="Alpha\r\nRights", kind=Organisation.Kind.NGO, city="Quito", country=StateFactory()
        )

    assert refused.value.message_dict == {
        "name": [
            "Write this on one line, without line breaks or tabs: it contains an invisible control character "
            "(often copied along with text from another program)."
        ]
    }
