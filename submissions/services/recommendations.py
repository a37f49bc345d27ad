"""Writing a section's recommendations: add, change, delete, reorder, tick and confirm the SMART checklist.

A section's recommendations are numbered 1..n by ``position``; every service that adds, removes or
moves one renumbers them under a lock on the section's rows, so two people never get the same number.
A reviewer's confirmation is of the text and the ticks as they were: changing either afterwards
withdraws it (the result says so, for the page to tell the person).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from coalitions.models import AuditEvent
from coalitions.services.coalitions import audit
from reviews.models import UPRRecommendation
from submissions.errors import SubmissionError, refuse_if_locked
from submissions.models import Recommendation, Section
from submissions.models.recommendations import RECOMMENDATION_MAX_LENGTH, SMART_CRITERIA
from submissions.services.signoff import sign_offs_invalidate
from upr_portal.validators import validate_no_control_characters

SMART_FIELDS = [name for name, _label, _help in SMART_CRITERIA]


@dataclass(frozen=True)
class RecommendationResult:
    recommendation: Recommendation
    confirmation_withdrawn: bool = False


def _clean_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise SubmissionError(_("Write the recommendation."))
    if len(text) > RECOMMENDATION_MAX_LENGTH:
        raise SubmissionError(
            _("A recommendation can have at most %(max)d characters; this one has %(length)d.")
            % {"max": RECOMMENDATION_MAX_LENGTH, "length": len(text)}
        )
    validate_no_control_characters(text)
    return text


def _renumber(section: Section) -> list[Recommendation]:
    """Positions 1..n in the current order; call inside a transaction (the rows are locked)."""
    rows = list(Recommendation.objects.select_for_update().filter(section=section).order_by("position", "pk"))
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position", "updated_at"])
    return rows


@transaction.atomic
def recommendation_add(
    *,
    section: Section,
    actor: User,
    text: str,
    theme: str = "",
    states: Iterable = (),
    smart: Iterable[str] = (),
    follows_up: str = "",
    follows_up_recommendations: Iterable[int] = (),
) -> Recommendation:
    """Adds a recommendation at the end of its section, with its target States, ticks and the earlier
    recommendations it follows up. Atomic."""
    refuse_if_locked(section.submission)
    Section.objects.select_for_update().filter(pk=section.pk).first()
    last = _renumber(section)
    ticked = set(smart)
    recommendation = Recommendation(
        submission_id=section.submission_id,
        section=section,
        position=len(last) + 1,
        text=_clean_text(text),
        theme=theme.strip(),
        follows_up=follows_up.strip(),
        created_by=actor,
        **{name: name in ticked for name in SMART_FIELDS},
    )
    recommendation.full_clean(exclude=["recommending_states"])
    recommendation.save()
    recommendation.recommending_states.set(list(states))
    recommendation.follows_up_recommendations.set(_earlier_recommendations(section, follows_up_recommendations))
    _printed_text_changed(section, actor)
    return recommendation


def _earlier_recommendations(section: Section, ids: Iterable[int]) -> list[int]:
    """The ids, checked: recommendations made to the submission's State at an earlier review."""
    wanted = set(ids)
    if not wanted:
        return []
    review = section.submission.review
    found = set(
        UPRRecommendation.objects.filter(
            pk__in=wanted, review__state_id=review.state_id, review__session__number__lt=review.session.number
        ).values_list("pk", flat=True)
    )
    if found != wanted:
        raise SubmissionError(_("Choose recommendations made to the State at its earlier reviews."))
    return sorted(found)


def _printed_text_changed(section: Section, actor: User) -> None:
    """The recommendations are printed in the documents: a change to them, like a new version of the
    section's text, sets back the endorsements of a submission in sign-off."""
    sign_offs_invalidate(section=section, actor=actor)


def _withdraw_if_confirmed(recommendation: Recommendation) -> bool:
    if recommendation.smart_confirmed_at is None:
        return False
    recommendation.smart_confirmed_by = None
    recommendation.smart_confirmed_at = None
    return True


@transaction.atomic
def recommendation_change(
    *,
    recommendation: Recommendation,
    actor: User,
    text: str,
    theme: str = "",
    states: Iterable = (),
    smart: Iterable[str] = (),
    follows_up: str = "",
    follows_up_recommendations: Iterable[int] = (),
) -> RecommendationResult:
    """Changes the text, theme, States and ticks. A change of the text or the ticks withdraws a
    reviewer's confirmation (``confirmation_withdrawn``); the theme and the States do not. Atomic."""
    refuse_if_locked(recommendation.section.submission)
    text = _clean_text(text)
    ticked = set(smart)
    if text != recommendation.text:
        _printed_text_changed(recommendation.section, actor)
    changed = text != recommendation.text or any(
        getattr(recommendation, name) != (name in ticked) for name in SMART_FIELDS
    )
    recommendation.text = text
    recommendation.theme = theme.strip()
    recommendation.follows_up = follows_up.strip()
    for name in SMART_FIELDS:
        setattr(recommendation, name, name in ticked)
    withdrawn = changed and _withdraw_if_confirmed(recommendation)
    recommendation.full_clean(exclude=["recommending_states"])
    recommendation.save()
    recommendation.recommending_states.set(list(states))
    recommendation.follows_up_recommendations.set(
        _earlier_recommendations(recommendation.section, follows_up_recommendations)
    )
    return RecommendationResult(recommendation, confirmation_withdrawn=withdrawn)


@transaction.atomic
def recommendation_tick(*, recommendation: Recommendation, actor: User, smart: Iterable[str]) -> RecommendationResult:
    """Sets the drafter's SMART ticks; a change withdraws a confirmation. Atomic."""
    refuse_if_locked(recommendation.section.submission)
    ticked = set(smart)
    if not any(getattr(recommendation, name) != (name in ticked) for name in SMART_FIELDS):
        return RecommendationResult(recommendation)
    for name in SMART_FIELDS:
        setattr(recommendation, name, name in ticked)
    withdrawn = _withdraw_if_confirmed(recommendation)
    recommendation.save()
    return RecommendationResult(recommendation, confirmation_withdrawn=withdrawn)


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation, actor: User) -> None:
    """Deletes it and renumbers the rest of its section. Atomic."""
    section = recommendation.section
    refuse_if_locked(section.submission)
    Section.objects.select_for_update().filter(pk=section.pk).first()
    recommendation.delete()
    _renumber(section)
    _printed_text_changed(section, actor)


@transaction.atomic
def recommendation_move(*, recommendation: Recommendation, actor: User, offset: int) -> None:
    """Swaps it with its neighbour above (offset -1) or below (offset 1); nothing at either end. Atomic."""
    section = recommendation.section
    refuse_if_locked(section.submission)
    Section.objects.select_for_update().filter(pk=section.pk).first()
    rows = _renumber(section)
    index = next(i for i, row in enumerate(rows) if row.pk == recommendation.pk)
    target = index + offset
    if not 0 <= target < len(rows):
        return
    rows[index], rows[target] = rows[target], rows[index]
    _printed_text_changed(section, actor)
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position", "updated_at"])


@transaction.atomic
def recommendation_confirm_smart(*, recommendation: Recommendation, actor: User) -> Recommendation:
    """A reviewer confirms the ticked checklist; only a complete one (all five ticked) can be. Atomic
    with its audit event."""
    section = recommendation.section
    refuse_if_locked(section.submission)
    if not recommendation.is_smart:
        raise SubmissionError(
            _("Only a recommendation with all five SMART criteria ticked can be confirmed; this one has %(n)d.")
            % {"n": len(recommendation.smart_ticked)}
        )
    recommendation.smart_confirmed_by = actor
    recommendation.smart_confirmed_at = timezone.now()
    recommendation.save(update_fields=["smart_confirmed_by", "smart_confirmed_at", "updated_at"])
    audit(
        coalition=section.submission.coalition,
        actor=actor,
        action=AuditEvent.Action.SMART_CONFIRMED,
        subject=section.title,
        submission=section.submission_id,
        section=section.pk,
        recommendation=recommendation.pk,
        number=recommendation.position,
    )
    return recommendation


@transaction.atomic
def recommendation_withdraw_confirmation(*, recommendation: Recommendation, actor: User) -> Recommendation:
    """The reviewer takes a confirmation back. Atomic."""
    refuse_if_locked(recommendation.section.submission)
    if _withdraw_if_confirmed(recommendation):
        recommendation.save(update_fields=["smart_confirmed_by", "smart_confirmed_at", "updated_at"])
    return recommendation
