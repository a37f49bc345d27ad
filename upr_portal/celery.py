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
    # Deadline reminders go out every morning, Geneva time.
    "deadline-reminders": {
        "task": "reviews.send_deadline_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
}
