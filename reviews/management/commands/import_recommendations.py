from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reviews.recommendation_import import (
    FORMATS,
    MAX_FILE_BYTES,
    ImportFileError,
    ReviewChoiceError,
    StateMatcher,
    import_recommendations,
    mapping_from_options,
    read_recommendations,
    review_for_import,
)


class Command(BaseCommand):
    help = (
        "Imports the recommendations of one review from OHCHR's thematic list (.docx) or UHRI's export "
        "(CSV, XLSX): all rows or none, keyed by paragraph, so a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--state", required=True, help="ISO 3166-1 alpha-3 code of the State under review.")
        parser.add_argument("--session", required=True, type=int, help="Working Group session number.")
        parser.add_argument("--dry-run", action="store_true", help="Show the figures; save nothing.")
        parser.add_argument("--format", choices=FORMATS, help="docx, csv or xlsx (default: from the file).")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=HEADER",
            help=(
                "Which of the file's columns holds UHRI's column, "
                'e.g. --map Text=Recommendation --map "UPR Position=Response".'
            ),
        )
        parser.add_argument("--report", default="", help="Working Group report symbol, e.g. A/HRC/44/9.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(
                    _("%(file)s: the file is larger than 10 MB; a review's recommendations take far less.")
                    % {"file": path}
                )
            content = path.read_bytes()
        except FileNotFoundError as exc:
            raise CommandError(_("%(file)s: the file does not exist.") % {"file": path}) from exc
        try:
            mapping = mapping_from_options(options["map"]) if options["map"] else None
            review = review_for_import(state_code=options["state"], session_number=options["session"])
            matcher = StateMatcher()
            parsed = read_recommendations(
                content,
                file_name=path.name,
                file_format=options["format"],
                mapping=mapping,
                report_symbol=options["report"],
                matcher=matcher,
            )
        except (ValueError, ImportFileError, ReviewChoiceError) as exc:
            raise CommandError(str(exc)) from exc
        if parsed.needs_mapping:
            proposed = " ".join(
                f'--map "{label}={parsed.mapping.get(key) or "?"}"'
                for key, label in (("text", "Text"), ("position", "UPR Position"))
            )
            raise CommandError(
                _(
                    "The file's columns do not say which holds the text and the position: %(headers)s. "
                    "Say which with, for example: %(example)s"
                )
                % {"headers": ", ".join(parsed.headers), "example": proposed}
            )
        if parsed.problems:
            lines = "\n".join(str(problem) for problem in parsed.problems)
            raise CommandError(
                _("Nothing was imported; the problems in %(file)s:\n%(problems)s")
                % {"file": path.name, "problems": lines}
            )
        summary = import_recommendations(
            review=review,
            rows=parsed.rows,
            actor=None,
            dry_run=options["dry_run"],
            file_name=path.name,
            file_format=parsed.file_format,
            matcher=matcher,
        )
        self.stdout.write(
            _("%(state)s, session %(session)s: %(summary)s")
            % {"state": review.state.name, "session": review.session.number, "summary": summary.line()}
        )
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was saved."))
