"""Uptake after the review: which of the coalition's own recommendations (its "asks") the States
actually made at the review, matched by text similarity computed here (rapidfuzz, no model), each
match confirmed or rejected by a person.

Proposing matches (``uptake_propose``) compares every ask of the coalition's submissions for the
review with every recommendation made at it (``reviews.UPRRecommendation`` rows of the review, once
its outcome is imported). The texts are normalised the same simple way on both sides
(``normalised``): case-folded (accents kept: "État" and "etat" stay different words), split into
words, and the stop words of the submission's language left out. rapidfuzz's ``token_set_ratio``
then scores each pair from 0 to 100; it ignores word order and repeated words, and a short ask
contained in a long UN text scores high, which is how the UN words recommendations that take up a
civil-society ask. ``uptake_propose`` says how a target State adds a bonus, and the cut-offs.

Re-running keeps every decision: confirmed and rejected pairs are never touched, proposed pairs get
their new score, proposals no longer among the candidates are dropped (nobody decided on them), and
the (asked, made) unique constraint means a pair is never stored twice.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from accounts.models import User
from advocacy.models import UptakeMatch
from coalitions.models import Coalition
from reviews.models import Review, UPRRecommendation
from submissions.models import Recommendation

# A made recommendation is proposed for an ask when their similarity (0-100, with the bonus) is at
# least this. 60 keeps paraphrases ("Ratify the Optional Protocol..." / "Consider ratifying the
# Optional Protocol...") and drops pairs that only share the topic's usual words.
SIMILARITY_THRESHOLD = 60
# At most this many proposals per ask, the most similar first: a person reads each one.
MAX_CANDIDATES = 3
# Added to the score when one of the made recommendation's recommending States is among the States
# the coalition asked to make the ask (its target States), capped at 100: the coalition lobbied that
# State for that ask, so a paraphrase by it is more likely the same recommendation.
TARGET_STATE_BONUS = 10

# The most frequent function words of the portal's three languages. Only these go: words such as
# "not", "no" or "without" carry meaning in a recommendation and stay.
# One string per language, readable at a glance (SIM905 would have one word a line).
STOP_WORDS = {
    "en": frozenset(
        (  # noqa: SIM905
            "a an and are as at be by for from has have in into is it its of on or that the their this to was "
            "were which with all any such"
        ).split()
    ),
    "fr": frozenset(
        (  # noqa: SIM905
            "à au aux avec ce ces cet cette d dans de des du en est et il ils l la le les leur leurs par pour qu "
            "que qui sa se ses son sur un une"
        ).split()
    ),
    "es": frozenset(
        "a al con de del el en es esta este la las lo los para por que se su sus un una y".split()  # noqa: SIM905
    ),
}
_WORD = re.compile(r"\w+")


class UptakeError(ValidationError):
    """A change the uptake's rules refuse; the message is shown as it is."""


def normalised(text: str, *, language: str) -> str:
    """The words of ``text``, case-folded, without the stop words of ``language``, each once, in
    alphabetical order, joined by spaces.

    ``token_set_ratio`` compares sets of words, so their order and repeats never change a score;
    handing it the set already sorted saves it that work for every pair (about a third of the time).
    """
    stop = STOP_WORDS.get(language, STOP_WORDS["en"])
    return " ".join(sorted({word for word in _WORD.findall(text.casefold()) if word not in stop}))


def coalition_asks(*, coalition: Coalition, review: Review):
    """The coalition's own recommendations for the review: those of its submissions for it."""
    return Recommendation.objects.filter(submission__coalition=coalition, submission__review=review)


@dataclass(frozen=True)
class ProposeResult:
    asks: int
    made: int
    proposed: int  # proposals stored now (new or kept with a new score)
    new: int
    dropped: int  # earlier proposals no longer among the candidates


def candidates(
    *, asks: list[tuple[int, str, str, frozenset[int]]], made: list[tuple[int, str, frozenset[int]]]
) -> dict[int, list[tuple[int, float]]]:
    """For each ask (id, text, language, target State ids), its candidates among the made
    recommendations (id, text, recommending State ids): [(made id, score)], best first.

    Plain data in, plain data out, no query: ``uptake_propose`` reads the rows once. Each ask is
    scored against all made texts by ``process.extract`` (rapidfuzz's C loop), with a cut-off lowered
    by the bonus so a pair that reaches the threshold only with it is not cut early.
    """
    made_states = {pk: states for pk, _text, states in made}
    by_language: dict[str, dict[int, str]] = {}
    found: dict[int, list[tuple[int, float]]] = {}
    for ask_id, text, language, targets in asks:
        if language not in by_language:
            by_language[language] = {pk: normalised(made_text, language=language) for pk, made_text, _s in made}
        choices = by_language[language]
        query = normalised(text, language=language)
        if not query:
            continue
        scored = []
        for _choice, score, made_id in process.extract(
            query,
            choices,
            scorer=fuzz.token_set_ratio,
            score_cutoff=max(SIMILARITY_THRESHOLD - TARGET_STATE_BONUS, 0),
            limit=None,
        ):
            if targets and targets & made_states[made_id]:
                score = min(score + TARGET_STATE_BONUS, 100)
            if score >= SIMILARITY_THRESHOLD:
                scored.append((made_id, round(score, 1)))
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        found[ask_id] = scored[:MAX_CANDIDATES]
    return found


def _state_ids(through, column: str, ids: list[int]) -> dict[int, frozenset[int]]:
    rows = defaultdict(set)
    for owner, state in through.objects.filter(**{f"{column}__in": ids}).values_list(column, "state_id"):
        rows[owner].add(state)
    return {pk: frozenset(states) for pk, states in rows.items()}


@transaction.atomic
def uptake_propose(*, coalition: Coalition, review: Review, actor: User) -> ProposeResult:
    """Proposes, for each of the coalition's asks for ``review``, the most similar recommendations
    made at the review (``candidates``), as UptakeMatch rows with status proposed. Atomic.

    Scoring: ``token_set_ratio`` of the two normalised texts (0-100). Bonus: when one of the made
    recommendation's recommending States is among the ask's target States (the States the coalition
    asked to make it), TARGET_STATE_BONUS points are added, capped at 100. Then only the pairs at or
    above SIMILARITY_THRESHOLD are kept, at most MAX_CANDIDATES per ask, the highest first.

    A constant number of queries whatever the numbers of asks and made recommendations: the asks,
    the made ones, the States of each (two), the stored matches, then one insert, one update and
    one delete in bulk.
    """
    ask_rows = list(
        coalition_asks(coalition=coalition, review=review).values_list("pk", "text", "submission__language")
    )
    made_rows = list(UPRRecommendation.objects.filter(review=review).values_list("pk", "text"))
    ask_states = _state_ids(Recommendation.recommending_states.through, "recommendation_id", [r[0] for r in ask_rows])
    made_states = _state_ids(
        UPRRecommendation.recommending_states.through, "uprrecommendation_id", [r[0] for r in made_rows]
    )
    found = candidates(
        asks=[(pk, text, language, ask_states.get(pk, frozenset())) for pk, text, language in ask_rows],
        made=[(pk, text, made_states.get(pk, frozenset())) for pk, text in made_rows],
    )
    stored = {
        (m.asked_id, m.made_id): m
        for m in UptakeMatch.objects.select_for_update().filter(coalition=coalition, made__review=review)
    }
    new, changed, keep = [], [], set()
    for ask_id, pairs in found.items():
        for made_id, score in pairs:
            match = stored.get((ask_id, made_id))
            if match is None:
                new.append(UptakeMatch(coalition=coalition, asked_id=ask_id, made_id=made_id, score=score))
            elif match.status == UptakeMatch.Status.PROPOSED:
                keep.add(match.pk)
                if match.score != score:
                    match.score, match.updated_at = score, timezone.now()
                    changed.append(match)
    UptakeMatch.objects.bulk_create(new)
    if changed:
        UptakeMatch.objects.bulk_update(changed, ["score", "updated_at"])
    stale = [m.pk for m in stored.values() if m.status == UptakeMatch.Status.PROPOSED and m.pk not in keep]
    if stale:
        UptakeMatch.objects.filter(pk__in=stale).delete()
    return ProposeResult(
        asks=len(ask_rows), made=len(made_rows), proposed=len(new) + len(keep), new=len(new), dropped=len(stale)
    )


DECISIONS = {
    "confirm": UptakeMatch.Status.CONFIRMED,
    "reject": UptakeMatch.Status.REJECTED,
    "undo": UptakeMatch.Status.PROPOSED,
}


@transaction.atomic
def uptake_decide(*, match: UptakeMatch, actor: User, action: str) -> UptakeMatch:
    """Confirms or rejects a match, or undoes the decision (back to proposed). Atomic.

    A rejection asks nothing more: it deletes nothing and "undo" brings the proposal back.
    """
    if action not in DECISIONS:
        raise UptakeError(_("Choose confirm, reject or undo."))
    match = UptakeMatch.objects.select_for_update().get(pk=match.pk)
    status = DECISIONS[action]
    if action == "undo":
        match.decided_by, match.decided_at = None, None
    else:
        match.decided_by, match.decided_at = actor, timezone.now()
    match.status = status
    match.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return match


@transaction.atomic
def uptake_match_manually(
    *, coalition: Coalition, review: Review, asked: Recommendation, made: UPRRecommendation, actor: User
) -> UptakeMatch:
    """Pairs an ask with a made recommendation a person chose: stored as confirmed (the person
    decided), with the pair's similarity for the record. An existing pair is confirmed. Atomic."""
    if not coalition_asks(coalition=coalition, review=review).filter(pk=asked.pk).exists():
        raise UptakeError(_("Choose one of the coalition's recommendations for this review."))
    if made.review_id != review.pk:
        raise UptakeError(_("Choose a recommendation made at this review."))
    language = asked.submission.language
    score = round(
        fuzz.token_set_ratio(normalised(asked.text, language=language), normalised(made.text, language=language)), 1
    )
    match, _created = UptakeMatch.objects.select_for_update().get_or_create(
        asked=asked, made=made, defaults={"coalition": coalition, "score": score}
    )
    match.status = UptakeMatch.Status.CONFIRMED
    match.decided_by, match.decided_at = actor, timezone.now()
    match.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return match
