"""Long work in Celery with progress a person can watch.

A service calls `job_start` inside its transaction; the worker runs the handler after
commit. A handler is `def handler(job: Job) -> None`; it reports with `job_progress` and
may set `job.result_message` or attach a file with `job_attach`.
"""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.core.models import Job, User

logger = logging.getLogger(__name__)


def job_start(*, by: User, handler: str, title: str, params: dict | None = None) -> Job:
    from apps.core.tasks import job_run

    if not handler.startswith("apps."):
        raise ValueError("A job handler must live in one of the project's apps.")
    job = Job.objects.create(
        handler=handler, title=title[:200], requested_by=by, params=params or {}
    )
    transaction.on_commit(lambda: job_run.delay(job.pk))
    return job


def job_progress(job: Job, *, done: int, total: int | None = None) -> None:
    """Record progress at once, outside the handler's work, so the page sees it."""
    job.done = done
    fields = {"done": done}
    if total is not None:
        job.total = total
        fields["total"] = total
    Job.objects.filter(pk=job.pk).update(**fields)


def job_attach(job: Job, *, filename: str, content: bytes) -> None:
    job.result_filename = filename
    job.result_file.save(filename, ContentFile(content), save=False)


def job_execute(*, job_id: int) -> None:
    job = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).first()
    if job is None:
        return  # already run: a redelivered task must not repeat the work
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)
    job.state = Job.State.RUNNING
    try:
        import_string(job.handler)(job)
    except Exception as exc:
        logger.exception("Job %s failed", job.pk)
        job.state = Job.State.FAILED
        job.error = str(exc)[:2000]
    else:
        job.state = Job.State.DONE
        if job.total and job.done < job.total:
            job.done = job.total
    job.finished_at = timezone.now()
    job.save()


def export_start(*, by: User, handler: str, title: str, file_format: str, params=None) -> Job:
    """Queue an export in CSV or Excel (apps.core.exports.WRITERS); the handler reads
    `params["format"]`. The one place that refuses another format."""
    from django.utils.translation import gettext as _

    from apps.core.errors import DomainError
    from apps.core.exports import WRITERS

    if file_format not in WRITERS:
        raise DomainError(_("Choose CSV or Excel."), field="format")
    return job_start(
        by=by, handler=handler, title=title, params={**(params or {}), "format": file_format}
    )
