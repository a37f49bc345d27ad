"""docs/permissions.md is the contract: every cell of its matrix is one test here.

The table is read when this module is imported, so a new row or column in the document is a new
test at once; a row without a request spec below fails instead of passing unnoticed.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertRedirects

from coalitions.access import REFUSALS
from coalitions.models import (
    AuditEvent,
    Cluster,
    Coalition,
    CoalitionOrganisation,
    Invitation,
    Membership,
    Organisation,
    Role,
)
from deadlines.models import CoalitionReminderSettings
from tests.coalitions.conftest import World
from tests.permissions_matrix import parse_matrix, read_matrix

pytestmark = pytest.mark.django_db

MISSING = 999_999


ROLES, MATRIX = read_matrix("matrix")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]
CELL_IDS = [f"{action}-{role}" for action, role, _outcome in CELLS]


def database_state() -> dict:
    """Everything a coalition page could change: compared before and after every refused request."""
    return {
        "coalitions": list(
            Coalition.objects.order_by("pk").values_list("pk", "name", "acronym", "description", "require_two_factor")
        ),
        "organisations": list(Organisation.objects.order_by("pk").values_list("pk", "name", "acronym", "city")),
        "member organisations": list(
            CoalitionOrganisation.objects.order_by("pk").values_list("pk", "status", "left_on")
        ),
        "memberships": list(Membership.objects.order_by("pk").values_list("pk", "role", "is_active")),
        "clusters": list(Cluster.objects.order_by("pk").values_list("pk", "name", "lead_organisation_id")),
        "invitations": list(Invitation.objects.order_by("pk").values_list("pk", "status", "key")),
        "audit events": AuditEvent.objects.count(),
    }


# What one action of the matrix is, as a request.


@dataclass(frozen=True)
class Spec:
    """How to attempt one action of the matrix, and how to tell that it happened.

    ``rule`` names the rule whose explanation (coalitions/access.py REFUSALS) a 403 shows. For a GET,
    ``shows`` gives the texts a page that answers 200 must contain. For a POST, ``snapshot`` reads the
    state the action changes, ``redirects_to`` where a success sends the person, and ``check`` asserts
    the change itself.
    """

    method: str
    url: Callable[[World], str]
    rule: str | None = None
    shows: Callable[[World, str], list[str]] | None = None
    data: Callable[[World], dict] = field(default=lambda world: {})
    snapshot: Callable[[World], object] | None = None
    redirects_to: Callable[[World], str] | None = None
    check: Callable[[World, str], None] | None = None


def coalition_url(name: str) -> Callable[[World], str]:
    return lambda world: reverse(f"coalitions:{name}", args=[world.coalition.pk])


NEW_COALITION = "Coalition for the Right to Water"
NEW_SECRETARIAT = "Water Rights Network"
NEW_INVITEE = "new.person@example.org"


def _check_coalition_created(world: World, role: str) -> None:
    coalition = Coalition.objects.get(name=NEW_COALITION)
    assert coalition.secretariat.name == NEW_SECRETARIAT
    assert list(coalition.memberships.values_list("user__email", "role", "is_active")) == [
        (world.people[role].email, Role.COORDINATOR, True)
    ]


def _check_coalition_changed(world: World, role: str) -> None:
    world.coalition.refresh_from_db()
    assert (world.coalition.name, world.coalition.acronym) == ("Child Rights Coalition", "CRC")


def _check_two_factor_required(world: World, role: str) -> None:
    world.coalition.refresh_from_db()
    assert world.coalition.require_two_factor is True


def _check_reminder_settings_changed(world: World, role: str) -> None:
    settings = CoalitionReminderSettings.objects.get(coalition=world.coalition)
    assert (settings.offsets, settings.remind_overdue, settings.send_digest) == ([21, 7, 2], False, True)


def _check_role_changed(world: World, role: str) -> None:
    world.target.refresh_from_db()
    assert (world.target.role, world.target.is_active) == (Role.REVIEWER, True)


def _check_member_removed(world: World, role: str) -> None:
    world.target.refresh_from_db()
    assert world.target.is_active is False


def _check_organisation_left(world: World, role: str) -> None:
    world.member_a.refresh_from_db()
    assert (world.member_a.status, world.member_a.left_on) == (
        CoalitionOrganisation.Status.LEFT,
        timezone.localdate(),
    )


def _check_cluster_added(world: World, role: str) -> None:
    cluster = Cluster.objects.get(coalition=world.coalition, name="Right to health")
    assert cluster.lead_organisation == world.org_a
    assert set(cluster.organisations.all()) == {world.org_a, world.org_b}


def _check_cluster_b_renamed(world: World, role: str) -> None:
    world.cluster_b.refresh_from_db()
    assert world.cluster_b.name == "B's renamed cluster"


def _check_cluster_a_renamed(world: World, role: str) -> None:
    world.cluster_a.refresh_from_db()
    assert world.cluster_a.name == "A's renamed cluster"


def _check_cluster_deleted(world: World, role: str) -> None:
    # The cluster lead's own cluster: if they may not delete that one, they may delete none.
    assert list(world.coalition.clusters.values_list("name", flat=True)) == ["A's cluster"]


def _check_invited(world: World, role: str) -> None:
    invitation = Invitation.objects.get(coalition=world.coalition, email=NEW_INVITEE)
    assert (invitation.status, invitation.organisation, invitation.role, invitation.invited_by) == (
        Invitation.Status.PENDING,
        world.org_a,
        Role.DRAFTER,
        world.people[role],
    )
    assert [message.to for message in mail.outbox] == [[NEW_INVITEE]]


def _check_resent(world: World, role: str) -> None:
    old_key = world.invitation.key
    world.invitation.refresh_from_db()
    assert world.invitation.status == Invitation.Status.PENDING
    assert world.invitation.key != old_key
    assert [message.to for message in mail.outbox] == [[world.invitation.email]]


def _check_revoked(world: World, role: str) -> None:
    world.invitation.refresh_from_db()
    assert world.invitation.status == Invitation.Status.REVOKED


def _check_organisation_renamed(world: World, role: str) -> None:
    world.org_b.refresh_from_db()
    assert world.org_b.name == "Beta Legal Aid Network"


def _cluster_data(name: str, lead: Organisation, *others: Organisation) -> dict:
    return {"name": name, "lead_organisation": lead.pk, "organisations": [o.pk for o in (lead, *others)]}


SPECS: dict[str, Spec] = {
    "list my coalitions": Spec(
        "GET",
        lambda world: reverse("coalitions:mine"),
        shows=lambda world, role: [escape(world.other.name if role == "outsider" else world.coalition.name)],
    ),
    "create a coalition": Spec(
        "POST",
        lambda world: reverse("coalitions:create"),
        data=lambda world: {
            "name": NEW_COALITION,
            "acronym": "CRW",
            "description": "",
            "org_name": NEW_SECRETARIAT,
            "org_kind": Organisation.Kind.NETWORK,
            "org_city": "Lima",
            "org_country": world.org_a.country_id,
        },
        snapshot=lambda world: list(Coalition.objects.order_by("pk").values_list("name", flat=True)),
        redirects_to=lambda world: reverse("coalitions:home", args=[Coalition.objects.get(name=NEW_COALITION).pk]),
        check=_check_coalition_created,
    ),
    "view the coalition home": Spec(
        "GET",
        coalition_url("home"),
        shows=lambda world, role: [escape(world.coalition.name), escape(str(world.secretariat))],
    ),
    "view the coalition timeline": Spec(
        "GET",
        lambda world: reverse("deadlines:timeline", args=[world.coalition.pk]),
        shows=lambda world, role: [escape(world.coalition.name), "Deadlines and milestones", 'aria-current="date"'],
    ),
    "change the coalition's details": Spec(
        "POST",
        coalition_url("edit"),
        rule="coalitions.change_coalition",
        data=lambda world: {"name": "Child Rights Coalition", "acronym": "CRC", "description": "Renamed."},
        snapshot=lambda world: Coalition.objects.filter(pk=world.coalition.pk).values_list("name", "acronym").get(),
        redirects_to=coalition_url("home"),
        check=_check_coalition_changed,
    ),
    "require two-factor sign-in of the members": Spec(
        "POST",
        coalition_url("two_factor"),
        rule="coalitions.require_two_factor",
        data=lambda world: {"require_two_factor": "on"},
        snapshot=lambda world: Coalition.objects.filter(pk=world.coalition.pk).values_list("require_two_factor").get(),
        redirects_to=coalition_url("edit"),
        check=_check_two_factor_required,
    ),
    "change the coalition's reminder settings": Spec(
        "POST",
        lambda world: reverse("deadlines:coalition_reminders", args=[world.coalition.pk]),
        rule="deadlines.change_reminder_settings",
        data=lambda world: {"offsets": "21, 7, 2", "remind_overdue": "", "send_digest": "on"},
        snapshot=lambda world: list(
            CoalitionReminderSettings.objects.filter(coalition=world.coalition).values_list(
                "offsets", "remind_overdue", "send_digest"
            )
        ),
        redirects_to=lambda world: reverse("deadlines:coalition_reminders", args=[world.coalition.pk]),
        check=_check_reminder_settings_changed,
    ),
    "view the activity log": Spec(
        "GET",
        coalition_url("activity"),
        rule="coalitions.view_audit_log",
        shows=lambda world, role: [f"created the coalition {escape(world.coalition.name)}"],
    ),
    "view the sent mail": Spec(
        "GET",
        coalition_url("mail"),
        rule="coalitions.view_mail",
        shows=lambda world, role: [f"<td>{world.invitation.email}</td>", "<td>Invitation</td>", "Waiting to be sent"],
    ),
    "view the member directory": Spec(
        "GET",
        coalition_url("directory"),
        shows=lambda world, role: [world.target.user.email, escape(str(world.org_b))],
    ),
    "view the member organisations": Spec(
        "GET",
        coalition_url("member_organisations"),
        shows=lambda world, role: [escape(str(world.org_a)), escape(str(world.org_b))],
    ),
    "open a member's role page": Spec(
        "GET",
        lambda world: reverse("coalitions:change_role", args=[world.coalition.pk, world.target.pk]),
        rule="coalitions.manage_members",
        shows=lambda world, role: ["Role of Tariq Target", '<option value="drafter" selected>'],
    ),
    "change a member's role": Spec(
        "POST",
        lambda world: reverse("coalitions:change_role", args=[world.coalition.pk, world.target.pk]),
        rule="coalitions.manage_members",
        data=lambda world: {"role": Role.REVIEWER},
        snapshot=lambda world: Membership.objects.filter(pk=world.target.pk).values_list("role", "is_active").get(),
        redirects_to=coalition_url("directory"),
        check=_check_role_changed,
    ),
    "remove a member": Spec(
        "POST",
        lambda world: reverse("coalitions:remove_member", args=[world.coalition.pk, world.target.pk]),
        rule="coalitions.manage_members",
        snapshot=lambda world: Membership.objects.filter(pk=world.target.pk).values_list("role", "is_active").get(),
        redirects_to=coalition_url("directory"),
        check=_check_member_removed,
    ),
    "remove a member organisation": Spec(
        "POST",
        lambda world: reverse("coalitions:remove_organisation", args=[world.coalition.pk, world.member_a.pk]),
        rule="coalitions.manage_members",
        snapshot=lambda world: (
            CoalitionOrganisation.objects.filter(pk=world.member_a.pk).values_list("status", "left_on").get()
        ),
        redirects_to=coalition_url("directory"),
        check=_check_organisation_left,
    ),
    "view the clusters": Spec(
        "GET",
        coalition_url("clusters"),
        shows=lambda world, role: [escape("A's cluster"), escape("B's cluster")],
    ),
    "add a cluster": Spec(
        "POST",
        coalition_url("cluster_create"),
        rule="coalitions.add_cluster",
        data=lambda world: _cluster_data("Right to health", world.org_a, world.org_b),
        snapshot=lambda world: list(world.coalition.clusters.order_by("pk").values_list("name", flat=True)),
        redirects_to=coalition_url("clusters"),
        check=_check_cluster_added,
    ),
    "change the cluster they lead": Spec(
        "POST",
        lambda world: reverse("coalitions:cluster_edit", args=[world.coalition.pk, world.cluster_b.pk]),
        rule="coalitions.change_cluster",
        data=lambda world: _cluster_data("B's renamed cluster", world.org_b),
        snapshot=lambda world: Cluster.objects.filter(pk=world.cluster_b.pk).values_list("name", flat=True).get(),
        redirects_to=coalition_url("clusters"),
        check=_check_cluster_b_renamed,
    ),
    "change another cluster": Spec(
        "POST",
        lambda world: reverse("coalitions:cluster_edit", args=[world.coalition.pk, world.cluster_a.pk]),
        rule="coalitions.change_cluster",
        data=lambda world: _cluster_data("A's renamed cluster", world.org_a),
        snapshot=lambda world: Cluster.objects.filter(pk=world.cluster_a.pk).values_list("name", flat=True).get(),
        redirects_to=coalition_url("clusters"),
        check=_check_cluster_a_renamed,
    ),
    "delete a cluster": Spec(
        "POST",
        lambda world: reverse("coalitions:cluster_delete", args=[world.coalition.pk, world.cluster_b.pk]),
        rule="coalitions.delete_cluster",
        snapshot=lambda world: list(world.coalition.clusters.order_by("pk").values_list("name", flat=True)),
        redirects_to=coalition_url("clusters"),
        check=_check_cluster_deleted,
    ),
    "view the invitations": Spec(
        "GET",
        coalition_url("invitations"),
        rule="coalitions.manage_invitations",
        shows=lambda world, role: [world.invitation.email, "Invite someone"],
    ),
    "invite a person": Spec(
        "POST",
        coalition_url("invitation_create"),
        rule="coalitions.manage_invitations",
        data=lambda world: {
            "email": NEW_INVITEE,
            "full_name": "Nadia Newcomer",
            "role": Role.DRAFTER,
            "organisation": world.org_a.pk,
            "org_kind": Organisation.Kind.NGO,
            "message": "",
        },
        snapshot=lambda world: list(world.coalition.invitations.order_by("pk").values_list("email", "status")),
        redirects_to=coalition_url("invitations"),
        check=_check_invited,
    ),
    "resend an invitation": Spec(
        "POST",
        lambda world: reverse("coalitions:invitation_resend", args=[world.coalition.pk, world.invitation.pk]),
        rule="coalitions.manage_invitations",
        snapshot=lambda world: Invitation.objects.filter(pk=world.invitation.pk).values_list("status", "key").get(),
        redirects_to=coalition_url("invitations"),
        check=_check_resent,
    ),
    "withdraw an invitation": Spec(
        "POST",
        lambda world: reverse("coalitions:invitation_revoke", args=[world.coalition.pk, world.invitation.pk]),
        rule="coalitions.manage_invitations",
        snapshot=lambda world: Invitation.objects.filter(pk=world.invitation.pk).values_list("status", "key").get(),
        redirects_to=coalition_url("invitations"),
        check=_check_revoked,
    ),
    "view a member organisation's profile": Spec(
        "GET",
        lambda world: reverse("coalitions:organisation", args=[world.org_a.pk]),
        shows=lambda world, role: [escape(str(world.org_a)), escape(world.coalition.name)],
    ),
    "change their own organisation's profile": Spec(
        "POST",
        lambda world: reverse("coalitions:organisation_edit", args=[world.org_b.pk]),
        rule="coalitions.change_organisation",
        data=lambda world: {
            "name": "Beta Legal Aid Network",
            "acronym": world.org_b.acronym,
            "kind": world.org_b.kind,
            "city": world.org_b.city,
            "country": world.org_b.country_id,
            "website": "",
            "contact_email": "",
            "description": "Free legal aid.",
        },
        snapshot=lambda world: Organisation.objects.filter(pk=world.org_b.pk).values_list("name", flat=True).get(),
        redirects_to=lambda world: reverse("coalitions:organisation", args=[world.org_b.pk]),
        check=_check_organisation_renamed,
    ),
}

# The page a person opens before sending an action's form: it answers as the action does.
FORM_PAGES: dict[str, tuple[Callable[[World], str], Callable[[World], list[str]]]] = {
    "create a coalition": (SPECS["create a coalition"].url, lambda world: ["Create a coalition"]),
    "change the coalition's details": (
        SPECS["change the coalition's details"].url,
        lambda world: ["Coalition settings"],
    ),
    "change the coalition's reminder settings": (
        SPECS["change the coalition's reminder settings"].url,
        lambda world: ["Remind this many days before each deadline", 'value="30, 14, 7, 3, 1"'],
    ),
    "remove a member": (
        SPECS["remove a member"].url,
        lambda world: [f"Remove {escape(world.target.user.full_name)} from the coalition?", ">Remove</button>"],
    ),
    "remove a member organisation": (
        SPECS["remove a member organisation"].url,
        lambda world: [f"Remove {escape(str(world.org_a))} from the coalition?", ">Remove the organisation</button>"],
    ),
    "add a cluster": (SPECS["add a cluster"].url, lambda world: ["Add a cluster", 'value="Save the cluster"']),
    "change the cluster they lead": (
        SPECS["change the cluster they lead"].url,
        lambda world: [f"Edit the cluster {escape(world.cluster_b.name)}", 'value="Save the cluster"'],
    ),
    "change another cluster": (
        SPECS["change another cluster"].url,
        lambda world: [f"Edit the cluster {escape(world.cluster_a.name)}", 'value="Save the cluster"'],
    ),
    "delete a cluster": (
        SPECS["delete a cluster"].url,
        lambda world: [f"Delete the cluster {escape(world.cluster_b.name)}?", ">Delete</button>"],
    ),
    "invite a person": (SPECS["invite a person"].url, lambda world: ['value="Send the invitation"']),
    "withdraw an invitation": (
        SPECS["withdraw an invitation"].url,
        lambda world: [f"Withdraw the invitation to {world.invitation.email}?", ">Withdraw</button>"],
    ),
    "change their own organisation's profile": (
        SPECS["change their own organisation's profile"].url,
        lambda world: [f"Edit the profile of {escape(world.org_b.name)}"],
    ),
}
PAGE_CELLS = [cell for cell in CELLS if cell[0] in FORM_PAGES]
PAGE_CELL_IDS = [f"{action} (page)-{role}" for action, role, _outcome in PAGE_CELLS]


def login_url(next_url: str) -> str:
    return f"{resolve_url('login')}?{urlencode({'next': next_url}, safe='/')}"


def assert_refused(response, outcome: str, url: str, rule: str | None) -> None:
    if outcome == "login":
        assertRedirects(response, login_url(url), fetch_redirect_response=False)
    elif outcome == "404":
        assertContains(response, "Page not found", status_code=404)
    else:
        assert rule is not None, "a 403 cell needs the rule whose explanation the page shows"
        assertContains(response, escape(str(REFUSALS[rule])), status_code=403)


# The matrix itself.


def test_matrix_roles_are_the_people_of_the_fixture(world):
    assert list(world.people) == ROLES


def test_matrix_every_action_has_a_request_spec():
    assert sorted(set(MATRIX) - set(SPECS)) == []
    assert sorted(set(SPECS) - set(MATRIX)) == []


@pytest.mark.parametrize("action", SPECS)
def test_request_spec_can_tell_success(action):
    spec = SPECS[action]
    if spec.method == "GET":
        assert (spec.shows is not None, spec.snapshot) == (True, None)
    else:
        assert spec.method == "POST"
        assert None not in (spec.snapshot, spec.redirects_to, spec.check)
    if "403" in MATRIX.get(action, {}).values():
        assert spec.rule in REFUSALS


def test_matrix_parser_reads_header_and_cells():
    text = (
        "intro\n<!-- matrix:start -->\n| action | a | b |\n|---|---|---|\n"
        "| do it | login | yes |\n<!-- matrix:end -->\nrest"
    )

    assert parse_matrix(text) == (["a", "b"], {"do it": {"a": "login", "b": "yes"}})


def test_matrix_parser_refuses_an_unknown_outcome():
    text = "<!-- matrix:start -->\n| action | a |\n|---|---|\n| do it | maybe |\n<!-- matrix:end -->"

    with pytest.raises(ValueError, match="maybe"):
        parse_matrix(text)


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=CELL_IDS)
def test_matrix_cell(action, role, outcome, world, client, django_capture_on_commit_callbacks):
    assert action in SPECS, f"docs/permissions.md has {action!r} but test_permissions.py has no request for it"
    spec = SPECS[action]
    if world.people[role] is not None:
        client.force_login(world.people[role])
    url = spec.url(world)
    before = database_state()
    action_before = spec.snapshot(world) if spec.snapshot else None

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url) if spec.method == "GET" else client.post(url, spec.data(world))

    if outcome != "yes":
        assert_refused(response, outcome, url, spec.rule)
        assert database_state() == before
        assert mail.outbox == []
    elif spec.method == "GET":
        for text in spec.shows(world, role):
            assertContains(response, text)
    else:
        assertRedirects(response, spec.redirects_to(world), fetch_redirect_response=False)
        assert spec.snapshot(world) != action_before
        spec.check(world, role)


@pytest.mark.parametrize(("action", "role", "outcome"), PAGE_CELLS, ids=PAGE_CELL_IDS)
def test_matrix_form_page(action, role, outcome, world, client):
    url_of, texts_of = FORM_PAGES[action]
    if world.people[role] is not None:
        client.force_login(world.people[role])
    url = url_of(world)
    before = database_state()

    response = client.get(url)

    if outcome == "yes":
        for text in texts_of(world):
            assertContains(response, text)
    else:
        assert_refused(response, outcome, url, SPECS[action].rule)
    assert database_state() == before


# Hidden and missing objects answer alike.

# Each object page, with the method its view answers (the POST-only ones) and its URL for an object id.
OBJECT_URLS = {
    "change role": ("post", lambda world, pk: reverse("coalitions:change_role", args=[world.coalition.pk, pk])),
    "remove member": ("post", lambda world, pk: reverse("coalitions:remove_member", args=[world.coalition.pk, pk])),
    "remove organisation": (
        "post",
        lambda world, pk: reverse("coalitions:remove_organisation", args=[world.coalition.pk, pk]),
    ),
    "edit cluster": ("post", lambda world, pk: reverse("coalitions:cluster_edit", args=[world.coalition.pk, pk])),
    "delete cluster": ("post", lambda world, pk: reverse("coalitions:cluster_delete", args=[world.coalition.pk, pk])),
    "resend invitation": (
        "post",
        lambda world, pk: reverse("coalitions:invitation_resend", args=[world.coalition.pk, pk]),
    ),
    "withdraw invitation": (
        "post",
        lambda world, pk: reverse("coalitions:invitation_revoke", args=[world.coalition.pk, pk]),
    ),
    "organisation profile": ("get", lambda world, pk: reverse("coalitions:organisation", args=[pk])),
    "edit organisation": ("post", lambda world, pk: reverse("coalitions:organisation_edit", args=[pk])),
}
OTHER_COALITIONS_OBJECT = {
    "change role": lambda world: world.other_membership.pk,
    "remove member": lambda world: world.other_membership.pk,
    "remove organisation": lambda world: world.other_member.pk,
    "edit cluster": lambda world: world.other_cluster.pk,
    "delete cluster": lambda world: world.other_cluster.pk,
    "resend invitation": lambda world: world.other_invitation.pk,
    "withdraw invitation": lambda world: world.other_invitation.pk,
}
COALITION_PAGES = {
    "home": "coalitions:home",
    "timeline": "deadlines:timeline",
    "edit": "coalitions:edit",
    "activity": "coalitions:activity",
    "reminder settings": "deadlines:coalition_reminders",
    "sent mail": "coalitions:mail",
    "directory": "coalitions:directory",
    "member organisations": "coalitions:member_organisations",
    "clusters": "coalitions:clusters",
    "add cluster": "coalitions:cluster_create",
    "invitations": "coalitions:invitations",
    "invite": "coalitions:invitation_create",
}
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def page_without_request_details(response, url: str) -> str:
    """The page minus what differs by request anyway: the CSRF token and the language form's return path."""
    return CSRF_TOKEN.sub("", response.content.decode()).replace(f'value="{url}"', 'value=""')


def request_object(client, world: World, view: str, pk: int):
    method, url = OBJECT_URLS[view]
    data = {"role": Role.OBSERVER, "name": "Renamed"} if method == "post" else {}
    return getattr(client, method)(url(world, pk), data)


@pytest.mark.parametrize("view", OBJECT_URLS)
def test_missing_object_answers_404_to_coordinator(view, world, client):
    client.force_login(world.people["coordinator"])
    before = database_state()

    response = request_object(client, world, view, MISSING)

    assertContains(response, "Page not found", status_code=404)
    assert database_state() == before


@pytest.mark.parametrize("view", ["change role", "remove member", "remove organisation", "edit cluster"])
def test_missing_object_answers_404_to_member_without_rights(view, world, client):
    client.force_login(world.people["drafter"])

    response = request_object(client, world, view, MISSING)

    assertContains(response, "Page not found", status_code=404)


@pytest.mark.parametrize("view", OTHER_COALITIONS_OBJECT)
def test_object_of_another_coalition_under_this_coalitions_url_answers_404(view, world, client):
    """The coordinator of one coalition cannot reach another's objects by swapping ids in the URL."""
    client.force_login(world.people["coordinator"])
    before = database_state()

    response = request_object(client, world, view, OTHER_COALITIONS_OBJECT[view](world))

    assertContains(response, "Page not found", status_code=404)
    assert database_state() == before


@pytest.mark.parametrize("view", COALITION_PAGES)
def test_outsider_gets_the_same_404_for_existing_and_missing_coalition(view, world, client):
    client.force_login(world.people["outsider"])

    existing_url = reverse(COALITION_PAGES[view], args=[world.coalition.pk])
    missing_url = reverse(COALITION_PAGES[view], args=[MISSING])

    existing = client.get(existing_url)
    missing = client.get(missing_url)

    assertContains(existing, "Page not found", status_code=404)
    assert existing.status_code == missing.status_code
    assert page_without_request_details(existing, existing_url) == page_without_request_details(missing, missing_url)


@pytest.mark.parametrize("view", COALITION_PAGES)
def test_site_administrator_who_is_no_member_gets_404(view, world, client):
    client.force_login(world.staff)

    response = client.get(reverse(COALITION_PAGES[view], args=[world.coalition.pk]))

    assertContains(response, "Page not found", status_code=404)


def test_site_administrator_who_is_no_member_gets_404_for_an_organisation(world, client):
    client.force_login(world.staff)

    response = client.get(reverse("coalitions:organisation", args=[world.org_a.pk]))

    assertContains(response, "Page not found", status_code=404)


def test_outsider_sees_the_organisations_of_their_own_coalition(world, client):
    """The 404 above is about the coalition, not about organisation profiles in general."""
    client.force_login(world.people["outsider"])

    response = client.get(reverse("coalitions:organisation", args=[world.other_member.organisation.pk]))

    assertContains(response, escape(str(world.other_member.organisation)))


@pytest.mark.parametrize("role", ["observer", "reviewer"])
def test_reader_cannot_gain_the_right_to_change_their_organisation_by_creating_a_coalition(role, world, client):
    """The matrix refuses observers and reviewers their organisation's profile (403).

    Making that organisation the secretariat of a new coalition must not hand them the right through
    the back door (as its coordinator).
    """
    client.force_login(world.people[role])
    edit_url = SPECS["change their own organisation's profile"].url(world)
    data = SPECS["change their own organisation's profile"].data(world)

    client.post(
        reverse("coalitions:create"),
        {"name": f"The {role}'s coalition", "secretariat": world.org_b.pk, "org_kind": Organisation.Kind.NGO},
    )
    response = client.post(edit_url, data)

    assertContains(response, escape(str(REFUSALS["coalitions.change_organisation"])), status_code=403)
    world.org_b.refresh_from_db()
    assert world.org_b.name == "Beta Legal Aid"
