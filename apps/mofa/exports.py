"""The mission's application list as rows: the page and its export read the same ones.

`applications_for` is the one way both reach the applications: the selector, run for
the person asking, with the filters of the page. The writers turn rows into CSV or
Excel files that are safe to open in a spreadsheet.
"""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.core.models import User
from apps.recruitment import selectors
from apps.recruitment.models import Application, ReplyForm

Status = Application.Status


def with_row_facts(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Add what each row shows, computed in the same query: the number of reviewers,
    and whether an upgraded alternate let the reply date pass without answering."""
    reviewers = (
        Application.reviewers.through.objects.filter(application_id=OuterRef("pk"))
        .order_by()
        .values("application_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    replied = ReplyForm.objects.filter(application_id=OuterRef("pk"))
    return queryset.annotate(
        reviewer_count=Coalesce(Subquery(reviewers, output_field=IntegerField()), Value(0)),
        no_answer=Case(
            When(
                Q(
                    status=Status.SHORTLISTED,
                    upgraded_at__isnull=False,
                    reply_due__lt=timezone.localdate(),
                )
                & ~Q(Exists(replied)),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def applications_for(*, user: User, filters: dict) -> QuerySet[Application]:
    """The applications `user` may see, narrowed by the page's filters (plain values, as
    kept in a job's params). Filters can only narrow what the selector allows."""
    filters = dict(filters)
    # The year by its key: a year that is no more matches no application, as before, and
    # the page's list reads no year of its own.
    year_id = filters.pop("programme_year", None) or None
    return with_row_facts(selectors.application_list(user=user, programme_year=year_id, **filters))


def header() -> list[str]:
    return [
        _("Application number"),
        _("Family name"),
        _("Given names"),
        _("Name in Japanese script"),
        _("Email"),
        _("Position"),
        _("Status"),
        _("Eligibility"),
        _("Screening score"),
        _("Interview score"),
        _("Reviewers"),
        _("Alternate rank"),
        pgettext("date", "Submitted"),
        _("No answer by the reply date"),
    ]


def row(application: Application) -> list:
    submitted = application.submitted_at
    return [
        application.number,
        application.family_name,
        application.given_names,
        application.name_japanese,
        application.email,
        application.position,
        application.get_status_display(),
        application.get_eligibility_display(),
        application.screening_average,
        application.interview_average,
        application.reviewer_count,
        application.alternate_rank,
        timezone.localtime(submitted).strftime("%Y-%m-%d %H:%M") if submitted else "",
        _("Yes") if application.no_answer else "",
    ]
