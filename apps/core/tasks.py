from celery import shared_task

from apps.core.jobs import job_execute, jobs_queued_late
from apps.core.services import api_tokens_expired_delete


@shared_task(ignore_result=True)
def job_run(job_id: int) -> None:
    job_execute(job_id=job_id)


@shared_task(ignore_result=True)
def jobs_sweep() -> int:
    """Run here the jobs whose task never reached a worker (started while the broker
    was down); each is taken in one update, so one running elsewhere is not repeated."""
    late = jobs_queued_late()
    for pk in late:
        job_execute(job_id=pk)
    return len(late)


@shared_task(ignore_result=True)
def api_tokens_sweep() -> int:
    """Delete expired API tokens (an API call checks only its own token's expiry)."""
    return api_tokens_expired_delete()
