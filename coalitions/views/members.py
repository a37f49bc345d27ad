from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coalitions import selectors, services
from coalitions.access import require
from coalitions.forms import DirectoryFilterForm, RoleForm
from coalitions.models import Cluster, CoalitionOrganisation, Membership, Organisation, Role
from coalitions.rules import can
from coalitions.services.errors import CoalitionError
from coalitions.views.coalitions import coalition_for
from upr_portal.freshness import remember
from upr_portal.tables import ROWS_CACHE_SECONDS, reverse_each, rows_digest

# Rows a page of the directory shows: a national coalition has hundreds of people.
DIRECTORY_PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class DirectoryRow:
    """One person as the directory lists them, put together here from plain values: the template
    caches the rendered rows under a digest of them (upr_portal/tables.py), and at fifty rows a page
    its own look-ups (a role's label, a reversed URL) cost more than the rest of the page."""

    membership_id: int
    name: str
    email: str
    organisation: str
    organisation_url: str
    role: str
    manage_url: str | None  # their role and removal, for coordinators


def directory_rows(members, *, coalition, can_manage: bool) -> list[DirectoryRow]:
    """The rows of ``selectors.member_directory`` (values) as the page shows them."""
    roles = {value: str(label) for value, label in Role.choices}
    organisation_url = reverse_each("coalitions:organisation")
    manage_url = reverse_each("coalitions:change_role", coalition.pk)
    return [
        DirectoryRow(
            membership_id=m["pk"],
            name=m["user__full_name"] or m["user__email"],
            email=m["user__email"],
            organisation=Organisation.display_name(m["organisation__name"], m["organisation__acronym"]),
            organisation_url=organisation_url(m["organisation_id"]),
            role=roles.get(m["role"], m["role"]),
            manage_url=manage_url(m["pk"]) if can_manage else None,
        )
        for m in members
    ]


@dataclass(frozen=True, slots=True)
class DirectoryFilter:
    """The directory's filter form as the page shows it: the values asked for and the options, as
    plain values, so the form's markup is cached with the rows (its selects cost as much as the rows)."""

    q: str
    kind: str
    cluster: str
    role: str
    labels: tuple[str, str, str, str]  # of q, kind, cluster and role
    kinds: tuple[tuple[str, str], ...]  # (value, label), "any kind" first
    clusters: tuple[tuple[str, str], ...]  # (id, name), "any cluster" first
    roles: tuple[tuple[str, str], ...]


def directory_filter(form: DirectoryFilterForm, *, coalition) -> DirectoryFilter:
    fields = form.fields
    clusters = Cluster.objects.filter(coalition=coalition).order_by("name").values_list("pk", "name")
    return DirectoryFilter(
        **{name: str(form.data.get(name, "")) for name in ("q", "kind", "cluster", "role")},
        labels=tuple(str(fields[name].label) for name in ("q", "kind", "cluster", "role")),
        kinds=tuple((value, str(label)) for value, label in fields["kind"].choices),
        clusters=(("", str(fields["cluster"].empty_label)), *((str(pk), name) for pk, name in clusters)),
        roles=tuple((value, str(label)) for value, label in fields["role"].choices),
    )


@login_required
@require_GET
def directory(request, pk: int):
    coalition = coalition_for(request, pk, "coalitions.view_members")
    can_manage = can(request.user, "coalitions.manage_members", coalition)
    # What the page lists is remembered until the database changes (upr_portal/freshness.py), for
    # these filters, this page, coordinators or not, and the language; access is checked above on
    # every request.
    query = request.GET.copy()
    page_asked = query.pop("page", [None])[-1]
    listing = remember(
        "member-directory",
        (coalition.pk, query.urlencode(), page_asked, can_manage, get_language()),
        lambda: _directory_listing(request.GET, coalition=coalition, page_asked=page_asked, can_manage=can_manage),
    )
    return render(
        request,
        "coalitions/directory.html",
        {
            "coalition": coalition,
            "filter": listing.filter,
            "filter_key": listing.filter_key,
            "filtered": listing.filtered,
            "members": listing.rows,
            "rows_key": listing.rows_key,
            "rows_cache_seconds": ROWS_CACHE_SECONDS,
            # A paginator over the count alone: the page's numbers and links, not its rows again.
            "page": Paginator(range(listing.count), DIRECTORY_PAGE_SIZE).page(listing.page_number),
            "page_query": query.urlencode(),
            "can_manage": can_manage,
        },
    )


@dataclass(frozen=True, slots=True)
class DirectoryListing:
    """One page of the directory for some filters, as plain values."""

    filter: DirectoryFilter
    filter_key: str
    filtered: bool
    count: int
    page_number: int
    rows: list[DirectoryRow]
    rows_key: str


def _directory_listing(data, *, coalition, page_asked: str | None, can_manage: bool) -> DirectoryListing:
    form = DirectoryFilterForm(data or None, coalition=coalition)
    filters = form.cleaned_data if form.is_valid() else {}
    members = selectors.member_directory(
        coalition=coalition,
        kind=filters.get("kind", ""),
        cluster=filters.get("cluster"),
        role=filters.get("role", ""),
        query=filters.get("q", ""),
    )
    page = Paginator(members, DIRECTORY_PAGE_SIZE).get_page(page_asked)
    rows = directory_rows(page.object_list, coalition=coalition, can_manage=can_manage)
    shown_filter = directory_filter(form, coalition=coalition)
    return DirectoryListing(
        filter=shown_filter,
        filter_key=rows_digest([shown_filter]),
        filtered=any(filters.values()),
        count=page.paginator.count,
        page_number=page.number,
        rows=rows,
        rows_key=rows_digest(rows, can_manage),
    )


@login_required
@require_GET
def organisation_list(request, pk: int):
    coalition = coalition_for(request, pk, "coalitions.view_members")
    page = Paginator(selectors.member_organisations(coalition=coalition), DIRECTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "coalitions/organisation_list.html",
        {
            "coalition": coalition,
            "organisations": page.object_list,
            "page": page,
            "page_query": "",
            "can_manage": can(request.user, "coalitions.manage_members", coalition),
        },
    )


def _membership(request, pk: int, membership_pk: int) -> Membership:
    coalition = coalition_for(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation", "coalition"),
        pk=membership_pk,
        coalition=coalition,
        is_active=True,
    )
    require(request.user, "coalitions.manage_members", coalition)
    return membership


@login_required
@require_http_methods(["GET", "POST"])
def change_role(request, pk: int, membership_pk: int):
    """A member's own page for coordinators: their role, and the way to remove them. The directory
    links here rather than carrying a role form on each of its rows."""
    membership = _membership(request, pk, membership_pk)
    if request.method == "GET":
        return render(
            request,
            "coalitions/change_role.html",
            {
                "coalition": membership.coalition,
                "membership": membership,
                "form": RoleForm(initial={"role": membership.role}),
            },
        )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles offered."))
    else:
        try:
            services.membership_change_role(membership=membership, actor=request.user, role=form.cleaned_data["role"])
        except CoalitionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.") % {"name": membership.user, "role": membership.get_role_display()},
            )
    return redirect("coalitions:directory", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def remove_member(request, pk: int, membership_pk: int):
    membership = _membership(request, pk, membership_pk)
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, actor=request.user)
        except CoalitionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user})
        return redirect("coalitions:directory", pk=pk)
    return render(
        request,
        "confirm.html",
        {
            "coalition": membership.coalition,
            "title": _("Remove %(name)s from the coalition?") % {"name": membership.user},
            "explanation": _(
                "They will no longer see the coalition or its submissions. What they wrote stays. "
                "You can invite them again later."
            ),
            "confirm_label": _("Remove"),
            "cancel_url": reverse("coalitions:directory", args=[pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def remove_organisation(request, pk: int, member_pk: int):
    coalition = coalition_for(request, pk)
    member = get_object_or_404(
        CoalitionOrganisation.objects.select_related("organisation", "coalition"),
        pk=member_pk,
        coalition=coalition,
    )
    require(request.user, "coalitions.manage_members", coalition)
    if request.method == "POST":
        try:
            services.coalition_organisation_remove(member=member, actor=request.user)
        except CoalitionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(organisation)s has left the coalition.") % {"organisation": member.organisation}
            )
        return redirect("coalitions:directory", pk=pk)
    return render(
        request,
        "confirm.html",
        {
            "coalition": coalition,
            "title": _("Remove %(organisation)s from the coalition?") % {"organisation": member.organisation},
            "explanation": _("The organisation will be listed as having left. Its people must be removed first."),
            "confirm_label": _("Remove the organisation"),
            "cancel_url": reverse("coalitions:directory", args=[pk]),
        },
    )
