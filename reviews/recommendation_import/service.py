"""Writing imported recommendations: one transaction, keyed by (review, paragraph), with exact figures."""

import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.models import (
    IndexTerm,
    RecommendationImport,
    RecommendationPosition,
    Review,
    ReviewStatus,
    Session,
    State,
    UPRRecommendation,
)
from reviews.recommendation_import.rows import RecommendationRow
from reviews.recommendation_import.states import StateMatcher

BATCH_SIZE = 500


@dataclass
class ImportSummary:
    """What an import changed (or, on a dry run, would change); the figures the command prints."""

    recommendations: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    supported: int = 0
    noted: int = 0
    partially_supported: int = 0
    pending: int = 0
    links: int = 0
    unresolved: list[str] = field(default_factory=list)
    dry_run: bool = False
    # Paragraph -> "new", "updated" or "unchanged", for the preview.
    outcome: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("outcome")
        return data

    def line(self) -> str:
        """The one summary line: each word beside its number."""
        unresolved = str(len(self.unresolved))
        if self.unresolved:
            unresolved = f"{unresolved}: {', '.join(self.unresolved)}"
        return " · ".join(
            [
                _("recommendations %(count)s") % {"count": self.recommendations},
                _("new %(count)s") % {"count": self.new},
                _("updated %(count)s") % {"count": self.updated},
                _("unchanged %(count)s") % {"count": self.unchanged},
                _("supported %(count)s") % {"count": self.supported},
                _("noted %(count)s") % {"count": self.noted},
                _("links %(count)s") % {"count": self.links},
                _("unresolved %(names)s") % {"names": unresolved},
            ]
        )


@dataclass
class _Prepared:
    row: RecommendationRow
    states: list[State]
    states_text: str
    terms: list[tuple[str, str]]
    fingerprint: str


def fingerprint(
    *,
    report_symbol: str,
    paragraph: str,
    text: str,
    states: list[str],
    states_text: str,
    position: str,
    position_source: str,
    terms: list[tuple[str, str]],
    sdgs: list[int],
) -> str:
    """sha256 of what an import stores of one recommendation (States by code, terms by kind and name)."""
    stored = [report_symbol, paragraph, text, sorted(states), states_text, position, position_source]
    stored += [sorted(terms), sorted(sdgs)]
    return hashlib.sha256(json.dumps(stored, ensure_ascii=False).encode("utf-8")).hexdigest()


def _prepare(rows: list[RecommendationRow], matcher: StateMatcher, summary: ImportSummary) -> list[_Prepared]:
    unresolved: list[str] = []
    prepared = []
    for row in rows:
        states, missing = matcher.resolve(row.state_names)
        unresolved += [name for name in missing if name not in unresolved]
        terms = sorted(
            {(IndexTerm.Kind.THEME.value, name) for name in row.themes}
            | {(IndexTerm.Kind.PERSONS.value, name) for name in row.persons}
        )
        states_text = "; ".join(row.state_names)
        digest = fingerprint(
            report_symbol=row.report_symbol,
            paragraph=row.paragraph,
            text=row.text,
            states=[state.code for state in states],
            states_text=states_text,
            position=row.position,
            position_source=row.position_source,
            terms=terms,
            sdgs=row.sdgs,
        )
        prepared.append(_Prepared(row, states, states_text, terms, digest))
        summary.links += len(states)
        counts = {
            RecommendationPosition.SUPPORTED: "supported",
            RecommendationPosition.NOTED: "noted",
            RecommendationPosition.PARTIALLY_SUPPORTED: "partially_supported",
            RecommendationPosition.PENDING: "pending",
        }
        name = counts[RecommendationPosition(row.position)]
        setattr(summary, name, getattr(summary, name) + 1)
    summary.unresolved = sorted(unresolved, key=str.casefold)
    return prepared


def _terms(wanted: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The pk of each (kind, name), creating the terms the vocabulary lacks (three queries at most)."""
    if not wanted:
        return {}
    names = {name for _kind, name in wanted}

    def known():
        return {
            (kind, name): pk
            for pk, kind, name in IndexTerm.objects.filter(name__in=names).values_list("pk", "kind", "name")
            if (kind, name) in wanted
        }

    found = known()
    missing = wanted - set(found)
    if missing:
        # Another import may create the same term meanwhile: the unique (kind, name) keeps one.
        IndexTerm.objects.bulk_create(
            [IndexTerm(kind=kind, name=name) for kind, name in sorted(missing)], ignore_conflicts=True
        )
        found = known()
    return found


def import_recommendations(
    *,
    review: Review,
    rows: list[RecommendationRow],
    actor=None,
    dry_run: bool,
    file_name: str = "",
    file_format: str = "",
    matcher: StateMatcher | None = None,
) -> ImportSummary:
    """Store the rows as the review's recommendations, in one transaction.

    Idempotent: a recommendation is found by (review, paragraph); its fingerprint tells an unchanged
    row (not written) from an updated one (its fields, States and terms replaced). Recommendations the
    file does not list are kept (matrix assessments may cite them). Terms are created as needed. Rows
    must have passed ``check_rows``. A dry run computes the same figures and writes nothing; a real one
    records a RecommendationImport. The number of queries does not grow with the rows (bulk writes).
    """
    matcher = matcher or StateMatcher()
    summary = ImportSummary(recommendations=len(rows), dry_run=dry_run)
    prepared = _prepare(rows, matcher, summary)
    existing = {
        paragraph: (pk, digest)
        for pk, paragraph, digest in UPRRecommendation.objects.filter(review=review).values_list(
            "pk", "paragraph", "fingerprint"
        )
    }
    new, changed = [], []
    for item in prepared:
        known = existing.get(item.row.paragraph)
        if known is None:
            new.append(item)
            summary.outcome[item.row.paragraph] = "new"
        elif known[1] != item.fingerprint:
            changed.append(item)
            summary.outcome[item.row.paragraph] = "updated"
        else:
            summary.outcome[item.row.paragraph] = "unchanged"
    summary.new, summary.updated = len(new), len(changed)
    summary.unchanged = len(prepared) - summary.new - summary.updated
    if dry_run:
        return summary

    with transaction.atomic():
        term_pks = _terms({term for item in [*new, *changed] for term in item.terms})
        now = timezone.now()

        def fields(item: _Prepared) -> dict:
            major, minor = item.row.paragraph_sort_key
            return {
                "report_symbol": item.row.report_symbol,
                "paragraph": item.row.paragraph,
                "paragraph_major": major,
                "paragraph_minor": minor,
                "text": item.row.text,
                "recommending_states_text": item.states_text,
                "position": item.row.position,
                "position_source": item.row.position_source,
                "sdgs": item.row.sdgs,
                "fingerprint": item.fingerprint,
            }

        created = UPRRecommendation.objects.bulk_create(
            [UPRRecommendation(review=review, **fields(item)) for item in new], batch_size=BATCH_SIZE
        )
        updated = []
        for item in changed:
            recommendation = UPRRecommendation(pk=existing[item.row.paragraph][0], review=review, **fields(item))
            recommendation.updated_at = now
            updated.append(recommendation)
        if updated:
            UPRRecommendation.objects.bulk_update(updated, [*fields(changed[0]), "updated_at"], batch_size=BATCH_SIZE)
            changed_pks = [recommendation.pk for recommendation in updated]
            UPRRecommendation.recommending_states.through.objects.filter(uprrecommendation_id__in=changed_pks).delete()
            UPRRecommendation.terms.through.objects.filter(uprrecommendation_id__in=changed_pks).delete()
        written = list(zip([*created, *updated], [*new, *changed], strict=True))
        StateLink = UPRRecommendation.recommending_states.through
        TermLink = UPRRecommendation.terms.through
        StateLink.objects.bulk_create(
            [
                StateLink(uprrecommendation_id=rec.pk, state_id=state.pk)
                for rec, item in written
                for state in item.states
            ],
            batch_size=BATCH_SIZE,
        )
        TermLink.objects.bulk_create(
            [
                TermLink(uprrecommendation_id=rec.pk, indexterm_id=term_pks[term])
                for rec, item in written
                for term in item.terms
            ],
            batch_size=BATCH_SIZE,
        )
        RecommendationImport.objects.create(
            review=review,
            imported_by=actor if actor is not None and actor.is_authenticated else None,
            file_name=file_name[:255],
            file_format=file_format[:20],
            summary=summary.as_json(),
        )
    return summary


class ReviewChoiceError(Exception):
    """The review to import into cannot be found or made; the message says why in plain words."""


def review_for_import(*, state_code: str, session_number: int, past_only: bool = False) -> Review:
    """The State's review in that session, created if the session exists and the review does not
    (its outcome adopted when the session is past: a previous cycle's review). With ``past_only``
    (a coalition's page, not the calendar's keepers) only a review of a past session is created."""
    state = State.objects.filter(code=state_code.strip().upper()).first()
    if state is None:
        raise ReviewChoiceError(_("There is no State with the code “%(code)s”.") % {"code": state_code})
    session = Session.objects.filter(number=session_number).first()
    if session is None:
        raise ReviewChoiceError(
            _("There is no Working Group session %(number)s in the calendar.") % {"number": session_number}
        )
    review = Review.objects.filter(state=state, session=session).first()
    if review is not None:
        return review
    past = not Session.objects.filter(pk=session.pk).upcoming().exists()
    if past_only and not past:
        raise ReviewChoiceError(
            _(
                "%(state)s is not reviewed in session %(number)s, which has not closed yet: choose one of the "
                "State's reviews, or a past session."
            )
            % {"state": state.name, "number": session.number}
        )
    return Review.objects.create(
        state=state, session=session, status=ReviewStatus.OUTCOME_ADOPTED if past else ReviewStatus.SCHEDULED
    )
