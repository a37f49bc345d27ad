import factory

from deadlines.models import CoalitionReminderSettings
from tests.factories.coalitions import CoalitionFactory


class ReminderSettingsFactory(factory.django.DjangoModelFactory):
    """A coalition's own reminder days (the defaults unless given)."""

    class Meta:
        model = CoalitionReminderSettings

    coalition = factory.SubFactory(CoalitionFactory)
    offsets = factory.LazyFunction(lambda: [30, 14, 7, 3, 1])
    remind_overdue = True
    send_digest = True
