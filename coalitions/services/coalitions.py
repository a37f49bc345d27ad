"""Writes to coalitions, their member organisations, people and clusters."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from coalitions.models import AuditEvent, Cluster, Coalition, CoalitionOrganisation, Membership, Organisation, Role
from coalitions.rules import forget_memberships
from coalitions.selectors import organisation_matching
from coalitions.services.errors import CoalitionError
from coalitions.services.logos import delete_replaced_logo_on_commit, logo_without_metadata, stored_logo_name
from reviews.models import Review
from upr_portal.timezones import geneva_today


def audit(*, coalition: Coalition, actor: User | None, action: str, subject: str = "", **details) -> AuditEvent:
    return AuditEvent.objects.create(
        coalition=coalition, actor=actor, action=action, subject=subject[:300], details=details
    )


def organisation_update(*, organisation: Organisation, actor: User, **fields) -> Organisation:
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


def organisation_create(*, name: str, kind: str, city: str, country, acronym: str = "", **fields) -> Organisation:
    organisation = Organisation(name=name, acronym=acronym, kind=kind, city=city, country=country, **fields)
    organisation.full_clean()
    organisation.save()
    return organisation


def organisation_for_invitation(
    *, actor: User, name: str, kind: str, city: str, country, acronym: str = ""
) -> Organisation:
    """The organisation a coordinator invites someone through after typing its name rather than
    choosing it: one they may already change by that name (selectors.organisation_matching), else a
    new one. Whether the name is taken elsewhere in the portal is never told or used."""
    existing = organisation_matching(user=actor, name=name, country=country)
    if existing is not None:
        return existing
    return organisation_create(name=name, kind=kind, city=city, country=country, acronym=acronym)


@transaction.atomic
def coalition_create(
    *,
    creator: User,
    secretariat: Organisation,
    name: str,
    acronym: str = "",
    description: str = "",
    reviews: Iterable[Review] = (),
    logo=None,
) -> Coalition:
    """Creates a coalition led by ``secretariat``, with the creator as its first coordinator. Atomic.

    A logo is checked as uploaded, then stored without its metadata (services/logos.py)."""
    coalition = Coalition(name=name, acronym=acronym, description=description, secretariat=secretariat)
    if logo:
        coalition.logo = logo
    coalition.full_clean()
    if logo:
        coalition.logo = logo_without_metadata(logo)
    coalition.save()
    coalition.reviews.set(reviews)
    CoalitionOrganisation.objects.create(
        coalition=coalition,
        organisation=secretariat,
        status=CoalitionOrganisation.Status.ACTIVE,
        joined_on=geneva_today(),
    )
    Membership.objects.create(coalition=coalition, user=creator, organisation=secretariat, role=Role.COORDINATOR)
    forget_memberships(creator)
    audit(coalition=coalition, actor=creator, action=AuditEvent.Action.COALITION_CREATED, subject=coalition.name)
    return coalition


@transaction.atomic
def coalition_update(
    *, coalition: Coalition, actor: User, reviews: Iterable[Review] | None = None, **fields
) -> Coalition:
    """Changes the coalition's details. Atomic. A new logo (``logo``: an upload, or "" for none) is
    checked as uploaded and stored without its metadata; the file it replaces goes after commit."""
    replaced_logo = stored_logo_name(coalition) if "logo" in fields else ""
    for name, value in fields.items():
        setattr(coalition, name, value)
    coalition.full_clean()
    if fields.get("logo"):
        coalition.logo = logo_without_metadata(fields["logo"])
    coalition.save()
    delete_replaced_logo_on_commit(coalition=coalition, replaced=replaced_logo)
    if reviews is not None:
        coalition.reviews.set(reviews)
    audit(
        coalition=coalition,
        actor=actor,
        action=AuditEvent.Action.COALITION_CHANGED,
        subject=coalition.name,
        fields=sorted(fields),
    )
    return coalition


def _active_coordinators(coalition: Coalition):
    return Membership.objects.filter(coalition=coalition, role=Role.COORDINATOR, is_active=True)


def _refuse_if_last_coordinator(membership: Membership, *, leaving_role: bool) -> None:
    if not leaving_role or membership.role != Role.COORDINATOR:
        return
    # Locks the coordinators' rows so two coordinators demoting each other at once cannot leave none.
    coordinators = list(_active_coordinators(membership.coalition).select_for_update().values_list("pk", flat=True))
    if coordinators == [membership.pk]:
        raise CoalitionError(
            _(
                "%(name)s is the coalition's last coordinator. Make someone else coordinator first, "
                "so the coalition is never left without one."
            )
            % {"name": membership.user}
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, actor: User, role: str) -> Membership:
    """Changes a person's role; refuses to demote the last coordinator. Atomic."""
    if role not in Role.values:
        raise CoalitionError(_("Choose one of the roles offered."))
    if role == membership.role:
        return membership
    _refuse_if_last_coordinator(membership, leaving_role=True)
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    forget_memberships(membership.user)
    audit(
        coalition=membership.coalition,
        actor=actor,
        action=AuditEvent.Action.ROLE_CHANGED,
        subject=str(membership.user),
        old=old_role,
        new=role,
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Takes a person out of the coalition (the row stays, inactive, for the record). Atomic."""
    _refuse_if_last_coordinator(membership, leaving_role=True)
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    forget_memberships(membership.user)
    audit(
        coalition=membership.coalition,
        actor=actor,
        action=AuditEvent.Action.MEMBER_REMOVED,
        subject=str(membership.user),
        role=membership.role,
    )


@transaction.atomic
def coalition_organisation_remove(*, member: CoalitionOrganisation, actor: User) -> None:
    """Marks an organisation as having left; refuses the secretariat and organisations with people. Atomic."""
    coalition = member.coalition
    if member.organisation_id == coalition.secretariat_id:
        raise CoalitionError(_("The secretariat cannot leave its own coalition."))
    if Membership.objects.filter(coalition=coalition, organisation=member.organisation, is_active=True).exists():
        raise CoalitionError(
            _("People still take part through %(organisation)s: remove them first.")
            % {"organisation": member.organisation}
        )
    # Its clusters in this coalition lose it as lead and member, so none points at a hidden profile.
    Cluster.objects.filter(coalition=coalition, lead_organisation=member.organisation).update(lead_organisation=None)
    for cluster in Cluster.objects.filter(coalition=coalition, organisations=member.organisation):
        cluster.organisations.remove(member.organisation)
    member.status = CoalitionOrganisation.Status.LEFT
    member.left_on = geneva_today()
    member.save(update_fields=["status", "left_on", "updated_at"])
    audit(
        coalition=coalition,
        actor=actor,
        action=AuditEvent.Action.ORGANISATION_REMOVED,
        subject=str(member.organisation),
    )


@transaction.atomic
def cluster_create(
    *,
    coalition: Coalition,
    actor: User,
    name: str,
    lead_organisation: Organisation | None = None,
    organisations: Iterable[Organisation] = (),
    description: str = "",
) -> Cluster:
    cluster = Cluster(coalition=coalition, name=name, lead_organisation=lead_organisation, description=description)
    cluster.full_clean()
    cluster.save()
    cluster.organisations.set({*organisations, *([lead_organisation] if lead_organisation else [])})
    audit(coalition=coalition, actor=actor, action=AuditEvent.Action.CLUSTER_CREATED, subject=name)
    return cluster


@transaction.atomic
def cluster_update(
    *, cluster: Cluster, actor: User, organisations: Iterable[Organisation] | None = None, **fields
) -> Cluster:
    for name, value in fields.items():
        setattr(cluster, name, value)
    cluster.full_clean()
    cluster.save()
    if organisations is not None:
        lead = [cluster.lead_organisation] if cluster.lead_organisation else []
        cluster.organisations.set({*organisations, *lead})
    audit(coalition=cluster.coalition, actor=actor, action=AuditEvent.Action.CLUSTER_CHANGED, subject=cluster.name)
    return cluster


@transaction.atomic
def cluster_delete(*, cluster: Cluster, actor: User) -> None:
    coalition, name = cluster.coalition, cluster.name
    cluster.delete()
    audit(coalition=coalition, actor=actor, action=AuditEvent.Action.CLUSTER_DELETED, subject=name)
