"""Writes for the UPR calendar."""

from reviews.services.calendar import DEADLINE_TIME, geneva_deadline, review_move
from reviews.services.reference_data import (
    DEFAULT_DATA_DIR,
    LoadReport,
    ReferenceDataError,
    normalise_name,
    reference_data_load,
)
from reviews.services.reminders import REMINDER_DAYS, ReminderReport, deadline_reminders_send

__all__ = [
    "DEADLINE_TIME",
    "DEFAULT_DATA_DIR",
    "REMINDER_DAYS",
    "LoadReport",
    "ReferenceDataError",
    "ReminderReport",
    "deadline_reminders_send",
    "geneva_deadline",
    "normalise_name",
    "reference_data_load",
    "review_move",
]
