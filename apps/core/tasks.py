from celery import shared_task

from apps.core.jobs import job_execute


@shared_task(ignore_result=True)
def job_run(job_id: int) -> None:
    job_execute(job_id=job_id)
