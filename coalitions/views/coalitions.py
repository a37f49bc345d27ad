import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coalitions import selectors, services
from coalitions.access import require, visible_or_404
from coalitions.forms import CoalitionCreateForm, CoalitionForm, CoalitionTwoFactorForm
from coalitions.models import Coalition, Role
from coalitions.rules import role_in
from upr_portal import freshness
from upr_portal.tables import ROWS_CACHE_SECONDS, review_badge_of, rows_digest
from upr_portal.timezones import geneva_today


def coalition_for(request, pk: int, rule: str = "coalitions.view_coalition") -> Coalition:
    """The coalition, or 404 to whoever may not see it. Its row is remembered until the database
    changes (upr_portal/freshness.py); who may see it is checked on every request."""
    coalition = visible_or_404(
        request.user,
        "coalitions.view_coalition",
        freshness.remember(
            "coalition", (pk,), lambda: Coalition.objects.select_related("secretariat").filter(pk=pk).first()
        ),
    )
    if rule != "coalitions.view_coalition":
        require(request.user, rule, coalition)
    return coalition


@login_required
@require_GET
def my_coalitions(request):
    return render(
        request,
        "coalitions/my_coalitions.html",
        {"coalitions": selectors.coalitions_for_user(user=request.user), "roles": Role.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def coalition_create(request):
    form = CoalitionCreateForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            # One transaction: a refused coalition leaves no new secretariat organisation behind.
            with transaction.atomic():
                secretariat = form.cleaned_data["secretariat"] or services.organisation_create(
                    **form.new_organisation_fields()
                )
                coalition = services.coalition_create(
                    creator=request.user,
                    secretariat=secretariat,
                    name=form.cleaned_data["name"],
                    acronym=form.cleaned_data["acronym"],
                    description=form.cleaned_data["description"],
                    reviews=form.cleaned_data["reviews"],
                    logo=form.cleaned_data.get("logo"),
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The coalition %(name)s is created. Invite its members next.") % {"name": coalition.name}
            )
            return redirect("coalitions:home", pk=coalition.pk)
    return render(request, "coalitions/coalition_form.html", {"form": form, "creating": True})


def _review_shown(review) -> tuple:
    """Every value the coalition's home page shows of a review (its status in the page's language)."""
    session = review.session
    return (
        *(review.pk, review.state.local_name, review_badge_of(review), review.stakeholder_deadline),
        *(session.number, session.wg_start, session.wg_end, session.dates_provisional),
    )


def _overview(coalition: Coalition, today: datetime.date) -> dict:
    """What the coalition's home page shows of its reviews, organisations and clusters, and the
    digests the two parts are cached under: the same for every member."""
    organisations = selectors.organisations_overview(coalition=coalition)
    clusters = selectors.clusters_with_leads(coalition=coalition)
    reviews, past_reviews = selectors.coalition_reviews_apart(coalition=coalition, today=today)
    return {
        "reviews": reviews,
        "past_reviews": past_reviews,
        # The reviews are cached under a digest of what they show.
        "reviews_key": rows_digest([_review_shown(review) for review in reviews + past_reviews], len(reviews)),
        "organisations": organisations,
        "clusters": clusters,
        # The organisations and clusters column is cached under a digest of what it shows.
        "members_key": rows_digest([organisations], clusters, coalition.pk),
    }


@login_required
@require_GET
def coalition_home(request, pk: int):
    # Access is checked on every request; what every member sees alike is remembered until the
    # database changes (upr_portal/freshness.py), in the page's language on the Geneva day.
    coalition = coalition_for(request, pk)
    today = geneva_today()
    overview = freshness.remember(
        "coalition-home", (coalition.pk, translation.get_language(), today), lambda: _overview(coalition, today)
    )
    return render(
        request,
        "coalitions/coalition_home.html",
        {
            "coalition": coalition,
            "my_role": role_in(request.user, coalition),
            **overview,
            "rows_cache_seconds": ROWS_CACHE_SECONDS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def coalition_edit(request, pk: int):
    coalition = coalition_for(request, pk, "coalitions.change_coalition")
    form = CoalitionForm(request.POST or None, request.FILES or None, instance=coalition)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("name", "acronym", "description")}
        if "logo" in form.changed_data:
            fields["logo"] = form.cleaned_data["logo"] or ""
        # The form only validated; the service saves, so the unsaved instance is reloaded first.
        coalition.refresh_from_db()
        try:
            services.coalition_update(
                coalition=coalition, actor=request.user, reviews=form.cleaned_data["reviews"], **fields
            )
        except ValidationError as error:
            # A logo whose header was fine but whose pixels cannot be read (services/logos.py).
            form.add_error(None, error)
        else:
            messages.success(request, _("The coalition's details are saved."))
            return redirect("coalitions:home", pk=coalition.pk)
    return render(
        request,
        "coalitions/coalition_form.html",
        {
            "form": form,
            "coalition": coalition,
            # Its own form on the same page, sent to coalitions:two_factor (coalitions/views/two_factor.py).
            "two_factor_form": CoalitionTwoFactorForm(initial={"require_two_factor": coalition.require_two_factor}),
            "members_without_two_factor": selectors.members_without_two_factor(coalition=coalition),
        },
    )


@login_required
@require_GET
def activity(request, pk: int):
    coalition = coalition_for(request, pk, "coalitions.view_audit_log")
    return render(
        request,
        "coalitions/activity.html",
        {"coalition": coalition, "events": selectors.audit_events_of(coalition=coalition)},
    )
