import logging

from celery import shared_task

from submissions.services import documents

logger = logging.getLogger(__name__)


@shared_task(
    name="submissions.generate_documents",
    ignore_result=True,
    soft_time_limit=documents.SOFT_TIME_LIMIT,
    time_limit=documents.HARD_TIME_LIMIT,
)
def generate_documents(*, document_id: int) -> str | None:
    """Makes one submission's PDF and DOCX (the row says how it went, the requester is notified).

    Not retried: a failure is recorded on the row with its reason, and the coordinator decides
    whether to press the button again. A hard time limit kills the process; the sweep below then
    reports the job as failed.
    """
    document = documents.document_generate(document_id=document_id)
    if document is None:
        return None
    return document.status


@shared_task(name="submissions.documents_sweep", ignore_result=True)
def documents_sweep() -> int:
    """Every few minutes (upr_portal/celery.py): fails the jobs that will never finish, and says so."""
    failed = documents.documents_fail_stale()
    if failed:
        logger.warning("Documents: %s job(s) stopped without finishing; marked failed", failed)
    return failed
