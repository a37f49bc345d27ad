"""Reads for the coalition pages, each scoped to what the user may see and in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf

from accounts.two_factor.selectors import users_with_two_factor
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
from coalitions.rules import EDITING_ROLES, memberships_of
from reviews.models import Review
from reviews.state_names import name_fields


def _count_per_coalition(rows: QuerySet) -> Coalesce:
    """The number of ``rows`` of the outer coalition, as a correlated subquery (0 when there is none)."""
    counted = rows.filter(coalition=OuterRef("pk")).order_by().values("coalition").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def coalitions_for_user(*, user) -> QuerySet[Coalition]:
    """The coalitions the user is an active member of, with their role and counts."""
    my_role = Membership.objects.filter(coalition=OuterRef("pk"), user=user, is_active=True).values("role")[:1]
    return (
        Coalition.objects.filter(pk__in=Membership.objects.filter(user=user, is_active=True).values("coalition"))
        .select_related("secretariat")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("state", "session", "rescheduled_from"))
        )
        .annotate(
            my_role=Subquery(my_role),
            # Each count on its own: counting both over one join of people and organisations walked
            # people x organisations rows (16,000 at 200 people and 80 organisations) to count 280.
            people_count=_count_per_coalition(Membership.objects.filter(is_active=True)),
            organisation_count=_count_per_coalition(CoalitionOrganisation.objects.current()),
        )
        .order_by("name")
    )


class CoalitionSummary(NamedTuple):
    """A coalition as the home page lists it: its name, counts and the person's role, as values."""

    pk: int
    name: str
    people_count: int
    organisation_count: int
    my_role: str


def coalition_summaries_for_user(*, user) -> list[CoalitionSummary]:
    """``coalitions_for_user`` as the home page shows it, by name: values in one query, the person's
    memberships (coalitions.rules keeps them for the request) giving the coalitions and the roles."""
    memberships = memberships_of(user)
    if not memberships:
        return []
    rows = (
        Coalition.objects.filter(pk__in=list(memberships))
        .annotate(
            # As coalitions_for_user: each count on its own.
            people_count=_count_per_coalition(Membership.objects.filter(is_active=True)),
            organisation_count=_count_per_coalition(CoalitionOrganisation.objects.current()),
        )
        .order_by("name")
        .values_list("pk", "name", "people_count", "organisation_count")
    )
    return [CoalitionSummary(*row, my_role=memberships[row[0]].role) for row in rows]


def coalition_reviews(*, coalition: Coalition, upcoming: bool | None = None) -> QuerySet[Review]:
    """The coalition's reviews in date order: all of them, only the upcoming ones, or only the past
    ones (the latest first); "upcoming" is the reviews app's one rule (the session has not closed)."""
    reviews = Review.objects.filter(coalitions=coalition).select_related("state", "session", "rescheduled_from")
    if upcoming is None:
        return reviews.in_date_order()
    if upcoming:
        return reviews.upcoming().in_date_order()
    return reviews.past().in_date_order().reverse()


def coalition_reviews_apart(
    *, coalition: Coalition, today: datetime.date | None = None
) -> tuple[list[Review], list[Review]]:
    """``coalition_reviews`` upcoming and past (the latest first) in one query, with only what the
    coalition's home page shows of them (upcoming on ``today``, the Geneva day, by default)."""
    upcoming = Review.objects.upcoming(today=today).filter(pk=OuterRef("pk"))
    reviews = list(
        Review.objects.filter(coalitions=coalition)
        .select_related("state", "session", "rescheduled_from")
        .only(
            *("status", "stakeholder_deadline", *name_fields("state__"), "rescheduled_from__number"),
            *("session__number", "session__wg_start", "session__wg_end", "session__dates_provisional"),
        )
        .annotate(is_upcoming=Exists(upcoming))
        .in_date_order()
    )
    return [r for r in reviews if r.is_upcoming], [r for r in reversed(reviews) if not r.is_upcoming]


def current_member_organisations(*, coalition: Coalition) -> QuerySet[Organisation]:
    """The organisations invited to or active in this coalition, by name."""
    return Organisation.objects.filter(
        coalition_memberships__in=CoalitionOrganisation.objects.current().filter(coalition=coalition)
    ).order_by("name")


def member_organisations(*, coalition: Coalition, include_left: bool = False) -> QuerySet[CoalitionOrganisation]:
    """The member organisations with the number of their active people in this coalition, by name."""
    qs = CoalitionOrganisation.objects.filter(coalition=coalition).select_related("organisation__country")
    if not include_left:
        qs = qs.current()
    people = (
        Membership.objects.filter(coalition=coalition, is_active=True, organisation=OuterRef("organisation"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(people_count=Coalesce(Subquery(people, output_field=IntegerField()), 0)).order_by(
        "organisation__name"
    )


# The coalition's home page names its organisations up to this many; beyond, it counts them by kind
# and links to the list (a national coalition has a hundred: the directory pages them).
OVERVIEW_ORGANISATIONS = 15


class OverviewOrganisation(NamedTuple):
    organisation_id: int
    name: str  # with its acronym
    city: str
    country: str
    status: str  # "" when active, else its label ("Invited")


@dataclass(frozen=True)
class OrganisationsOverview:
    count: int
    listed: tuple[OverviewOrganisation, ...]  # every one, by name, when at most OVERVIEW_ORGANISATIONS
    by_kind: tuple[tuple[str, int], ...]  # (kind, how many), the most common first


def organisations_overview(*, coalition: Coalition) -> OrganisationsOverview:
    """The current member organisations as the coalition's home page shows them, as plain values, in
    one query whatever the size (a hundred short rows cost less than a second query)."""
    kinds = dict(Organisation.Kind.choices)
    statuses = dict(CoalitionOrganisation.Status.choices)
    rows = (
        CoalitionOrganisation.objects.current()
        .filter(coalition=coalition)
        .order_by("organisation__name")
        .values_list(
            *("organisation_id", "organisation__name", "organisation__acronym", "organisation__city"),
            *("organisation__country__name", "status", "organisation__kind"),
        )
    )
    by_kind: dict[str, int] = {}
    listed = []
    for organisation_id, name, acronym, city, country, status, kind in rows:
        by_kind[kind] = by_kind.get(kind, 0) + 1
        listed.append(
            OverviewOrganisation(
                organisation_id=organisation_id,
                name=Organisation.display_name(name, acronym),
                city=city,
                country=country,
                status="" if status == CoalitionOrganisation.Status.ACTIVE else str(statuses.get(status, status)),
            )
        )
    return OrganisationsOverview(
        count=len(listed),
        listed=tuple(listed) if len(listed) <= OVERVIEW_ORGANISATIONS else (),
        by_kind=tuple(
            (str(kinds.get(kind, kind)), n) for kind, n in sorted(by_kind.items(), key=lambda item: (-item[1], item[0]))
        ),
    )


# What the member directory reads of each person: membership id, role and organisation id, and names.
DIRECTORY_COLUMNS = (
    *("pk", "role", "organisation_id", "user__full_name", "user__email"),
    *("organisation__name", "organisation__acronym"),
)


def member_directory(
    *, coalition: Coalition, kind: str = "", cluster: Cluster | None = None, role: str = "", query: str = ""
) -> QuerySet[dict]:
    """The coalition's active people matching the filters, sorted by the name the directory shows first
    (the email address of a person without a name). Values, not rows: only the columns it shows, as
    dicts with the keys of DIRECTORY_COLUMNS."""
    qs = Membership.objects.filter(coalition=coalition, is_active=True)
    if kind:
        qs = qs.filter(organisation__kind=kind)
    if cluster is not None:
        qs = qs.filter(organisation__clusters=cluster)
    if role:
        qs = qs.filter(role=role)
    if query:
        qs = qs.filter(
            Q(user__full_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(organisation__name__icontains=query)
        )
    shown_name = Lower(Coalesce(NullIf("user__full_name", Value("")), "user__email"))
    return qs.order_by(shown_name, "user__email").values(*DIRECTORY_COLUMNS)


def clusters_with_leads(*, coalition: Coalition) -> tuple[tuple[str, str], ...]:
    """The coalition's clusters by name, each with its lead organisation's name ("" without one)."""
    rows = (
        Cluster.objects.filter(coalition=coalition)
        .order_by("name")
        .values_list("name", "lead_organisation__name", "lead_organisation__acronym")
    )
    return tuple((name, Organisation.display_name(lead, acronym) if lead else "") for name, lead, acronym in rows)


def clusters_of(*, coalition: Coalition) -> QuerySet[Cluster]:
    return (
        Cluster.objects.filter(coalition=coalition)
        .select_related("lead_organisation")
        .prefetch_related(Prefetch("organisations", queryset=Organisation.objects.order_by("name")))
        .order_by("name")
    )


def invitations_of(*, coalition: Coalition) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(coalition=coalition)
        .select_related("organisation", "invited_by", "accepted_by")
        .order_by("status", "-created_at")
    )


def audit_events_of(*, coalition: Coalition, limit: int = 200) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(coalition=coalition).select_related("actor")[:limit]


def organisations_for_user(*, user) -> QuerySet[Organisation]:
    """The organisations the user edits for in any coalition (offered as a new coalition's secretariat)."""
    # Readers (reviewers, observers) cannot lead a new coalition for their organisation: that would
    # make them its coordinator and so give them the right to change the organisation's profile.
    return (
        Organisation.objects.filter(people__user=user, people__is_active=True, people__role__in=EDITING_ROLES)
        .distinct()
        .order_by("name")
    )


def organisations_changeable_by(*, user) -> QuerySet[Organisation]:
    """The organisations whose profile the user may change (rule coalitions.change_organisation), as
    one query: those in a coalition the user coordinates, and those the user edits for."""
    mine = Membership.objects.filter(user=user, is_active=True)
    coordinated = mine.filter(role=Role.COORDINATOR).values("coalition_id")
    return Organisation.objects.filter(
        Q(pk__in=CoalitionOrganisation.objects.current().filter(coalition__in=coordinated).values("organisation_id"))
        | Q(pk__in=Coalition.objects.filter(pk__in=coordinated).values("secretariat_id"))
        | Q(pk__in=mine.filter(role__in=EDITING_ROLES).values("organisation_id"))
    )


def organisation_matching(*, user, name: str, country=None) -> Organisation | None:
    """The organisation a coordinator means by a typed name, among those they may already change.

    Never any other: a match, or a refusal, for an organisation outside them would tell the
    coordinator that it uses the portal (and would hand them its profile). Case and surrounding
    spaces do not matter; with several of that name, the one in ``country`` first, then the oldest.
    """
    name = " ".join(name.split())
    if not name:
        return None
    candidates = organisations_changeable_by(user=user).filter(name__iexact=name)
    if country is not None:
        candidates = candidates.annotate(
            other_country=Case(When(country=country, then=Value(0)), default=Value(1), output_field=IntegerField())
        ).order_by("other_country", "pk")
    else:
        candidates = candidates.order_by("pk")
    return candidates.first()


def organisation_profile(*, organisation: Organisation, user) -> dict:
    """The organisation's coalitions and people, limited to the coalitions the user belongs to."""
    mine = Membership.objects.filter(user=user, is_active=True).values("coalition_id")
    coalitions = (
        Coalition.objects.filter(
            Q(member_organisations__organisation=organisation) & ~Q(member_organisations__status="left")
            | Q(secretariat=organisation),
            pk__in=mine,
        )
        .distinct()
        .order_by("name")
    )
    people = (
        Membership.objects.filter(organisation=organisation, coalition__in=mine, is_active=True)
        .select_related("user", "coalition")
        .order_by("user__full_name", "coalition__name")
    )
    clusters = (
        Cluster.objects.filter(organisations=organisation, coalition__in=mine)
        .select_related("coalition", "lead_organisation")
        .order_by("coalition__name", "name")
    )
    return {"coalitions": coalitions, "people": people, "clusters": clusters}


def members_without_two_factor(*, coalition: Coalition) -> int:
    """How many of the coalition's active members have not set up two-factor sign-in."""
    return (
        Membership.objects.filter(coalition=coalition, is_active=True).exclude(user__in=users_with_two_factor()).count()
    )


def coalition_names_requiring_two_factor(*, user) -> list[str]:
    """The coalitions the user is an active member of that require two-factor sign-in."""
    return list(
        Coalition.objects.filter(require_two_factor=True, memberships__user=user, memberships__is_active=True)
        .order_by("name")
        .values_list("name", flat=True)
    )
