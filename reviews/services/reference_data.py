"""Loading the reference data of reviews/data/: creates what is missing, fills what is empty, never
replaces a value, so an admin's edits survive."""

import csv
import datetime
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from reviews.models import (
    Cycle,
    DocumentLimit,
    RegionalGroup,
    RegionalGroupMembership,
    Review,
    Session,
    State,
)
from reviews.services.calendar import geneva_deadline

logger = logging.getLogger(__name__)

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class ReferenceDataError(Exception):
    """A reference data file cannot be loaded; the message names the file and line."""

    def __init__(self, *, path: Path, line: int, message: str):
        self.path = path
        self.line = line
        super().__init__(
            _("%(file)s, line %(line)s: %(message)s") % {"file": path.name, "line": line, "message": message}
        )


@dataclass
class LoadReport:
    regional_groups: int = 0
    states: int = 0
    group_memberships: int = 0
    cycles: int = 0
    sessions: int = 0
    reviews: int = 0
    limits: int = 0
    # Existing rows in which empty fields were filled from the data (nothing set is ever replaced).
    filled: int = 0
    # States whose review in a cycle already exists (perhaps moved by an admin), left as they are.
    reviews_kept: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            _("Created %(count)s regional groups.") % {"count": self.regional_groups},
            _("Created %(count)s States with %(memberships)s group memberships.")
            % {"count": self.states, "memberships": self.group_memberships},
            _("Created %(count)s cycles.") % {"count": self.cycles},
            _("Created %(count)s Working Group sessions.") % {"count": self.sessions},
            _("Created %(count)s reviews.") % {"count": self.reviews},
            _("Created %(count)s document limits.") % {"count": self.limits},
        ]
        if self.filled:
            lines.append(_("Filled in empty fields of %(count)s existing rows.") % {"count": self.filled})
        if self.reviews_kept:
            lines.append(_("Kept %(count)s existing reviews in their sessions.") % {"count": len(self.reviews_kept)})
        return lines


def normalise_name(name: str) -> str:
    """Compare State names without accents, case, curly apostrophes or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", name.replace("\u2019", "'").replace("\u2018", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


_RESCHEDULED = re.compile(r"\s*\(rescheduled\)\s*$", re.IGNORECASE)
_HRC_SESSION = re.compile(r"^\s*HRC\s*(\d+)\s*$", re.IGNORECASE)


def _rows(path: Path):
    """(line number, row) pairs of a CSV file; line 1 is the header."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                yield reader.line_num, {key: (value or "").strip() for key, value in row.items()}
    except FileNotFoundError as exc:
        raise ReferenceDataError(path=path, line=0, message=_("the file does not exist.")) from exc


def _date(value: str, *, path: Path, line: int) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ReferenceDataError(
            path=path, line=line, message=_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}
        ) from exc


def _int(value: str, *, path: Path, line: int) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ReferenceDataError(
            path=path, line=line, message=_("“%(value)s” is not a whole number.") % {"value": value}
        ) from exc


def _time(value: str, *, path: Path, line: int) -> datetime.time:
    try:
        return datetime.time.fromisoformat(value)
    except ValueError as exc:
        raise ReferenceDataError(
            path=path,
            line=line,
            message=_("“%(value)s” is not a time of day (HH:MM, Geneva time).") % {"value": value},
        ) from exc


def _create(obj, *, path: Path, line: int):
    """Validate and save a new row; a bad row raises an error naming the file and line.

    Check constraints are left to the database (checking them in Python for every row is most of
    the loading time); a violation still names the line, with the database's wording.
    """
    try:
        obj.full_clean(validate_constraints=False)
        with transaction.atomic():
            obj.save()
    except ValidationError as exc:
        messages = "; ".join(str(m) for m in exc.messages)
        raise ReferenceDataError(path=path, line=line, message=messages) from exc
    except IntegrityError as exc:
        raise ReferenceDataError(path=path, line=line, message=str(exc)) from exc
    return obj


def _fill(obj, fields: list[str], *, path: Path, line: int, report: LoadReport) -> None:
    """Save the empty fields of an existing row that the data has just filled in."""
    if not fields:
        return
    try:
        obj.full_clean(validate_constraints=False)
        with transaction.atomic():
            obj.save(update_fields=[*fields, "updated_at"])
    except ValidationError as exc:
        messages = "; ".join(str(m) for m in exc.messages)
        raise ReferenceDataError(path=path, line=line, message=messages) from exc
    except IntegrityError as exc:
        raise ReferenceDataError(path=path, line=line, message=str(exc)) from exc
    report.filled += 1


def _session_files(data_dir: Path) -> list[Path]:
    """sessions-cycle4.csv and any other cycle's sessions file, lowest cycle first."""
    paths = sorted(data_dir.glob("sessions-cycle*.csv"), key=lambda path: (len(path.name), path.name))
    return paths or [data_dir / "sessions-cycle4.csv"]


def reference_data_load(*, data_dir: Path = DEFAULT_DATA_DIR) -> LoadReport:
    """Create the regional groups, States, cycles, sessions and reviews, and limits.

    Runs in one transaction: a bad line anywhere leaves the database as it was. Missing rows are
    created, found by natural key (group code, State code, cycle number, session number, (cycle, kind)
    for limits, (State, cycle) for reviews). In rows that exist, a value is never replaced, so an
    admin's edits survive a reload; only fields that are still empty and that the data now gives are
    filled in (a State's note; a session's Working Group dates, both together, and its source; a
    review's deadlines, and its status with its note while the note is empty), which brings a database
    loaded from older data up to date. Running it twice creates and fills nothing the second time.
    """
    data_dir = Path(data_dir)
    report = LoadReport()
    with transaction.atomic():
        _load_regional_groups(data_dir / "regional-groups.csv", report)
        aliases = _load_states(data_dir / "states.csv", report)
        cycle_sessions = _load_cycles(data_dir / "cycles.csv", report)
        statuses = _read_review_statuses(data_dir / "review-status.csv")
        _load_sessions(
            _session_files(data_dir), report, aliases=aliases, cycle_sessions=cycle_sessions, statuses=statuses
        )
        _load_limits(data_dir / "limits.csv", report)
    return report


def _load_regional_groups(path: Path, report: LoadReport) -> None:
    existing = set(RegionalGroup.objects.values_list("code", flat=True))
    for line, row in _rows(path):
        if row["code"] not in existing:
            _create(RegionalGroup(code=row["code"], name=row["name"]), path=path, line=line)
            existing.add(row["code"])
            report.regional_groups += 1


def _load_states(path: Path, report: LoadReport) -> dict[str, str]:
    """Load the States; return the aliases file's names (normalised) mapped to State codes."""
    groups = {group.code: group for group in RegionalGroup.objects.all()}
    existing = set(State.objects.values_list("code", flat=True))
    without_note = set(State.objects.filter(note="").values_list("code", flat=True))
    aliases: dict[str, str] = {}
    for line, row in _rows(path):
        code = row["code"]
        for alias in filter(None, (a.strip() for a in row["aliases"].split(";"))):
            aliases[normalise_name(alias)] = code
        if code in existing:
            # Group memberships come only with a new State, so an admin's corrections stay.
            if row["note"] and code in without_note:
                state = State.objects.get(code=code)
                state.note = row["note"]
                _fill(state, ["note"], path=path, line=line, report=report)
            continue
        state = _create(
            State(code=code, name=row["name"], status=row["status"], note=row["note"]), path=path, line=line
        )
        existing.add(code)
        report.states += 1
        observer_in = set(filter(None, row["group_observer"].split(";")))
        for group_code in filter(None, row["groups"].split(";")):
            if group_code not in groups:
                raise ReferenceDataError(
                    path=path,
                    line=line,
                    message=_("“%(group)s” is not a regional group code.") % {"group": group_code},
                )
            RegionalGroupMembership.objects.create(
                state=state, group=groups[group_code], is_observer=group_code in observer_in
            )
            report.group_memberships += 1
    return aliases


def _load_cycles(path: Path, report: LoadReport) -> dict[int, range]:
    """Load the cycles; return each cycle's range of session numbers, to check the sessions file."""
    existing = set(Cycle.objects.values_list("number", flat=True))
    session_ranges = {}
    for line, row in _rows(path):
        number = _int(row["number"], path=path, line=line)
        first = _int(row["first_session"], path=path, line=line)
        last = _int(row["last_session"], path=path, line=line)
        if first is not None and last is not None:
            session_ranges[number] = range(first, last + 1)
        if number in existing:
            continue
        _create(
            Cycle(
                number=number,
                start_year=_int(row["start_year"], path=path, line=line),
                end_year=_int(row["end_year"], path=path, line=line),
            ),
            path=path,
            line=line,
        )
        existing.add(number)
        report.cycles += 1
    return session_ranges


@dataclass(frozen=True)
class _ReviewStatus:
    status: str
    note: str
    path: Path
    line: int


def _read_review_statuses(path: Path) -> dict[tuple[str, int], _ReviewStatus]:
    """The status and note of single reviews (postponed, suspended...), by (State code, cycle number)."""
    statuses = {}
    for line, row in _rows(path):
        if row["status"] not in Review.Status.values:
            raise ReferenceDataError(
                path=path,
                line=line,
                message=_("“%(value)s” is not a review status; use one of %(choices)s.")
                % {"value": row["status"], "choices": ", ".join(Review.Status.values)},
            )
        cycle_number = _int(row["cycle"], path=path, line=line)
        statuses[(row["state"], cycle_number)] = _ReviewStatus(
            status=row["status"], note=row["note"], path=path, line=line
        )
    return statuses


@dataclass
class _Listing:
    state: State
    session: Session
    stakeholder_deadline: datetime.datetime | None
    national_report_deadline: datetime.datetime | None
    path: Path
    line: int


def _load_sessions(
    paths: list[Path],
    report: LoadReport,
    *,
    aliases: dict[str, str],
    cycle_sessions: dict[int, range],
    statuses: dict[tuple[str, int], _ReviewStatus],
) -> None:
    cycles = {cycle.number: cycle for cycle in Cycle.objects.all()}
    sessions = {session.number: session for session in Session.objects.all()}
    states_by_code = {state.code: state for state in State.objects.all()}
    states_by_name = {normalise_name(state.name): state for state in states_by_code.values()}
    for alias, code in aliases.items():
        if code in states_by_code:
            states_by_name.setdefault(alias, states_by_code[code])

    # (State code, cycle number) -> listing. A State listed twice in one cycle is reviewed where it
    # is listed last: the file lists the USA under session 50 and again, "(rescheduled)", under 53.
    listings: dict[tuple[str, int], _Listing] = {}
    for path in paths:
        _read_sessions_file(
            path,
            report,
            listings=listings,
            cycles=cycles,
            sessions=sessions,
            states_by_name=states_by_name,
            cycle_sessions=cycle_sessions,
        )

    for key, status in statuses.items():
        if key not in listings:
            raise ReferenceDataError(
                path=status.path,
                line=status.line,
                message=_("no sessions file lists State %(state)s in cycle %(cycle)s.")
                % {"state": key[0], "cycle": key[1]},
            )

    existing = {
        (review.state.code, review.session.cycle.number): review
        for review in Review.objects.select_related("state", "session__cycle")
    }
    for key, listing in listings.items():
        status = statuses.get(key)
        review = existing.get(key)
        if review is not None:
            report.reviews_kept.append(listing.state.code)
            _fill_review(review, listing, status, report)
            continue
        review = Review(
            state=listing.state,
            session=listing.session,
            stakeholder_deadline=listing.stakeholder_deadline,
            national_report_deadline=listing.national_report_deadline,
        )
        if status is not None:
            review.status, review.note = status.status, status.note
            if status.status == Review.Status.SUBMISSIONS_SUSPENDED:
                # OHCHR receives no stakeholder contributions for this review, so there is no deadline.
                review.stakeholder_deadline = None
        _create(review, path=listing.path, line=listing.line)
        report.reviews += 1


def _fill_review(review: Review, listing: _Listing, status: _ReviewStatus | None, report: LoadReport) -> None:
    """Fill in what an existing review still lacks; a review moved to another session is left alone."""
    if review.session_id != listing.session.pk:
        return
    fields = []
    if status is not None and not review.note and review.status == Review.Status.SCHEDULED:
        # The status travels with its note: once the note is set, the admin owns both.
        review.status, review.note = status.status, status.note
        fields += ["status", "note"]
    # Suspended in the data or by an admin: either way OHCHR takes no contributions, so no deadline.
    suspended = Review.Status.SUBMISSIONS_SUSPENDED in (review.status, status.status if status else None)
    if review.stakeholder_deadline is None and listing.stakeholder_deadline is not None and not suspended:
        review.stakeholder_deadline = listing.stakeholder_deadline
        fields.append("stakeholder_deadline")
    if review.national_report_deadline is None and listing.national_report_deadline is not None:
        review.national_report_deadline = listing.national_report_deadline
        fields.append("national_report_deadline")
    _fill(review, fields, path=listing.path, line=listing.line, report=report)


def _read_sessions_file(
    path: Path,
    report: LoadReport,
    *,
    listings: dict[tuple[str, int], _Listing],
    cycles: dict[int, Cycle],
    sessions: dict[int, Session],
    states_by_name: dict[str, State],
    cycle_sessions: dict[int, range],
) -> None:
    """Create or fill in the sessions of one file and add the States it lists to ``listings``."""
    for line, row in _rows(path):
        number = _int(row["session"], path=path, line=line)
        cycle_number = _int(row["cycle"], path=path, line=line)
        if cycle_number not in cycles:
            raise ReferenceDataError(
                path=path, line=line, message=_("cycle %(number)s is not loaded.") % {"number": cycle_number}
            )
        if cycle_number in cycle_sessions and number not in cycle_sessions[cycle_number]:
            raise ReferenceDataError(
                path=path,
                line=line,
                message=_("session %(session)s is outside cycle %(cycle)s.")
                % {"session": number, "cycle": cycle_number},
            )
        session = sessions.get(number)
        if session is None:
            session = _create(_session_from_row(row, number, cycles[cycle_number], path, line), path=path, line=line)
            sessions[number] = session
            report.sessions += 1
        else:
            _fill_session(session, _session_from_row(row, number, cycles[cycle_number], path, line), path, line, report)
        stakeholder = _date(row["stakeholder_deadline"], path=path, line=line)
        national = _date(row["national_report_deadline"], path=path, line=line)
        for raw_name in filter(None, (n.strip() for n in row["states_under_review"].split(";"))):
            name = _RESCHEDULED.sub("", raw_name)
            state = states_by_name.get(normalise_name(name))
            if state is None:
                raise ReferenceDataError(
                    path=path,
                    line=line,
                    message=_("“%(name)s” matches no State; add it to states.csv or as an alias there.")
                    % {"name": name},
                )
            # The session's own time of day, as stored (an admin may have corrected it).
            listings[(state.code, cycle_number)] = _Listing(
                state=state,
                session=session,
                stakeholder_deadline=geneva_deadline(stakeholder, session=session) if stakeholder else None,
                national_report_deadline=geneva_deadline(national, session=session) if national else None,
                path=path,
                line=line,
            )


def _fill_session(session: Session, data: Session, path: Path, line: int, report: LoadReport) -> None:
    """Give an existing session the dates and source the data now has, if it has none."""
    fields = []
    if session.wg_start is None and session.wg_end is None and data.wg_start and data.wg_end:
        session.wg_start, session.wg_end, session.dates_provisional = data.wg_start, data.wg_end, data.dates_provisional
        fields += ["wg_start", "wg_end", "dates_provisional"]
    if not session.source and data.source:
        session.source = data.source
        fields.append("source")
    _fill(session, fields, path=path, line=line, report=report)


def _session_from_row(row: dict, number: int, cycle: Cycle, path: Path, line: int) -> Session:
    hrc = _HRC_SESSION.match(row["hrc_adoption_session"])
    if row["hrc_adoption_session"] and not hrc:
        raise ReferenceDataError(
            path=path,
            line=line,
            message=_("“%(value)s” is not an HRC session such as HRC52.") % {"value": row["hrc_adoption_session"]},
        )
    wg_start = _date(row["start_date"], path=path, line=line)
    wg_end = _date(row["end_date"], path=path, line=line)
    confidence = row["confidence"]
    return Session(
        number=number,
        cycle=cycle,
        wg_start=wg_start,
        wg_end=wg_end,
        hrc_session=int(hrc.group(1)) if hrc else None,
        deadline_time=_time(row["deadline_time"], path=path, line=line),
        dates_provisional=confidence.upper().startswith("INFERRED") or wg_start is None or wg_end is None,
        source=_("Sources: %(sources)s\nConfidence: %(confidence)s")
        % {"sources": row["sources"], "confidence": confidence},
    )


def _load_limits(path: Path, report: LoadReport) -> None:
    cycles = {cycle.number: cycle for cycle in Cycle.objects.all()}
    existing = set(DocumentLimit.objects.values_list("cycle__number", "kind"))
    for line, row in _rows(path):
        cycle_number = _int(row["cycle"], path=path, line=line)
        if (cycle_number, row["kind"]) in existing:
            continue
        if cycle_number not in cycles:
            raise ReferenceDataError(
                path=path, line=line, message=_("cycle %(number)s is not loaded.") % {"number": cycle_number}
            )
        _create(
            DocumentLimit(
                cycle=cycles[cycle_number],
                kind=row["kind"],
                max_words=_int(row["max_words"], path=path, line=line),
                max_pages=_int(row["max_pages"], path=path, line=line),
                notes_count=row["notes_count"].lower() != "false",
                note=row["note"],
            ),
            path=path,
            line=line,
        )
        existing.add((cycle_number, row["kind"]))
        report.limits += 1
