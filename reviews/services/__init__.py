"""Writes for the UPR calendar."""

from reviews.services.calendar import DEADLINE_TIME, geneva_deadline, review_move
from reviews.services.reference_data import (
    DEFAULT_DATA_DIR,
    LoadReport,
    ReferenceDataError,
    normalise_name,
    reference_data_load,
)

__all__ = [
    "DEADLINE_TIME",
    "DEFAULT_DATA_DIR",
    "LoadReport",
    "ReferenceDataError",
    "geneva_deadline",
    "normalise_name",
    "reference_data_load",
    "review_move",
]
