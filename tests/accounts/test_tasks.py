"""The nightly task that forgets old failed sign-ins."""

import datetime

import pytest
from axes.models import AccessFailureLog
from django.test import override_settings
from django.utils import timezone

from accounts.tasks import sign_in_failures_prune
from upr_portal.celery import app

pytestmark = pytest.mark.django_db


def failure(username: str, days_ago: int) -> AccessFailureLog:
    record = AccessFailureLog.objects.create(
        username=username, ip_address="192.0.2.7", user_agent="test", path_info="/accounts/login/", http_accept="*/*"
    )
    # attempt_time is set on creation: moved back afterwards.
    AccessFailureLog.objects.filter(pk=record.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return record


@override_settings(SIGN_IN_FAILURES_KEPT_DAYS=30)
def test_prune_forgets_failures_older_than_the_days_kept():
    failure("old@example.org", days_ago=31)
    failure("recent@example.org", days_ago=29)

    removed = sign_in_failures_prune()

    assert (removed, list(AccessFailureLog.objects.values_list("username", flat=True))) == (1, ["recent@example.org"])


def test_prune_runs_every_night_from_the_beat_schedule():
    entry = app.conf.beat_schedule["sign-in-failures-prune"]

    assert (entry["task"], entry["schedule"].hour, entry["schedule"].minute) == (
        "accounts.sign_in_failures_prune",
        {3},
        {40},
    )
