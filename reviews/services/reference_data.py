"""Loading the reference data of reviews/data/: creates what is missing, never changes an edited row."""

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


def reference_data_load(*, data_dir: Path = DEFAULT_DATA_DIR) -> LoadReport:
    """Create the regional groups, States, cycles, 4th-cycle sessions and reviews, and limits.

    Runs in one transaction: a bad line anywhere leaves the database as it was. Only missing rows are
    created, found by natural key (group code, State code, cycle number, session number, (cycle, kind)
    for limits, (State, cycle) for reviews); rows that exist are never changed, so an admin's edits
    survive a reload and running it twice creates nothing the second time.
    """
    data_dir = Path(data_dir)
    report = LoadReport()
    with transaction.atomic():
        _load_regional_groups(data_dir / "regional-groups.csv", report)
        aliases = _load_states(data_dir / "states.csv", report)
        cycle_sessions = _load_cycles(data_dir / "cycles.csv", report)
        _load_sessions(data_dir / "sessions-cycle4.csv", report, aliases=aliases, cycle_sessions=cycle_sessions)
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
    aliases: dict[str, str] = {}
    for line, row in _rows(path):
        code = row["code"]
        for alias in filter(None, (a.strip() for a in row["aliases"].split(";"))):
            aliases[normalise_name(alias)] = code
        if code in existing:
            # Group memberships come only with a new State, so an admin's corrections stay.
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


@dataclass
class _Listing:
    state: State
    session: Session
    stakeholder_deadline: datetime.datetime | None
    national_report_deadline: datetime.datetime | None
    line: int


def _load_sessions(
    path: Path, report: LoadReport, *, aliases: dict[str, str], cycle_sessions: dict[int, range]
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
            listings[(state.code, cycle_number)] = _Listing(
                state=state,
                session=session,
                stakeholder_deadline=geneva_deadline(stakeholder) if stakeholder else None,
                national_report_deadline=geneva_deadline(national) if national else None,
                line=line,
            )

    reviewed = set(Review.objects.values_list("state__code", "session__cycle__number"))
    for key, listing in listings.items():
        if key in reviewed:
            report.reviews_kept.append(listing.state.code)
            continue
        _create(
            Review(
                state=listing.state,
                session=listing.session,
                stakeholder_deadline=listing.stakeholder_deadline,
                national_report_deadline=listing.national_report_deadline,
            ),
            path=path,
            line=listing.line,
        )
        report.reviews += 1


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
