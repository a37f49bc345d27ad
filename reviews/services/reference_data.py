"""Loading the reference data of reviews/data/: creates what is missing, fills what is empty, never
replaces a value, so an admin's edits survive.

The same row functions import a calendar file uploaded in the admin (``calendar_import``): one
sessions file in the format of reviews/data/sessions-cycle4.csv (docs/calendar-csv.md), previewed in
a transaction that is rolled back, then imported.
"""

import contextlib
import csv
import datetime
import io
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reviews.models import (
    GENEVA,
    LOCAL_NAME_FIELDS,
    REVIEW_MILESTONES,
    SESSION_MILESTONES,
    Cycle,
    DocumentLimit,
    RegionalGroup,
    RegionalGroupMembership,
    Review,
    Session,
    State,
    StateAlias,
)

logger = logging.getLogger(__name__)

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# An uploaded calendar file is refused above this size: the whole 4th cycle takes about 6 kB.
CALENDAR_FILE_MAX_BYTES = 1024 * 1024

# The columns of a sessions file (docs/calendar-csv.md); the last three may be left out of a file.
SESSION_COLUMNS = (
    "session",
    "cycle",
    "start_date",
    "end_date",
    "states_under_review",
    "stakeholder_deadline",
    "national_report_deadline",
    "deadline_time",
)
SESSION_OPTIONAL_COLUMNS = ("hrc_adoption_session", "confidence", "sources")


@dataclass(frozen=True)
class RowError:
    """One refused line of one file (line 0: the file as a whole)."""

    path: PurePath
    line: int
    message: str

    def __str__(self):
        if not self.line:
            return _("%(file)s: %(message)s") % {"file": self.path.name, "message": self.message}
        return _("%(file)s, line %(line)s: %(message)s") % {
            "file": self.path.name,
            "line": self.line,
            "message": self.message,
        }


class ReferenceDataError(Exception):
    """A reference data file cannot be loaded; the message names the file and line of each problem.

    ``errors`` lists every refused line found (one, or all the bad lines of a sessions file); ``path``
    and ``line`` are those of the first.
    """

    def __init__(self, *, path: PurePath, line: int, message: str, errors: list[RowError] | None = None):
        self.errors = errors or [RowError(path=path, line=line, message=message)]
        self.path = self.errors[0].path
        self.line = self.errors[0].line
        super().__init__("\n".join(str(error) for error in self.errors))

    @classmethod
    def of(cls, errors: list[RowError]) -> "ReferenceDataError":
        first = errors[0]
        return cls(path=first.path, line=first.line, message=first.message, errors=list(errors))


class _Errors:
    """Collects the refused lines, so that one load reports every bad line rather than the first."""

    def __init__(self):
        self.items: list[RowError] = []

    @contextlib.contextmanager
    def row(self) -> Iterator[None]:
        """Whatever fails inside is recorded and the load goes on with the next line."""
        try:
            yield
        except ReferenceDataError as exc:
            self.items.extend(exc.errors)

    def add(self, *, path: PurePath, line: int, message: str) -> None:
        self.items.append(RowError(path=path, line=line, message=message))

    def raise_any(self) -> None:
        if self.items:
            raise ReferenceDataError.of(self.items)


@dataclass
class LoadReport:
    regional_groups: int = 0
    states: int = 0
    group_memberships: int = 0
    cycles: int = 0
    sessions: int = 0
    reviews: int = 0
    limits: int = 0
    # Other names of States (state-aliases.csv) that recommendation imports match; not in ``lines()``.
    state_aliases: int = 0
    # Names of States in French or Spanish (state-names.csv) filled in where they were empty.
    state_names: int = 0
    # Existing rows in which empty fields were filled from the data (nothing set is ever replaced).
    filled: int = 0
    # States whose review in a cycle already exists (perhaps moved by an admin), left as they are.
    reviews_kept: list[str] = field(default_factory=list)
    # Those of them that the calendar reviews in another session than the file lists: why, in words.
    reviews_elsewhere: list[str] = field(default_factory=list)

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
        if self.state_names:
            lines.append(
                ngettext(
                    "Filled in %(count)s name of a State in French or Spanish.",
                    "Filled in %(count)s names of States in French or Spanish.",
                    self.state_names,
                )
                % {"count": self.state_names}
            )
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


def _rows(
    path: PurePath,
    *,
    text: str | None = None,
    columns: tuple[str, ...] = (),
    errors: _Errors | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of a CSV file, or of ``text`` read as one; line 1 is the header.

    A header that lacks one of ``columns`` refuses the file. A line with more values than the header
    has columns is refused: recorded in ``errors`` and skipped when given, else raised.
    """
    try:
        # Closed by the ``with handle`` below; opened here so that a missing file is told apart.
        handle = io.StringIO(text, newline="") if text is not None else Path(path).open(newline="", encoding="utf-8")  # noqa: SIM115
    except FileNotFoundError as exc:
        raise ReferenceDataError(path=path, line=0, message=_("the file does not exist.")) from exc
    with handle:
        reader = csv.DictReader(handle)
        try:
            if reader.fieldnames is None:
                raise ReferenceDataError(path=path, line=0, message=_("the file is empty."))
            header = {name.strip() for name in reader.fieldnames if name}
            missing = [column for column in columns if column not in header]
            if missing:
                raise ReferenceDataError(
                    path=path,
                    line=1,
                    message=_("the first line must name the columns; missing: %(columns)s.")
                    % {"columns": ", ".join(missing)},
                )
            for row in reader:
                if None in row:
                    error = ReferenceDataError(
                        path=path,
                        line=reader.line_num,
                        message=_("this line has more values than the first line has columns."),
                    )
                    if errors is None:
                        raise error
                    errors.items.extend(error.errors)
                    continue
                yield reader.line_num, {key.strip(): (value or "").strip() for key, value in row.items()}
        except csv.Error as exc:
            raise ReferenceDataError(
                path=path,
                line=reader.line_num,
                message=_("this line cannot be read as CSV (%(reason)s).") % {"reason": exc},
            ) from exc
        except UnicodeDecodeError as exc:
            raise ReferenceDataError(path=path, line=0, message=_("the file is not UTF-8 text.")) from exc


def _date(value: str, *, path: PurePath, line: int) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ReferenceDataError(
            path=path, line=line, message=_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}
        ) from exc


def _int(value: str, *, path: PurePath, line: int) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ReferenceDataError(
            path=path, line=line, message=_("“%(value)s” is not a whole number.") % {"value": value}
        ) from exc


def _time(value: str, *, path: PurePath, line: int) -> datetime.time:
    try:
        return datetime.time.fromisoformat(value)
    except ValueError as exc:
        raise ReferenceDataError(
            path=path,
            line=line,
            message=_("“%(value)s” is not a time of day (HH:MM, Geneva time).") % {"value": value},
        ) from exc


def _create(obj, *, path: PurePath, line: int):
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


def _fill(obj, fields: list[str], *, path: PurePath, line: int, report: LoadReport) -> None:
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

    Runs in one transaction: a bad line anywhere leaves the database as it was (the sessions files
    report all their bad lines at once). Missing rows are created, found by natural key (group code,
    State code, cycle number, session number, (cycle, kind) for limits, (State, cycle) for reviews).
    In rows that exist, a value is never replaced, so an admin's edits survive a reload; only fields
    that are still empty and that the data now gives are filled in (a State's note; a session's
    Working Group dates, both together, its source and its deadlines; a review's deadlines, its place
    in the session's order, the session it was rescheduled from, and its status with its note while
    the note is empty), which brings a database loaded from older data up to date. The reviews it
    creates follow their session's milestones. The States' names in French and Spanish
    (state-names.csv) fill those that are empty. The other names of States (state-aliases.csv) that
    are missing are created, by name. Running it twice creates and fills nothing the second time.
    """
    data_dir = Path(data_dir)
    report = LoadReport()
    with transaction.atomic():
        _load_regional_groups(data_dir / "regional-groups.csv", report)
        aliases = _load_states(data_dir / "states.csv", report)
        _load_state_names(data_dir / "state-names.csv", report)
        _load_state_aliases(data_dir / "state-aliases.csv", report)
        cycle_sessions = _load_cycles(data_dir / "cycles.csv", report)
        statuses = _read_review_statuses(data_dir / "review-status.csv")
        calendar = _CalendarLoad(report, aliases=aliases, cycle_sessions=cycle_sessions)
        for path in _session_files(data_dir):
            calendar.read_sessions_file(path)
        calendar.place_reviews(statuses, every_status_listed=True)
        calendar.errors.raise_any()
        _load_limits(data_dir / "limits.csv", report)
    return report


def _load_regional_groups(path: Path, report: LoadReport) -> None:
    existing = set(RegionalGroup.objects.values_list("code", flat=True))
    for line, row in _rows(path):
        if row["code"] not in existing:
            _create(RegionalGroup(code=row["code"], name=row["name"]), path=path, line=line)
            existing.add(row["code"])
            report.regional_groups += 1


def _aliases_of(row: dict[str, str]) -> list[str]:
    return [alias.strip() for alias in row["aliases"].split(";") if alias.strip()]


def _read_aliases(path: Path) -> dict[str, str]:
    """The aliases of states.csv (normalised) mapped to State codes, loading nothing."""
    return {normalise_name(alias): row["code"] for _line, row in _rows(path) for alias in _aliases_of(row)}


def _load_states(path: Path, report: LoadReport) -> dict[str, str]:
    """Load the States; return the aliases file's names (normalised) mapped to State codes."""
    groups = {group.code: group for group in RegionalGroup.objects.all()}
    existing = set(State.objects.values_list("code", flat=True))
    without_note = set(State.objects.filter(note="").values_list("code", flat=True))
    aliases: dict[str, str] = {}
    for line, row in _rows(path):
        code = row["code"]
        for alias in _aliases_of(row):
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


def _load_state_names(path: Path, report: LoadReport) -> None:
    """Fill the empty French and Spanish names of the States from state-names.csv (a data folder
    without the file fills none); a name an admin has set stays."""
    if not Path(path).exists():
        return
    states = {state.code: state for state in State.objects.only("pk", "code", *LOCAL_NAME_FIELDS.values())}
    max_length = State._meta.get_field("name_fr").max_length
    errors = _Errors()
    changed: dict[str, State] = {}
    for line, row in _rows(path, columns=("code", *LOCAL_NAME_FIELDS), errors=errors):
        state = states.get(row["code"])
        if state is None:
            message = _("“%(code)s” is not the code of a State.") % {"code": row["code"]}
            errors.add(path=path, line=line, message=message)
            continue
        for column, field_name in LOCAL_NAME_FIELDS.items():
            name = " ".join(row[column].split())
            if not name or getattr(state, field_name):
                continue
            if len(name) > max_length:
                errors.add(
                    path=path,
                    line=line,
                    message=_("the name “%(name)s” is longer than %(max)s characters.")
                    % {"name": name, "max": max_length},
                )
                continue
            setattr(state, field_name, name)
            changed[state.code] = state
            report.state_names += 1
    errors.raise_any()
    if changed:
        now = timezone.now()
        for state in changed.values():
            state.updated_at = now
        State.objects.bulk_update(changed.values(), [*LOCAL_NAME_FIELDS.values(), "updated_at"])


def _load_state_aliases(path: Path, report: LoadReport) -> None:
    """Create the other names of States that state-aliases.csv lists and the database lacks (a data
    folder without the file loads none). A name already taken is left to the State that has it."""
    if not Path(path).exists():
        return
    states = dict(State.objects.values_list("code", "pk"))
    existing = {normalise_name(name) for name in StateAlias.objects.values_list("name", flat=True)}
    for line, row in _rows(path, columns=("code", "alias")):
        name, code = " ".join(row["alias"].split()), row["code"]
        if not name or normalise_name(name) in existing:
            continue
        if code not in states:
            raise ReferenceDataError(
                path=path, line=line, message=_("“%(code)s” is not the code of a State.") % {"code": code}
            )
        _create(StateAlias(state_id=states[code], name=name), path=path, line=line)
        existing.add(normalise_name(name))
        report.state_aliases += 1


def _cycle_ranges(path: Path) -> dict[int, range]:
    """Each cycle's range of session numbers as cycles.csv gives it, loading nothing."""
    ranges = {}
    for line, row in _rows(path):
        number = _int(row["number"], path=path, line=line)
        first = _int(row["first_session"], path=path, line=line)
        last = _int(row["last_session"], path=path, line=line)
        if first is not None and last is not None:
            ranges[number] = range(first, last + 1)
    return ranges


def _load_cycles(path: Path, report: LoadReport) -> dict[int, range]:
    """Load the cycles; return each cycle's range of session numbers, to check the sessions file."""
    existing = set(Cycle.objects.values_list("number", flat=True))
    for line, row in _rows(path):
        number = _int(row["number"], path=path, line=line)
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
    return _cycle_ranges(path)


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
    """A State as a sessions file lists it: in which session, at which place, and whether rescheduled."""

    state: State
    cycle: int
    session: Session
    order: int
    rescheduled: bool
    path: PurePath
    line: int
    # The session of the State's other listing in the cycle, when this one is marked "(rescheduled)".
    rescheduled_from: Session | None = None


class _CalendarLoad:
    """Sessions files read row by row into sessions (created or filled) and the reviews they list.

    Every bad line is recorded in ``errors``; the caller raises them once all the lines were read.
    """

    def __init__(
        self,
        report: LoadReport,
        *,
        aliases: dict[str, str],
        cycle_sessions: dict[int, range],
        unknown_name_hint: str | None = None,
    ):
        self.report = report
        self.errors = _Errors()
        self.cycle_sessions = cycle_sessions
        self.unknown_name_hint = unknown_name_hint or _("add it to states.csv or as an alias there.")
        self.cycles = {cycle.number: cycle for cycle in Cycle.objects.all()}
        self.sessions = {session.number: session for session in Session.objects.select_related("cycle")}
        states_by_code = {state.code: state for state in State.objects.all()}
        self.states_by_name = {normalise_name(state.name): state for state in states_by_code.values()}
        for alias, code in aliases.items():
            if code in states_by_code:
                self.states_by_name.setdefault(alias, states_by_code[code])
        # (State code, cycle number) -> listing. A State listed twice in one cycle is reviewed where it
        # is marked "(rescheduled)": the file lists the USA under session 50 and, so marked, under 53.
        self.listings: dict[tuple[str, int], _Listing] = {}
        # Sessions whose reviews take their milestones once all is read: session number -> (file, line).
        self.to_apply: dict[int, tuple[PurePath, int]] = {}

    # Reading the files

    def read_sessions_file(self, path: PurePath, *, text: str | None = None) -> None:
        """Create or fill in the sessions of one file and add the States it lists to ``listings``."""
        seen: dict[int, int] = {}
        # A header or encoding problem stops the file; a bad line, only itself.
        with self.errors.row():
            for line, row in _rows(path, text=text, columns=SESSION_COLUMNS, errors=self.errors):
                with self.errors.row():
                    self._read_session_row(path, line, row, seen)

    def _read_session_row(self, path: PurePath, line: int, row: dict[str, str], seen: dict[int, int]) -> None:
        found = len(self.errors.items)
        number, cycle_number = (self._value(_int, row[name], path=path, line=line) for name in ("session", "cycle"))
        for name, value in (("session", number), ("cycle", cycle_number)):
            if value is None and not row[name]:
                self.errors.add(path=path, line=line, message=_("the “%(column)s” column is empty.") % {"column": name})
        if number is not None and number in seen:
            self.errors.add(
                path=path,
                line=line,
                message=_("session %(number)s is already on line %(line)s.") % {"number": number, "line": seen[number]},
            )
            return
        if len(self.errors.items) > found:
            return
        seen[number] = line
        cycle = self.cycles.get(cycle_number)
        if cycle is None:
            raise ReferenceDataError(
                path=path,
                line=line,
                message=_("there is no cycle %(number)s in the calendar.") % {"number": cycle_number},
            )
        self._check_in_cycle(number, cycle, path=path, line=line)
        data = self._session_from_row(row, number, cycle, path=path, line=line)
        if len(self.errors.items) > found:
            return
        session = self.sessions.get(number)
        if session is None:
            session = _create(data, path=path, line=line)
            self.sessions[number] = session
            self.report.sessions += 1
        elif session.cycle_id != cycle.pk:
            raise ReferenceDataError(
                path=path,
                line=line,
                message=_("session %(session)s belongs to cycle %(current)s in the calendar, not to cycle %(cycle)s.")
                % {"session": number, "current": session.cycle.number, "cycle": cycle_number},
            )
        elif self._fill_session(session, data, path=path, line=line):
            self.to_apply[session.number] = (path, line)
        self._list_states(row["states_under_review"], session, cycle_number, path=path, line=line)

    def _value(self, parse, value: str, *, path: PurePath, line: int):
        """``parse(value)``, or None with the problem recorded, so one line reports all its bad values."""
        try:
            return parse(value, path=path, line=line)
        except ReferenceDataError as exc:
            self.errors.items.extend(exc.errors)
            return None

    def _check_in_cycle(self, number: int, cycle: Cycle, *, path: PurePath, line: int) -> None:
        """The session number falls in the cycle's range, after every earlier cycle's sessions and
        before every later cycle's (cycles.csv gives the ranges of cycles 1-4; a later cycle has none)."""
        outside = ReferenceDataError(
            path=path,
            line=line,
            message=_("session %(session)s is outside cycle %(cycle)s.") % {"session": number, "cycle": cycle.number},
        )
        if cycle.number in self.cycle_sessions and number not in self.cycle_sessions[cycle.number]:
            raise outside
        for other in self.sessions.values():
            if other.number == number:
                continue
            if (other.cycle.number < cycle.number and other.number > number) or (
                other.cycle.number > cycle.number and other.number < number
            ):
                raise outside

    def _session_from_row(self, row: dict[str, str], number: int, cycle: Cycle, *, path: PurePath, line: int):
        hrc_value = row.get("hrc_adoption_session", "")
        hrc = _HRC_SESSION.match(hrc_value)
        if hrc_value and not hrc:
            self.errors.add(
                path=path,
                line=line,
                message=_("“%(value)s” is not an HRC session such as HRC52.") % {"value": hrc_value},
            )
        wg_start, wg_end, stakeholder, national = (
            self._value(_date, row[name], path=path, line=line)
            for name in ("start_date", "end_date", "stakeholder_deadline", "national_report_deadline")
        )
        deadline_time = self._value(_time, row["deadline_time"], path=path, line=line)
        last_year = cycle.end_year or 9999
        outside_years = [day for day in (wg_start, wg_end) if day and not cycle.start_year <= day.year <= last_year]
        if outside_years:
            self.errors.add(
                path=path,
                line=line,
                message=_("the Working Group dates fall outside cycle %(cycle)s (%(first)s to %(last)s).")
                % {"cycle": cycle.number, "first": cycle.start_year, "last": cycle.end_year or "…"},
            )
        confidence, sources = row.get("confidence", ""), row.get("sources", "")
        return Session(
            number=number,
            cycle=cycle,
            wg_start=wg_start,
            wg_end=wg_end,
            hrc_session=int(hrc.group(1)) if hrc else None,
            deadline_time=deadline_time,
            dates_provisional=confidence.upper().startswith("INFERRED") or wg_start is None or wg_end is None,
            stakeholder_deadline=stakeholder,
            national_report_deadline=national,
            source=_("Sources: %(sources)s\nConfidence: %(confidence)s")
            % {"sources": sources, "confidence": confidence}
            if sources or confidence
            else "",
        )

    def _fill_session(self, session: Session, data: Session, *, path: PurePath, line: int) -> bool:
        """Give an existing session the dates, HRC session, deadlines and source the data has, where it has none;
        True when a deadline was filled, which its reviews then take."""
        fields = []
        if session.wg_start is None and session.wg_end is None and data.wg_start and data.wg_end:
            session.wg_start, session.wg_end = data.wg_start, data.wg_end
            session.dates_provisional = data.dates_provisional
            fields += ["wg_start", "wg_end", "dates_provisional"]
        if session.hrc_session is None and data.hrc_session is not None:
            session.hrc_session = data.hrc_session
            fields.append("hrc_session")
        if not session.source and data.source:
            session.source = data.source
            fields.append("source")
        deadlines = [
            name
            for name in ("stakeholder_deadline", "national_report_deadline")
            if getattr(session, name) is None and getattr(data, name) is not None
        ]
        for name in deadlines:
            setattr(session, name, getattr(data, name))
        _fill(session, fields + deadlines, path=path, line=line, report=self.report)
        return bool(deadlines)

    def _list_states(self, names: str, session: Session, cycle_number: int, *, path: PurePath, line: int) -> None:
        listed_here = set()
        raw_names = [name.strip() for name in names.split(";") if name.strip()]
        for order, raw_name in enumerate(raw_names, start=1):
            name = _RESCHEDULED.sub("", raw_name)
            state = self.states_by_name.get(normalise_name(name))
            if state is None:
                self.errors.add(
                    path=path,
                    line=line,
                    message=_("“%(name)s” matches no State; %(hint)s") % {"name": name, "hint": self.unknown_name_hint},
                )
                continue
            if state.code in listed_here:
                self.errors.add(
                    path=path,
                    line=line,
                    message=_("%(state)s is listed twice in session %(session)s.")
                    % {"state": state.name, "session": session.number},
                )
                continue
            listed_here.add(state.code)
            listing = _Listing(
                state=state,
                cycle=cycle_number,
                session=session,
                order=order,
                rescheduled=bool(_RESCHEDULED.search(raw_name)),
                path=path,
                line=line,
            )
            with self.errors.row():
                self._list(listing)

    def _list(self, listing: _Listing) -> None:
        """Record the listing; a State listed twice in a cycle is reviewed where it is marked rescheduled."""
        key = (listing.state.code, listing.cycle)
        earlier = self.listings.get(key)
        if earlier is None:
            self.listings[key] = listing
        elif listing.rescheduled and not earlier.rescheduled:
            listing.rescheduled_from = earlier.session
            self.listings[key] = listing
        elif earlier.rescheduled and not listing.rescheduled:
            earlier.rescheduled_from = listing.session
        else:
            raise ReferenceDataError(
                path=listing.path,
                line=listing.line,
                message=_(
                    "%(state)s is already listed in session %(session)s of cycle %(cycle)s (%(file)s, line "
                    "%(line)s); a State moved to another session is listed there with “(rescheduled)” after "
                    "its name, once."
                )
                % {
                    "state": listing.state.name,
                    "session": earlier.session.number,
                    "cycle": listing.cycle,
                    "file": earlier.path.name,
                    "line": earlier.line,
                },
            )

    # The reviews

    def place_reviews(self, statuses: dict[tuple[str, int], _ReviewStatus], *, every_status_listed: bool) -> None:
        """Create the reviews that are missing, fill in the others, then give the sessions' milestones to
        the reviews that follow them, in the sessions where reviews were created or deadlines filled.

        ``every_status_listed``: a status of a State no sessions file lists is an error (the reference
        data); otherwise such statuses are left unused (an uploaded file holds only some sessions).
        """
        if every_status_listed and not self.errors.items:
            for key, status in statuses.items():
                if key not in self.listings:
                    self.errors.add(
                        path=status.path,
                        line=status.line,
                        message=_("no sessions file lists State %(state)s in cycle %(cycle)s.")
                        % {"state": key[0], "cycle": key[1]},
                    )
        existing = {
            (review.state.code, review.session.cycle.number): review
            for review in Review.objects.select_related("state", "session__cycle")
        }
        taken = set(Review.objects.filter(order__isnull=False).values_list("session_id", "order"))
        for key, listing in self.listings.items():
            with self.errors.row():
                status = statuses.get(key)
                review = existing.get(key)
                if review is None:
                    self._create_review(listing, status, taken)
                    continue
                self.report.reviews_kept.append(listing.state.code)
                if review.session_id != listing.session.pk:
                    # Moved by an admin, or listed elsewhere by an earlier file: left where it is.
                    self.report.reviews_elsewhere.append(
                        _(
                            "%(state)s: the calendar reviews it in session %(current)s; the file lists it in "
                            "session %(listed)s (line %(line)s). Left as it is: move it in the admin if it moved."
                        )
                        % {
                            "state": listing.state.name,
                            "current": review.session.number,
                            "listed": listing.session.number,
                            "line": listing.line,
                        }
                    )
                    continue
                self._fill_review(review, listing, status, taken)
        self._apply_milestones()

    def _create_review(self, listing: _Listing, status: _ReviewStatus | None, taken: set) -> None:
        session = listing.session
        # Where an admin gave the place to another State already, the new review waits for one.
        order = None if (session.pk, listing.order) in taken else listing.order
        review = Review(
            state=listing.state,
            session=session,
            order=order,
            milestones_from_session=True,
            rescheduled_from=listing.rescheduled_from,
            **session.review_milestones(),
        )
        if status is not None:
            review.status, review.note = status.status, status.note
            if status.status == Review.Status.SUBMISSIONS_SUSPENDED:
                # OHCHR receives no stakeholder contributions for this review, so there is no deadline.
                review.stakeholder_deadline = None
        _create(review, path=listing.path, line=listing.line)
        if order is not None:
            taken.add((session.pk, order))
        self.report.reviews += 1
        self.to_apply.setdefault(session.number, (listing.path, listing.line))

    def _fill_review(self, review: Review, listing: _Listing, status: _ReviewStatus | None, taken: set) -> None:
        """Fill in what an existing review in the listed session still lacks."""
        fields = []
        if status is not None and not review.note and review.status == Review.Status.SCHEDULED:
            # The status travels with its note: once the note is set, the admin owns both.
            review.status, review.note = status.status, status.note
            fields += ["status", "note"]
        # Suspended in the data or by an admin: either way OHCHR takes no contributions, so no deadline.
        suspended = Review.Status.SUBMISSIONS_SUSPENDED in (review.status, status.status if status else None)
        milestones = listing.session.review_milestones()
        for name in ("stakeholder_deadline", "national_report_deadline"):
            if name == "stakeholder_deadline" and suspended:
                continue
            if getattr(review, name) is None and milestones.get(name) is not None:
                setattr(review, name, milestones[name])
                fields.append(name)
        if review.order is None and (review.session_id, listing.order) not in taken:
            review.order = listing.order
            taken.add((review.session_id, listing.order))
            fields.append("order")
        if review.rescheduled_from_id is None and listing.rescheduled_from is not None:
            review.rescheduled_from = listing.rescheduled_from
            fields.append("rescheduled_from")
        _fill(review, fields, path=listing.path, line=listing.line, report=self.report)

    def _apply_milestones(self) -> None:
        for number, (path, line) in self.to_apply.items():
            with self.errors.row():
                try:
                    with transaction.atomic():
                        self.sessions[number].apply_milestones()
                except IntegrityError as exc:
                    raise ReferenceDataError(path=path, line=line, message=str(exc)) from exc


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


# The calendar import of the admin: one uploaded sessions file, previewed, then imported.


@dataclass(frozen=True)
class CreatedSession:
    number: int
    cycle: int
    opens: str
    closes: str
    stakeholder_deadline: str
    national_report_deadline: str
    provisional: bool


@dataclass(frozen=True)
class CreatedReview:
    state: str
    session: int
    order: str
    stakeholder_deadline: str
    national_report_deadline: str
    status: str
    rescheduled_from: str


@dataclass(frozen=True)
class FieldChange:
    """One field an import fills in (or that a review takes from its session): what, from, to."""

    row: str
    field: str
    old: str
    new: str


@dataclass
class CalendarImportReport:
    """What importing one calendar file creates, changes and refuses; nothing is saved when ``refused``."""

    file_name: str
    dry_run: bool
    sessions_created: list[CreatedSession] = field(default_factory=list)
    reviews_created: list[CreatedReview] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)
    refused: list[RowError] = field(default_factory=list)
    # Reviews the file lists in another session than the calendar has them in, left as they are.
    kept_elsewhere: list[str] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return not self.dry_run and not self.refused


_SESSION_FIELDS = (
    "cycle",
    "wg_start",
    "wg_end",
    "hrc_session",
    "dates_provisional",
    "deadline_time",
    "source",
    *SESSION_MILESTONES,
)
_REVIEW_FIELDS = (
    "session",
    "status",
    "note",
    "order",
    "milestones_from_session",
    "rescheduled_from",
    "rescheduled_at",
    *REVIEW_MILESTONES,
)


def _calendar_rows() -> tuple[dict[int, dict], dict[int, dict]]:
    """Every session's and review's fields by primary key, to tell what an import changed."""
    sessions = {row["pk"]: row for row in Session.objects.values("pk", "number", *_SESSION_FIELDS)}
    reviews = {
        row["pk"]: row
        for row in Review.objects.values("pk", "state__name", "session__number", *_REVIEW_FIELDS).order_by(
            "session__number", "order", "state__name"
        )
    }
    return sessions, reviews


def _shown(value, *, numbers: dict[int, int] | None = None, cycles: dict[int, int] | None = None) -> str:
    """A value as the preview shows it: days and moments (Geneva time) in ISO form, sessions by number."""
    if value is None or value == "":
        return ""
    if numbers is not None:
        return _("Session %(number)s") % {"number": numbers.get(value, value)}
    if cycles is not None:
        return _("Cycle %(number)s") % {"number": cycles.get(value, value)}
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, GENEVA).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _compare(report: CalendarImportReport, before: tuple[dict, dict], after: tuple[dict, dict]) -> None:
    sessions_before, reviews_before = before
    sessions_after, reviews_after = after
    numbers = {pk: row["number"] for pk, row in sessions_after.items()}
    cycles = dict(Cycle.objects.values_list("pk", "number"))

    def shown(name, value):
        if name in ("session", "rescheduled_from"):
            return _shown(value, numbers=numbers)
        if name == "cycle":
            return _shown(value, cycles=cycles)
        return _shown(value)

    for pk, row in sorted(sessions_after.items(), key=lambda item: item[1]["number"]):
        old = sessions_before.get(pk)
        if old is None:
            report.sessions_created.append(
                CreatedSession(
                    number=row["number"],
                    cycle=cycles[row["cycle"]],
                    opens=_shown(row["wg_start"]),
                    closes=_shown(row["wg_end"]),
                    stakeholder_deadline=_shown(row["stakeholder_deadline"]),
                    national_report_deadline=_shown(row["national_report_deadline"]),
                    provisional=row["dates_provisional"],
                )
            )
            continue
        label = _("Session %(number)s") % {"number": row["number"]}
        for name in _SESSION_FIELDS:
            if old[name] != row[name]:
                verbose = str(Session._meta.get_field(name).verbose_name)
                report.changes.append(FieldChange(label, verbose, shown(name, old[name]), shown(name, row[name])))
    statuses = dict(Review.Status.choices)
    for pk, row in reviews_after.items():
        old = reviews_before.get(pk)
        if old is None:
            report.reviews_created.append(
                CreatedReview(
                    state=row["state__name"],
                    session=row["session__number"],
                    order=_shown(row["order"]),
                    stakeholder_deadline=_shown(row["stakeholder_deadline"]),
                    national_report_deadline=_shown(row["national_report_deadline"]),
                    status=str(statuses[row["status"]]),
                    rescheduled_from=shown("rescheduled_from", row["rescheduled_from"]),
                )
            )
            continue
        label = _("%(state)s, session %(session)s") % {"state": row["state__name"], "session": row["session__number"]}
        for name in _REVIEW_FIELDS:
            if old[name] != row[name]:
                verbose = str(Review._meta.get_field(name).verbose_name)
                report.changes.append(FieldChange(label, verbose, shown(name, old[name]), shown(name, row[name])))


def _calendar_text(content: bytes, path: PurePath) -> str:
    """The uploaded bytes as text, or the reason the file is refused as a whole."""
    if len(content) > CALENDAR_FILE_MAX_BYTES:
        raise ReferenceDataError(
            path=path,
            line=0,
            message=_("the file is larger than %(size)s; a calendar file is much smaller. Is it the right file?")
            % {"size": "1 MB"},
        )
    try:
        # A spreadsheet's "CSV UTF-8" starts with a byte order mark.
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(
            path=path,
            line=content.count(b"\n", 0, exc.start) + 1,
            message=_("this line is not UTF-8 text: save the file as “CSV UTF-8” and upload it again."),
        ) from exc
    if not text.strip():
        raise ReferenceDataError(path=path, line=0, message=_("the file is empty."))
    return text


def calendar_import(
    *, content: bytes, file_name: str, dry_run: bool = True, data_dir: Path = DEFAULT_DATA_DIR
) -> CalendarImportReport:
    """Import one sessions file (the format of reviews/data/sessions-cycle4.csv, docs/calendar-csv.md).

    The rows go through the loader of ``reference_data_load`` (the same row functions: sessions created
    or filled, reviews created or filled, never a value replaced), in one transaction. The States'
    aliases, the cycles' session ranges and the single reviews' statuses come from the reference data
    in ``data_dir``; the cycles must exist already. ``dry_run`` rolls the transaction back: the preview.
    The report lists the sessions and reviews created, every field changed (old and new), and the
    refused lines; any refused line refuses the whole file and nothing is saved.
    """
    path = PurePath(PurePath(file_name).name or "calendar.csv")
    report = CalendarImportReport(file_name=path.name, dry_run=dry_run)
    load = LoadReport()
    try:
        text = _calendar_text(content, path)
        with transaction.atomic():
            before = _calendar_rows()
            calendar = _CalendarLoad(
                load,
                aliases=_read_aliases(data_dir / "states.csv"),
                cycle_sessions=_cycle_ranges(data_dir / "cycles.csv"),
                unknown_name_hint=_("give the State's UN short name, as in the admin's list of States."),
            )
            calendar.read_sessions_file(path, text=text)
            calendar.place_reviews(_read_review_statuses(data_dir / "review-status.csv"), every_status_listed=False)
            calendar.errors.raise_any()
            _compare(report, before, _calendar_rows())
            report.kept_elsewhere = load.reviews_elsewhere
            if dry_run:
                transaction.set_rollback(True)
    except ReferenceDataError as exc:
        report.refused = exc.errors
    return report
