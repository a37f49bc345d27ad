"""Demo reminder settings: the demo coalition starts its reminders six months before the UN deadline,
as coalitions that consult dozens of members do, so a fresh `make run` has a reminder due at once."""

from coalitions.models import Coalition
from deadlines.models import CoalitionReminderSettings
from deadlines.services import reminder_settings_update

DEMO_OFFSETS = [180, 120, 90, 60, 30, 14, 7, 3, 1]


def demo_reminders_seed(*, coalition: Coalition) -> CoalitionReminderSettings:
    """Sets the demo coalition's reminder days once; a coordinator's later change is kept."""
    existing = CoalitionReminderSettings.objects.filter(coalition=coalition).first()
    if existing is not None:
        return existing
    return reminder_settings_update(coalition=coalition, offsets=DEMO_OFFSETS, remind_overdue=True, send_digest=True)
