"""Writing the coalition's factsheets: one a theme and review, with two or three of its own asks."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from advocacy.models import Factsheet
from coalitions.models import Coalition
from reviews.models import Review, UPRRecommendation
from submissions.models import Recommendation
from upr_portal.validators import validate_no_control_characters

MIN_ASKS = 2
MAX_ASKS = 3


class StaleFactsheet(ValidationError):
    """Someone saved the factsheet after this person opened it."""


def _checked_links(*, coalition: Coalition, review: Review, previous: Iterable[int], asks: Iterable[int]):
    ask_ids, previous_ids = set(asks), set(previous)
    if not MIN_ASKS <= len(ask_ids) <= MAX_ASKS:
        raise ValidationError(
            _(
                "Choose two or three of the coalition's recommendations (%(n)d chosen): a one-page factsheet "
                "carries no more, and one alone is not a set of asks."
            )
            % {"n": len(ask_ids)},
            code="asks",
        )
    own = list(
        Recommendation.objects.filter(pk__in=ask_ids, submission__coalition=coalition, submission__review=review)
    )
    if len(own) != len(ask_ids):
        raise ValidationError(_("Choose recommendations of the coalition's submissions for this review."), code="asks")
    earlier = list(
        UPRRecommendation.objects.filter(pk__in=previous_ids, review__state_id=review.state_id).exclude(review=review)
    )
    if len(earlier) != len(previous_ids):
        raise ValidationError(_("Choose recommendations made at the State's earlier reviews."), code="previous")
    return earlier, own


def _clean(theme: str, key_facts: str) -> tuple[str, str]:
    theme = " ".join(theme.split())
    if not theme:
        raise ValidationError(_("Name the factsheet's theme."), code="theme")
    validate_no_control_characters(theme)
    return theme, key_facts.replace("\r\n", "\n").strip()


def _unique_theme_error() -> ValidationError:
    return ValidationError(
        _("The coalition already has a factsheet on this theme for this review: open that one instead."),
        code="theme",
    )


@transaction.atomic
def factsheet_create(
    *,
    coalition: Coalition,
    review: Review,
    actor: User,
    theme: str,
    key_facts: str = "",
    previous: Iterable[int] = (),
    asks: Iterable[int] = (),
) -> Factsheet:
    """A new factsheet with its previous recommendations and asks. Atomic: the row and its links."""
    if not coalition.reviews.filter(pk=review.pk).exists():
        raise ValidationError(_("Choose one of the reviews the coalition works on."), code="review")
    theme, key_facts = _clean(theme, key_facts)
    earlier, own = _checked_links(coalition=coalition, review=review, previous=previous, asks=asks)
    if Factsheet.objects.filter(coalition=coalition, review=review, theme__iexact=theme).exists():
        raise _unique_theme_error()
    try:
        with transaction.atomic():
            factsheet = Factsheet.objects.create(
                coalition=coalition, review=review, theme=theme, key_facts=key_facts, updated_by=actor
            )
    except IntegrityError as error:  # another person created it between the check and the insert
        raise _unique_theme_error() from error
    factsheet.previous.set(earlier)
    factsheet.asks.set(own)
    return factsheet


@transaction.atomic
def factsheet_update(
    *,
    factsheet: Factsheet,
    actor: User,
    version: int,
    theme: str,
    key_facts: str = "",
    previous: Iterable[int] = (),
    asks: Iterable[int] = (),
) -> Factsheet:
    """Saves the factsheet if nobody saved it since ``version`` was read. Atomic, the row locked."""
    locked = Factsheet.objects.select_for_update().get(pk=factsheet.pk)
    if locked.version != version:
        raise StaleFactsheet(
            _(
                "Someone saved this factsheet while you were editing it. Your text is kept in the form: "
                "reload the page to see their changes, then save yours again."
            ),
            code="stale",
        )
    theme, key_facts = _clean(theme, key_facts)
    earlier, own = _checked_links(coalition=locked.coalition, review=locked.review, previous=previous, asks=asks)
    if (
        Factsheet.objects.filter(coalition_id=locked.coalition_id, review_id=locked.review_id, theme__iexact=theme)
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise _unique_theme_error()
    locked.theme = theme
    locked.key_facts = key_facts
    locked.version += 1
    locked.updated_by = actor
    locked.save()
    locked.previous.set(earlier)
    locked.asks.set(own)
    return locked


def factsheet_delete(*, factsheet: Factsheet, actor: User) -> None:
    factsheet.delete()
