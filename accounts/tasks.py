from celery import shared_task
from django.conf import settings

from accounts import services


@shared_task(name="accounts.sign_in_failures_prune", ignore_result=True)
def sign_in_failures_prune() -> int:
    """Every night (upr_portal/celery.py): forgets failed sign-ins older than SIGN_IN_FAILURES_KEPT_DAYS."""
    return services.sign_in_failures_prune(older_than_days=settings.SIGN_IN_FAILURES_KEPT_DAYS)
