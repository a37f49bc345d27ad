"""Reads for the coalition pages, each scoped to what the user may see and in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from coalitions.models import (
    AuditEvent,
    Cluster,
    Coalition,
    CoalitionOrganisation,
    Invitation,
    Membership,
    Organisation,
)
from coalitions.rules import EDITING_ROLES
from reviews.models import Review


def coalitions_for_user(*, user) -> QuerySet[Coalition]:
    """The coalitions the user is an active member of, with their role and counts."""
    my_role = Membership.objects.filter(coalition=OuterRef("pk"), user=user, is_active=True).values("role")[:1]
    return (
        Coalition.objects.filter(pk__in=Membership.objects.filter(user=user, is_active=True).values("coalition"))
        .select_related("secretariat")
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.select_related("state", "session")))
        .annotate(
            my_role=Subquery(my_role),
            people_count=Count("memberships", filter=Q(memberships__is_active=True), distinct=True),
            organisation_count=Count(
                "member_organisations",
                filter=Q(member_organisations__in=CoalitionOrganisation.objects.current()),
                distinct=True,
            ),
        )
        .order_by("name")
    )


def coalition_reviews(*, coalition: Coalition) -> QuerySet[Review]:
    return coalition.reviews.select_related("state", "session").order_by("session__number")


def current_member_organisations(*, coalition: Coalition) -> QuerySet[Organisation]:
    """The organisations invited to or active in this coalition, by name."""
    return Organisation.objects.filter(
        coalition_memberships__in=CoalitionOrganisation.objects.current().filter(coalition=coalition)
    ).order_by("name")


def member_organisations(*, coalition: Coalition, include_left: bool = False) -> QuerySet[CoalitionOrganisation]:
    qs = CoalitionOrganisation.objects.filter(coalition=coalition).select_related("organisation__country")
    if not include_left:
        qs = qs.current()
    return qs.annotate(
        people_count=Count(
            "organisation__people",
            filter=Q(organisation__people__coalition=coalition, organisation__people__is_active=True),
            distinct=True,
        )
    ).order_by("organisation__name")


def member_directory(
    *, coalition: Coalition, kind: str = "", cluster: Cluster | None = None, role: str = "", query: str = ""
) -> QuerySet[Membership]:
    qs = Membership.objects.filter(coalition=coalition, is_active=True).select_related("user", "organisation")
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
    return qs.order_by("organisation__name", "user__full_name", "user__email")


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
