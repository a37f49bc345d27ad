"""The Celery application: configuration from Django settings (CELERY_*), tasks autodiscovered.

The beat schedule lives here, in code, so it is reviewed and versioned like the rest of the portal.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upr_portal.settings")

app = Celery("upr_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# upr_portal is the project package, not an installed app, so its tasks (heartbeat, ping) are named here.
app.autodiscover_tasks(["upr_portal"])

app.conf.beat_schedule = {
    # Proves to /healthz that beat and a worker are alive.
    "heartbeat": {"task": "upr_portal.heartbeat", "schedule": 60.0},
    # Sends the outbox messages no task is going to send: lost on a broker outage, left "sending" by
    # a worker that died, or due for a retry whose delayed task was lost.
    "outbox-sweep": {"task": "notifications.outbox_sweep", "schedule": 60.0},
    # Every hour: the reminders and weekly digests due now. Hourly rather than daily so that a beat or
    # worker that was down catches up within the hour; each reminder is claimed once, however often.
    "deadline-reminders": {"task": "deadlines.send_reminders", "schedule": crontab(minute=15)},
    # Document jobs killed by the hard time limit, or whose message was lost, are reported as failed.
    "documents-sweep": {"task": "submissions.documents_sweep", "schedule": 300.0},
    # Every night: the records of failed sign-ins (addresses, names typed) older than the settings keep.
    "sign-in-failures-prune": {"task": "accounts.sign_in_failures_prune", "schedule": crontab(hour=3, minute=40)},
}
