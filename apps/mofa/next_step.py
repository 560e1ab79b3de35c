"""The next step banner on the applicant's home: what to do next and by when, derived
from the application's state alone (no stored flag to fall out of step)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import ProgrammeYear
from apps.recruitment.models import Application

Status = Application.Status


@dataclass(frozen=True)
class NextStep:
    """`key` names the state (for tests and the API); `due` is when it must be done by."""

    key: str
    text: str
    url: str = ""
    action: str = ""
    due: datetime | date | None = None


def next_step(
    *, application: Application | None, programme_year: ProgrammeYear | None
) -> NextStep | None:
    now = timezone.now()
    window_open = bool(
        programme_year
        and programme_year.applications_open <= now < programme_year.application_deadline
    )
    if application is None:
        if not window_open:
            return None
        return NextStep(
            key="start",
            text=_("Start your application before the deadline."),
            url=reverse("mofa:applicant-start"),
            action=_("Start your application"),
            due=programme_year.application_deadline,
        )
    pk = application.pk
    if application.status == Status.DRAFT:
        if not window_open:
            return NextStep(
                key="closed",
                text=_("The application deadline has passed; this draft can no longer be sent."),
            )
        return NextStep(
            key="finish",
            text=_("Finish every step of your application and submit it before the deadline."),
            url=reverse("mofa:applicant-review", kwargs={"pk": pk}),
            action=_("Continue your application"),
            due=programme_year.application_deadline,
        )
    if application.status == Status.SUBMITTED:
        return NextStep(
            key="wait",
            text=_(
                "Nothing to do for now: your embassy or consulate is reviewing your "
                "application. We will tell you by email."
            ),
        )
    if application.status == Status.INTERVIEW:
        booking = getattr(application, "interview", None)
        url = reverse("mofa:applicant-interview", kwargs={"pk": pk})
        if booking is None:
            return NextStep(
                key="book",
                text=_("You are invited to interview: book your interview time."),
                url=url,
                action=_("Book your interview"),
            )
        if booking.slot.ends_at > now:
            return NextStep(
                key="attend",
                text=_("Attend your interview. The time, place and link are on its page."),
                url=url,
                action=_("See your interview"),
                due=booking.slot.starts_at,
            )
        return NextStep(
            key="wait",
            text=_("Nothing to do for now: your embassy or consulate will tell you the result."),
        )
    if (
        application.status == Status.SHORTLISTED
        and application.results_visible
        and getattr(application, "reply", None) is None
    ):
        return NextStep(
            key="reply",
            text=_("You are shortlisted: answer the reply form."),
            url=reverse("mofa:applicant-reply", kwargs={"pk": pk}),
            action=_("Answer the reply form"),
            # The mission's own date for this person, else the year's.
            due=application.reply_due or application.programme_year.reply_deadline,
        )
    return None
