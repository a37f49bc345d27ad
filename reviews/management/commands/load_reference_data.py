from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews.services import DEFAULT_DATA_DIR, ReferenceDataError, reference_data_load


class Command(BaseCommand):
    help = (
        "Loads the UN regional groups, States, UPR cycles, sessions and reviews, and document limits from "
        "reviews/data/. Creates what is missing and fills in empty fields; never replaces a value."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="Folder holding the reference CSV files."
        )

    def handle(self, *args, **options):
        try:
            report = reference_data_load(data_dir=options["data_dir"])
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
