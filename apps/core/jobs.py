"""Long work in Celery with progress a person can watch.

A service calls `job_start` inside its transaction; the worker runs the handler after
commit. A handler is `def handler(job: Job) -> None`; it reports with `job_progress` and
may set `job.result_message` or attach a file with `job_attach` (a whole export in one
call: `export_write`).
"""

import datetime
import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.core.models import Job, User
from apps.notifications.publish import publish_on_commit

logger = logging.getLogger(__name__)


def job_start(*, by: User, handler: str, title: str, params: dict | None = None) -> Job:
    """Queue the job; it is published after commit without making the request wait on
    the broker (if the broker is down, `jobs_sweep` starts it once it is back)."""
    from apps.core.tasks import job_run

    if not handler.startswith("apps."):
        raise ValueError("A job handler must live in one of the project's apps.")
    job = Job.objects.create(
        handler=handler, title=title[:200], requested_by=by, params=params or {}
    )
    publish_on_commit([(job_run, (job.pk,))], what=f"job {job.pk}")
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


EXPORT_PROGRESS_EVERY = 200


def export_write(
    job: Job, *, header: list, items, row, filename: str, sheet_title: str = "", footer=None
) -> int:
    """Write `items` (a queryset, read in chunks, or a list) as the job's file in the
    format of `export_start`: `header`, one `row(item)` each, then `footer` if given,
    recording progress as it goes. Returns how many items were written."""
    from django.db.models import QuerySet

    from apps.core.exports import WRITERS

    is_query = isinstance(items, QuerySet)
    total = items.count() if is_query else len(items)
    job_progress(job, done=0, total=total)
    rows = [header]
    for done, item in enumerate(items.iterator(chunk_size=500) if is_query else items, start=1):
        rows.append(row(item))
        if done % EXPORT_PROGRESS_EVERY == 0:
            job_progress(job, done=done)
    if footer is not None:
        rows.append(footer)
    job_progress(job, done=total)
    job_attach(job, filename=filename, content=WRITERS[job.params["format"]](rows, sheet_title))
    return total


def job_execute(*, job_id: int) -> None:
    # Taken in one UPDATE: a redelivered task, or the sweep, never runs it twice.
    if not Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(state=Job.State.RUNNING):
        return
    job = Job.objects.get(pk=job_id)
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


def jobs_queued_late(*, older_than_seconds: int = 60) -> list[int]:
    """Jobs still queued a while after they were asked for: their task never reached a
    worker (the broker was down when they were started)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    return list(
        Job.objects.filter(state=Job.State.QUEUED, created_at__lte=cutoff)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:100]
    )
