"""The member directory at national scale: paged, searched, sorted by the name it shows first, and a
page of its own for changing a person's role; the member organisations on a page of their own."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from coalitions import services
from coalitions.models import Membership, Organisation, Role
from coalitions.views.members import DIRECTORY_PAGE_SIZE
from tests.coalitions.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.coalitions import add_organisation, new_coalition

pytestmark = pytest.mark.django_db

NAME_CELL = re.compile(r"<tr>\s*<td>([^<]+)<br>")


def names_listed(response) -> list[str]:
    return NAME_CELL.findall(response.content.decode())


def directory_url(world: World, query: str = "") -> str:
    return reverse("coalitions:directory", args=[world.coalition.pk]) + (f"?{query}" if query else "")


def test_directory_sorts_by_the_name_it_shows_first_whatever_the_case(world, client):
    for full_name, email in (("zoë Zetterberg", "z@example.org"), ("", "aaron.no.name@example.org")):
        MembershipFactory(coalition=world.coalition, user=UserFactory(full_name=full_name, email=email))
    client.force_login(world.people["observer"])

    names = names_listed(client.get(directory_url(world)))

    assert names == sorted(names, key=str.casefold)
    assert (names[0], names[-1]) == ("aaron.no.name@example.org", "zoë Zetterberg")


def test_directory_shows_a_page_of_people_and_links_to_the_others_with_the_filters_kept(world, client):
    organisation = add_organisation(world.coalition, OrganisationFactory(name="Big Network")).organisation
    for n in range(DIRECTORY_PAGE_SIZE + 10):
        MembershipFactory(
            coalition=world.coalition,
            organisation=organisation,
            user=UserFactory(full_name=f"Network person {n:03}", email=f"network{n}@example.org"),
        )
    client.force_login(world.people["observer"])

    first = client.get(directory_url(world, "q=network"))
    second = client.get(directory_url(world, "q=network&page=2"))

    assert (len(names_listed(first)), len(names_listed(second))) == (DIRECTORY_PAGE_SIZE, 10)
    assert names_listed(second)[-1] == "Network person 059"
    assertContains(first, "60 people match these filters.")
    assertContains(first, "Showing 1 to 50, by name.")
    assertContains(first, 'href="?q=network&amp;page=2">Next page</a>', html=False)
    assertContains(second, 'href="?q=network&amp;page=1">Previous page</a>', html=False)


def test_directory_search_matches_the_organisation_name(world, client):
    client.force_login(world.people["observer"])

    response = client.get(directory_url(world, f"q={world.org_b.name.split()[0]}"))

    # Everyone who acts for organisation B: the reviewer, drafter, cluster lead and observer.
    assert sorted(names_listed(response)) == ["The cluster lead", "The drafter", "The observer", "The reviewer"]


def test_directory_filter_keeps_the_values_asked_for_in_the_form(world, client):
    client.force_login(world.people["observer"])

    response = client.get(directory_url(world, f"q=the&kind=ngo&cluster={world.cluster_b.pk}&role=drafter"))

    html = response.content.decode()
    assert 'name="q" id="id_q" class="form-control" value="the"' in html
    assert '<option value="ngo" selected>NGO</option>' in html
    assert f'<option value="{world.cluster_b.pk}" selected>{escape(world.cluster_b.name)}</option>' in html
    assert f'<option value="drafter" selected>{Role.DRAFTER.label}</option>' in html
    assert names_listed(response) == ["The drafter"]


def test_directory_gives_coordinators_one_link_a_row_to_change_a_role_or_remove(world, client):
    client.force_login(world.people["coordinator"])

    response = client.get(directory_url(world))

    role_page = reverse("coalitions:change_role", args=[world.coalition.pk, world.target.pk])
    assertContains(response, f'href="{role_page}"', count=1)
    assertContains(response, "Change role or remove", count=len(names_listed(response)))
    main = response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert main.count("<select ") == 3  # the filter's kind, cluster and role; none on the rows


def test_directory_gives_members_no_role_links(world, client):
    client.force_login(world.people["drafter"])

    response = client.get(directory_url(world))

    assertNotContains(response, "Change role or remove")
    assertContains(response, "<td>Drafter</td>")


def test_directory_shows_a_changed_role_at_once(world, client):
    client.force_login(world.people["observer"])
    client.get(directory_url(world))  # the rows are now cached

    services.membership_change_role(membership=world.target, actor=world.people["coordinator"], role=Role.REVIEWER)
    response = client.get(directory_url(world, "q=Tariq"))

    assert re.findall(
        r"<td>Tariq Target<br>.*?</td>\s*<td>.*?</td>\s*<td>([^<]+)</td>", response.content.decode(), re.S
    ) == [Role.REVIEWER.label]


def test_directory_is_remembered_until_the_database_changes_whoever_changes_it(world, client):
    """A second visit with nothing changed reads no rows again (upr_portal/freshness.py); a change made
    by a queryset update, which sends no signal, still shows on the next one; the same filters asked
    with another page or by a coordinator are their own values."""
    client.force_login(world.people["observer"])
    url = directory_url(world, "q=Tariq")
    client.get(url)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert not [q for q in second if "coalitions_membership" in q["sql"] and "accounts_user" in q["sql"]]

    Membership.objects.filter(pk=world.target.pk).update(role=Role.REVIEWER)
    response = client.get(url)
    assert re.findall(
        r"<td>Tariq Target<br>.*?</td>\s*<td>.*?</td>\s*<td>([^<]+)</td>", response.content.decode(), re.S
    ) == [Role.REVIEWER.label]
    assertNotContains(response, "Change role or remove")

    client.force_login(world.people["coordinator"])
    assertContains(client.get(url), "Change role or remove", count=1)


def test_directory_is_not_found_for_outsiders_after_a_members_visit(world, client):
    client.force_login(world.people["observer"])
    client.get(directory_url(world))
    client.force_login(UserFactory())

    assert client.get(directory_url(world)).status_code == 404


def test_change_role_page_offers_the_roles_with_the_current_one_chosen(world, client):
    client.force_login(world.people["coordinator"])

    response = client.get(reverse("coalitions:change_role", args=[world.coalition.pk, world.target.pk]))

    assertContains(response, '<option value="drafter" selected>', count=1)
    assertContains(response, f"Works for {escape(world.secretariat)} (target@example.org).")
    assertContains(response, reverse("coalitions:remove_member", args=[world.coalition.pk, world.target.pk]))


def test_change_role_page_is_refused_to_members_who_do_not_coordinate(world, client):
    client.force_login(world.people["cluster lead"])

    response = client.get(reverse("coalitions:change_role", args=[world.coalition.pk, world.target.pk]))

    assertContains(response, "Only the coalition&#x27;s coordinators can change roles", status_code=403)


def test_change_role_page_of_another_coalition_is_not_found(world, client):
    client.force_login(world.people["coordinator"])

    response = client.get(reverse("coalitions:change_role", args=[world.coalition.pk, world.other_membership.pk]))

    assert response.status_code == 404


def test_member_organisations_page_lists_each_with_its_people(world, client):
    client.force_login(world.people["observer"])

    response = client.get(reverse("coalitions:member_organisations", args=[world.coalition.pk]))

    counts = {member.organisation.name: member.people_count for member in response.context["organisations"]}
    # The coordinator and the target at the secretariat; four people at B; nobody at A.
    assert counts == {world.secretariat.name: 2, world.org_a.name: 0, world.org_b.name: 4}
    assertContains(response, "3 member organisations.")


def test_member_organisations_page_is_not_found_for_outsiders(world, client):
    client.force_login(world.people["outsider"])

    response = client.get(reverse("coalitions:member_organisations", args=[world.coalition.pk]))

    assert response.status_code == 404


def test_member_organisations_page_offers_removal_to_coordinators_only(world, client):
    url = reverse("coalitions:member_organisations", args=[world.coalition.pk])
    removal = reverse("coalitions:remove_organisation", args=[world.coalition.pk, world.member_b.pk])

    client.force_login(world.people["coordinator"])
    as_coordinator = client.get(url)
    client.force_login(world.people["drafter"])
    as_drafter = client.get(url)

    assertContains(as_coordinator, f'href="{removal}"')
    assertNotContains(as_drafter, f'href="{removal}"')


def test_coalition_home_lists_a_small_coalitions_organisations_by_name(world, client):
    client.force_login(world.people["observer"])

    response = client.get(reverse("coalitions:home", args=[world.coalition.pk]))

    overview = response.context["organisations"]
    assert [member.name for member in overview.listed] == sorted(
        str(o) for o in (world.secretariat, world.org_a, world.org_b)
    )
    assertContains(response, "3 member organisations")


def test_coalition_home_counts_a_large_coalitions_organisations_by_kind(client):
    coalition = new_coalition(name="National coalition")
    for n in range(19):
        kind = Organisation.Kind.NETWORK if n % 3 == 0 else Organisation.Kind.NGO
        add_organisation(coalition, OrganisationFactory(name=f"Member {n:02}", kind=kind))
    member = MembershipFactory(coalition=coalition, role=Role.OBSERVER)
    client.force_login(member.user)

    response = client.get(reverse("coalitions:home", args=[coalition.pk]))

    overview = response.context["organisations"]
    # The secretariat is an NGO too; the most common kind first.
    assert (overview.count, overview.listed, overview.by_kind) == (20, (), (("NGO", 13), ("Network", 7)))
    assertContains(response, "20 member organisations")
    assertContains(response, reverse("coalitions:member_organisations", args=[coalition.pk]))
