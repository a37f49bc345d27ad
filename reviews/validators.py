"""Validators of the UPR calendar's data."""

import csv
import functools
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

ISO_3166_ALPHA3_FILE = Path(__file__).resolve().parent / "data" / "iso3166-1-alpha3.csv"

_THREE_CAPITALS = re.compile(r"^[A-Z]{3}$")


@functools.cache
def iso3166_alpha3_codes() -> dict[str, str]:
    """The officially assigned ISO 3166-1 alpha-3 codes, with their names (reviews/data/SOURCES.md)."""
    with ISO_3166_ALPHA3_FILE.open(newline="", encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


@deconstructible
class ISO3166Alpha3Validator:
    """Refuses a code that ISO has not assigned (made-up or user-assigned codes such as QQQ or XKX).

    A value that is not three capital letters is left to the field's format validator, so that a
    wrong shape gets one message, not two.
    """

    message = _("%(code)s is not an ISO 3166-1 alpha-3 code.")
    code = "iso3166_alpha3"

    def __call__(self, value) -> None:
        if isinstance(value, str) and _THREE_CAPITALS.match(value) and value not in iso3166_alpha3_codes():
            raise ValidationError(self.message, code=self.code, params={"code": value})

    def __eq__(self, other) -> bool:
        return isinstance(other, ISO3166Alpha3Validator)

    def __hash__(self) -> int:
        return hash(type(self))


validate_iso3166_alpha3 = ISO3166Alpha3Validator()
