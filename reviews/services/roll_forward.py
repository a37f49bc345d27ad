"""Rolling a UPR cycle forward: the next cycle, its sessions, its reviews and its document limits,
derived from the cycle before it.

The Working Group reviews the member States in a fixed order kept from cycle to cycle (HRC decision
17/119), three sessions a year. So the next cycle is the previous one again: session k of the new
cycle reviews the States of session k of the old one, in the same order, and its dates follow the old
cycle's pattern, marked provisional until OHCHR publishes them.

``cycle_roll_forward_plan`` works out what a roll-forward would create and keep without writing
anything; ``cycle_roll_forward`` writes it; ``cycle_roll_forward_preview`` (the admin's preview) does it
in a transaction it rolls back, so that the preview also refuses what the calendar's rules would.
"""

import datetime
import itertools
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reviews.models import (
    GENEVA,
    REVIEW_MOMENTS,
    SESSION_MILESTONES,
    Cycle,
    DocumentLimit,
    Review,
    Session,
    State,
)


class RollForwardError(Exception):
    """A roll-forward that cannot be done; the message says why in plain words."""


# The typical timeline of a review, used only for a milestone that the source session has neither on
# itself nor on its reviews. One place for all of them. Source: /work/shared/DOMAIN.md, "Timeline of one
# review", compiled from OHCHR's cycle and session pages, UPR Info's deadline and pre-session pages and
# ILGA's list of UPR deadlines (T = the first day of the Working Group session). Counted in whole weeks
# so that, from a session opening on a Monday, each falls on a Monday rather than a weekend:
# - stakeholder submission deadline: about 6 to 7.2 months before T: 30 weeks (about 7 months);
# - submission window: opens about 6 weeks before the stakeholder deadline;
# - national report deadline: about 12 to 15 weeks before T: 13 weeks (about 3 months);
# - UPR Info pre-sessions in Geneva: about 1 month before T: 4 weeks;
# - adoption at the Human Rights Council plenary: about 4 to 5 months after T: 18 weeks (about 4 months);
# - mid-term report: about 2 to 2.5 years later: 130 weeks (2.5 years) after the adoption.
TYPICAL_WEEKS = {
    "stakeholder_deadline": -30,
    "submission_window_opens": -6,  # from the stakeholder deadline
    "national_report_deadline": -13,
    "pre_session": -4,
    "adoption_date": 18,
    "mid_term_report_due": 130,  # from the adoption
}
# The milestones that hang on another rather than on the Working Group's opening.
_TYPICAL_FROM = {"submission_window_opens": "stakeholder_deadline", "mid_term_report_due": "adoption_date"}


def _typical_milestone(name: str, *, wg_start: datetime.date, derived: dict[str, datetime.date]) -> datetime.date:
    """The typical day of milestone ``name`` for a session opening on ``wg_start``; the window and the
    mid-term report hang on the deadline and the adoption already in ``derived``."""
    start = derived[_TYPICAL_FROM[name]] if name in _TYPICAL_FROM else wg_start
    return start + datetime.timedelta(weeks=TYPICAL_WEEKS[name])


# Worked out in this order, so that the window and the mid-term report find the deadline and the
# adoption they hang on.
_DERIVATION_ORDER = (
    "stakeholder_deadline",
    "submission_window_opens",
    "national_report_deadline",
    "pre_session",
    "adoption_date",
    "mid_term_report_due",
)

# The order the milestones of one session must keep, earliest first (the Working Group sits between
# the pre-session and the adoption).
_CHRONOLOGY = (
    "submission_window_opens",
    "stakeholder_deadline",
    "national_report_deadline",
    "pre_session",
    "wg_start",
    "wg_end",
    "adoption_date",
    "mid_term_report_due",
)


def _monday_on_or_after(day: datetime.date) -> datetime.date:
    # Never earlier than the day given: the first session must not open before the day the admin chose.
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _working_group_slot(day: datetime.date) -> int:
    """A running count of the UPR's thirds of a year: the Working Group meets three times a year
    (January/February, April/May, October/November), and each session's outcomes are adopted at one of
    the Human Rights Council's three regular sessions. So the number of slots between two Working Group
    sessions is the number of HRC sessions between their adoptions."""
    third = 0 if day.month <= 3 else 1 if day.month <= 7 else 2
    return day.year * 3 + third


@dataclass
class PlannedSession:
    """Session ``number`` of the new cycle, in the place of ``source`` in the old one."""

    number: int
    source: Session
    wg_start: datetime.date | None
    wg_end: datetime.date | None
    hrc_session: int | None
    milestones: dict[str, datetime.date]
    # The milestones taken from the source session (the others are typical offsets).
    derived_from_source: list[str]
    existing: Session | None = None
    reviews_to_create: int = 0
    reviews_kept: int = 0


@dataclass
class PlannedReview:
    state: State
    session_number: int
    order: int | None


@dataclass
class RollForwardReport:
    """What a roll-forward created and what it found already there and kept as it was."""

    cycle: Cycle | None = None
    cycles_created: int = 0
    cycles_kept: int = 0
    sessions_created: int = 0
    sessions_kept: int = 0
    reviews_created: int = 0
    reviews_kept: int = 0
    limits_created: int = 0
    limits_kept: int = 0

    def lines(self) -> list[str]:
        # One line per kind of row; each number next to its word. Plural forms follow the number created.
        return [
            ngettext(
                "cycles: %(created)s created, %(kept)s kept",
                "cycles: %(created)s created, %(kept)s kept",
                self.cycles_created,
            )
            % {"created": self.cycles_created, "kept": self.cycles_kept},
            ngettext(
                "sessions: %(created)s created, %(kept)s kept",
                "sessions: %(created)s created, %(kept)s kept",
                self.sessions_created,
            )
            % {"created": self.sessions_created, "kept": self.sessions_kept},
            ngettext(
                "reviews: %(created)s created, %(kept)s kept",
                "reviews: %(created)s created, %(kept)s kept",
                self.reviews_created,
            )
            % {"created": self.reviews_created, "kept": self.reviews_kept},
            ngettext(
                "limits: %(created)s created, %(kept)s kept",
                "limits: %(created)s created, %(kept)s kept",
                self.limits_created,
            )
            % {"created": self.limits_created, "kept": self.limits_kept},
        ]


@dataclass
class RollForwardPlan:
    source: Cycle
    cycle_number: int
    start_year: int
    end_year: int | None
    existing_cycle: Cycle | None
    sessions: list[PlannedSession]
    reviews: list[PlannedReview]
    reviews_kept: int
    limits: list[DocumentLimit]
    limits_kept: int

    def report(self) -> RollForwardReport:
        """The counts the plan would give, before anything is written."""
        return RollForwardReport(
            cycle=self.existing_cycle,
            cycles_created=0 if self.existing_cycle else 1,
            cycles_kept=1 if self.existing_cycle else 0,
            sessions_created=sum(1 for planned in self.sessions if planned.existing is None),
            sessions_kept=sum(1 for planned in self.sessions if planned.existing is not None),
            reviews_created=len(self.reviews),
            reviews_kept=self.reviews_kept,
            limits_created=len(self.limits),
            limits_kept=self.limits_kept,
        )


def _most_common(values: list) -> object | None:
    """The value most reviews share; on a tie, the earliest (the data is then unsure anyway)."""
    if not values:
        return None
    counts = Counter(values)
    return min(counts, key=lambda value: (-counts[value], value))


def _source_milestones(session: Session, reviews: list[Review]) -> dict[str, datetime.date]:
    """The source session's milestones as days: its own, or else its reviews' most common ones."""
    days = {}
    for name in SESSION_MILESTONES:
        day = getattr(session, name)
        if day is None:
            values = [getattr(review, name) for review in reviews if getattr(review, name) is not None]
            if name in REVIEW_MOMENTS:
                values = [value.astimezone(GENEVA).date() for value in values]
            day = _most_common(values)
        if day is not None:
            days[name] = day
    return days


def _derive_milestones(
    *, source: Session, source_days: dict[str, datetime.date], wg_start: datetime.date | None
) -> tuple[dict[str, datetime.date], list[str]]:
    """The new session's milestones: each at the source's distance from the Working Group's opening,
    or at the typical distance when the source has none. Returns them and the names taken from the source."""
    if wg_start is None:
        return {}, []
    derived, from_source = {}, []
    for name in _DERIVATION_ORDER:
        if name in source_days and source.wg_start is not None:
            derived[name] = wg_start + (source_days[name] - source.wg_start)
            from_source.append(name)
        else:
            derived[name] = _typical_milestone(name, wg_start=wg_start, derived=derived)
    return derived, from_source


def _check_chronology(planned: PlannedSession) -> None:
    days = {**planned.milestones, "wg_start": planned.wg_start, "wg_end": planned.wg_end}
    known = [(name, days[name]) for name in _CHRONOLOGY if days.get(name) is not None]
    for (earlier, earlier_day), (later, later_day) in itertools.pairwise(known):
        # A one-day session opens and closes on the same day; everything else comes strictly in turn.
        if earlier_day > later_day or (earlier_day == later_day and (earlier, later) != ("wg_start", "wg_end")):
            raise RollForwardError(
                _(
                    "Session %(session)s: the dates derived from session %(source)s are out of order "
                    "(%(earlier)s on %(earlier_day)s, %(later)s on %(later_day)s). Correct session "
                    "%(source)s's milestones and try again."
                )
                % {
                    "session": planned.number,
                    "source": planned.source.number,
                    "earlier": _milestone_label(earlier),
                    "earlier_day": earlier_day.isoformat(),
                    "later": _milestone_label(later),
                    "later_day": later_day.isoformat(),
                }
            )


def _milestone_label(name: str) -> str:
    return str(Session._meta.get_field(name).verbose_name)


def cycle_roll_forward_plan(*, source: Cycle, first_session: int, first_day: datetime.date) -> RollForwardPlan:
    """What rolling ``source`` forward would create and keep; writes nothing.

    Raises RollForwardError when it cannot be done: the source cycle has no sessions, or its first
    session no dates to derive a pattern from; ``first_day`` is not after the source's last session
    closes; a session number of the new cycle belongs to another cycle.
    """
    source_sessions = list(source.sessions.order_by("number"))
    if not source_sessions:
        raise RollForwardError(
            _("Cycle %(cycle)s has no sessions: there is nothing to roll forward.") % {"cycle": source.number}
        )
    if first_session < 1:
        raise RollForwardError(_("The first session number must be 1 or more."))
    anchor = source_sessions[0]
    if anchor.wg_start is None:
        raise RollForwardError(
            _(
                "Session %(session)s, the first of cycle %(cycle)s, has no Working Group dates: the next "
                "cycle's dates are derived from them. Give it its dates first."
            )
            % {"session": anchor.number, "cycle": source.number}
        )
    last_close = max(s.wg_end for s in source_sessions if s.wg_end is not None)
    if first_day <= last_close:
        raise RollForwardError(
            _("The first day %(day)s must come after the last session of cycle %(cycle)s closes (%(close)s).")
            % {"day": first_day.isoformat(), "cycle": source.number, "close": last_close.isoformat()}
        )

    cycle_number = source.number + 1
    existing_cycle = Cycle.objects.filter(number=cycle_number).first()
    numbers = range(first_session, first_session + len(source_sessions))
    existing_sessions = {s.number: s for s in Session.objects.filter(number__in=numbers).select_related("cycle")}
    for number, session in sorted(existing_sessions.items()):
        if existing_cycle is None or session.cycle_id != existing_cycle.pk:
            raise RollForwardError(
                _(
                    "Session %(session)s already exists in cycle %(other)s; cycle %(cycle)s needs sessions "
                    "%(first)s to %(last)s. Choose another first session number."
                )
                % {
                    "session": number,
                    "other": session.cycle.number,
                    "cycle": cycle_number,
                    "first": numbers[0],
                    "last": numbers[-1],
                }
            )

    source_reviews = list(
        Review.objects.filter(session__cycle=source)
        .select_related("state", "session", "rescheduled_from")
        .order_by("session__number", "pk")
    )
    reviews_by_session: dict[int, list[Review]] = {}
    for review in source_reviews:
        reviews_by_session.setdefault(review.session_id, []).append(review)

    first_start = _monday_on_or_after(first_day)
    planned_sessions = []
    for number, source_session in zip(numbers, source_sessions, strict=True):
        wg_start = wg_end = hrc_session = None
        if source_session.wg_start is not None:
            wg_start = _monday_on_or_after(first_start + (source_session.wg_start - anchor.wg_start))
            if source_session.wg_end is not None:
                wg_end = wg_start + (source_session.wg_end - source_session.wg_start)
            if source_session.hrc_session is not None:
                hrc_session = source_session.hrc_session + (
                    _working_group_slot(wg_start) - _working_group_slot(source_session.wg_start)
                )
        milestones, from_source = _derive_milestones(
            source=source_session,
            source_days=_source_milestones(source_session, reviews_by_session.get(source_session.pk, [])),
            wg_start=wg_start,
        )
        planned = PlannedSession(
            number=number,
            source=source_session,
            wg_start=wg_start,
            wg_end=wg_end,
            hrc_session=hrc_session,
            milestones=milestones,
            derived_from_source=from_source,
            existing=existing_sessions.get(number),
        )
        _check_chronology(planned)
        planned_sessions.append(planned)

    reviews, reviews_kept = _plan_reviews(
        source_sessions=source_sessions,
        source_reviews=source_reviews,
        planned_sessions=planned_sessions,
        existing_cycle=existing_cycle,
    )

    limits, limits_kept = [], 0
    existing_kinds = set(existing_cycle.limits.values_list("kind", flat=True)) if existing_cycle else set()
    for limit in source.limits.order_by("kind"):
        if limit.kind in existing_kinds:
            limits_kept += 1
        else:
            limits.append(limit)

    end_year = None
    if source.end_year is not None:
        end_year = first_day.year + (source.end_year - source.start_year)
    return RollForwardPlan(
        source=source,
        cycle_number=cycle_number,
        start_year=first_day.year,
        end_year=end_year,
        existing_cycle=existing_cycle,
        sessions=planned_sessions,
        reviews=reviews,
        reviews_kept=reviews_kept,
        limits=limits,
        limits_kept=limits_kept,
    )


def _plan_reviews(
    *,
    source_sessions: list[Session],
    source_reviews: list[Review],
    planned_sessions: list[PlannedSession],
    existing_cycle: Cycle | None,
) -> tuple[list[PlannedReview], int]:
    """Every member State reviewed in the source cycle, in the new session at its place, and how many
    already have a review in the new cycle (kept where they are)."""
    new_number = {source.pk: planned.number for source, planned in zip(source_sessions, planned_sessions, strict=True)}
    planned_by_number = {planned.number: planned for planned in planned_sessions}
    reviewed_already: set[int] = set()
    taken: dict[int, set[int]] = {planned.number: set() for planned in planned_sessions}
    if existing_cycle is not None:
        for state_id, number, order in Review.objects.filter(session__cycle=existing_cycle).values_list(
            "state_id", "session__number", "order"
        ):
            reviewed_already.add(state_id)
            if number in planned_by_number:
                planned_by_number[number].reviews_kept += 1
                if order is not None:
                    taken[number].add(order)

    # (new session number, source review, moved?) for each State, once: a State reviewed twice in the
    # source cycle (which validation refuses) is placed by its first review.
    placed: dict[int, tuple[int, Review, bool]] = {}
    for review in source_reviews:
        if not review.state.is_reviewed or review.state_id in placed:
            continue
        # A review moved to another session (the USA from session 50 to 53 in cycle 4) goes back to its
        # original place: the fixed order of HRC decision 17/119 holds from cycle to cycle, a move does not.
        moved = review.rescheduled_from_id is not None and review.rescheduled_from_id in new_number
        origin = review.rescheduled_from_id if moved else review.session_id
        placed[review.state_id] = (new_number[origin], review, moved)

    kept = sum(1 for state_id in placed if state_id in reviewed_already)
    to_place = [
        (number, review, moved)
        for state_id, (number, review, moved) in placed.items()
        if state_id not in reviewed_already
    ]
    # States that stayed in their session keep their order; those that moved back come after them.
    to_place.sort(
        key=lambda item: (
            item[0],
            item[2],
            item[1].order is None,
            item[1].order or 0,
            item[1].state.name,
        )
    )
    planned_reviews = []
    for number, review, moved in to_place:
        orders = taken[number]
        order = review.order
        if order is not None and (moved or order in orders):
            # The order a moved review had was its place in the session it moved to; in its original
            # session its place is the one it left, the first gap in that session's order (else the end).
            order = next(place for place in range(1, max(orders, default=0) + 2) if place not in orders)
        if order is not None:
            orders.add(order)
        planned_reviews.append(PlannedReview(state=review.state, session_number=number, order=order))
        planned_by_number[number].reviews_to_create += 1
    return planned_reviews, kept


def cycle_roll_forward(*, source: Cycle, first_session: int, first_day: datetime.date) -> RollForwardReport:
    """Create cycle ``source.number + 1`` from ``source``: its sessions (numbered from ``first_session``,
    the first opening on the Monday on or after ``first_day``), a review for every member State in the
    same session place and order, and the source's document limits.

    Runs in one transaction: a refusal or a validation error leaves the database as it was. Rows that
    exist (the cycle by number, a session by number, a State's review in the new cycle, a limit by
    kind) are kept as they are, never duplicated or changed, so a second run changes nothing. Raises
    RollForwardError, with a plain message, when the roll-forward cannot be done.
    """
    with transaction.atomic():
        # Two roll-forwards of one cycle at once would both try to create the same rows.
        source = Cycle.objects.select_for_update().get(pk=source.pk)
        plan = cycle_roll_forward_plan(source=source, first_session=first_session, first_day=first_day)
        report = plan.report()
        cycle = plan.existing_cycle
        if cycle is None:
            cycle = Cycle(number=plan.cycle_number, start_year=plan.start_year, end_year=plan.end_year)
            _save(cycle, what=_("Cycle %(number)s") % {"number": plan.cycle_number})
        report.cycle = cycle

        sessions: dict[int, Session] = {}
        created_sessions: list[Session] = []
        for planned in plan.sessions:
            if planned.existing is not None:
                sessions[planned.number] = planned.existing
                continue
            session = Session(
                number=planned.number,
                cycle=cycle,
                wg_start=planned.wg_start,
                wg_end=planned.wg_end,
                hrc_session=planned.hrc_session,
                dates_provisional=True,
                deadline_time=planned.source.deadline_time,
                source=_session_source(planned, source=source),
                **planned.milestones,
            )
            _save(session, what=_("Session %(number)s") % {"number": planned.number})
            sessions[planned.number] = session
            created_sessions.append(session)

        created_numbers = {session.number for session in created_sessions}
        new_reviews = []
        for planned in plan.reviews:
            session = sessions[planned.session_number]
            review = Review(state=planned.state, session=session, order=planned.order, milestones_from_session=True)
            if planned.session_number not in created_numbers:
                # A session an admin already set up: its reviews, the kept ones included, stay as they
                # are; only the new reviews take its milestones.
                for name, value in session.review_milestones().items():
                    setattr(review, name, value)
            new_reviews.append(review)
        # Not validated one by one (a few queries each, seconds for a cycle): the plan gives only member
        # States, one review per State in the cycle, each order free in its session; the database's
        # constraints hold the rest.
        try:
            with transaction.atomic():
                Review.objects.bulk_create(new_reviews)
        except IntegrityError as exc:
            raise RollForwardError(
                _("The reviews of cycle %(cycle)s cannot be created: %(error)s") % {"cycle": cycle.number, "error": exc}
            ) from exc
        for session in created_sessions:
            # Every review of a session made just now is one of ours: the session gives them its milestones.
            session.apply_milestones()

        note = _("Carried over from cycle %(cycle)s; check OHCHR's current guidelines.") % {"cycle": source.number}
        for limit in plan.limits:
            copy = DocumentLimit(
                cycle=cycle,
                kind=limit.kind,
                max_words=limit.max_words,
                max_pages=limit.max_pages,
                notes_count=limit.notes_count,
                note=f"{note}\n{limit.note}" if limit.note else note,
            )
            _save(copy, what=copy.get_kind_display())
    return report


def cycle_roll_forward_preview(*, source: Cycle, first_session: int, first_day: datetime.date) -> RollForwardPlan:
    """The plan of a roll-forward, tried for real in a transaction that is then rolled back, so that the
    preview refuses whatever the roll-forward itself would (the calendar's rules on every new row).

    Writes nothing that lasts; raises RollForwardError as ``cycle_roll_forward`` does.
    """
    with transaction.atomic():
        plan = cycle_roll_forward_plan(source=source, first_session=first_session, first_day=first_day)
        cycle_roll_forward(source=source, first_session=first_session, first_day=first_day)
        transaction.set_rollback(True)
    return plan


def _save(obj, *, what: str) -> None:
    """Validate and save a new row; a row the calendar's rules refuse stops the whole roll-forward.

    Check constraints are left to the database, as the reference data loader does (checking them in
    Python costs a query each); the order of a session's milestones is checked with the plan.
    """
    try:
        obj.full_clean(validate_constraints=False)
        with transaction.atomic():
            obj.save()
    except ValidationError as exc:
        # A rule broken by both Working Group dates gives the same message twice: say it once.
        messages = " ".join(dict.fromkeys(exc.messages))
        raise RollForwardError(
            _("%(what)s cannot be created: %(errors)s") % {"what": what, "errors": messages}
        ) from exc
    except IntegrityError as exc:
        raise RollForwardError(_("%(what)s cannot be created: %(errors)s") % {"what": what, "errors": exc}) from exc


def _session_source(planned: PlannedSession, *, source: Cycle) -> str:
    derived = [_milestone_label(name) for name in SESSION_MILESTONES if name in planned.derived_from_source]
    typical = [_milestone_label(name) for name in SESSION_MILESTONES if name not in planned.derived_from_source]
    text = _(
        "Provisional dates derived by rolling cycle %(cycle)s forward: the pattern of session %(source)s, "
        "moved to a Monday. Correct them and untick “dates are provisional” when OHCHR publishes the calendar."
    ) % {"cycle": source.number, "source": planned.source.number}
    if planned.milestones:
        if derived:
            text += "\n" + _("Taken from session %(source)s's dates: %(milestones)s.") % {
                "source": planned.source.number,
                "milestones": ", ".join(derived),
            }
        if typical:
            text += "\n" + _("Typical offsets (reviews/services/roll_forward.py): %(milestones)s.") % {
                "milestones": ", ".join(typical)
            }
    return text
