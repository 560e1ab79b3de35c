"""The rules of a safety check that belong to no single actor: who is in it, the
personal link, writing an answer (whoever gives it), and the reminders the periodic
scheduler sends until the check is closed.

CLAIR starts, closes, reminds and assigns (`apps.clair.services_safety`); a contracting
organisation answers for its participant (`apps.contracting.services_safety`); the
participant answers through their personal link (`answer_by_link` here), signed in or
not: the link's token is the only key it needs.
"""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.models import User
from apps.core.selectors import organisation_staff
from apps.notifications.services import notifications_record
from apps.placement.models import Contract, Placement
from apps.safety.models import SafetyAnswer, SafetyCheck

NOTE_MAX = 2000
LOCATION_MAX = SafetyAnswer._meta.get_field("location").max_length
ANSWERS = (SafetyAnswer.Status.SAFE, SafetyAnswer.Status.NEED_HELP)


class CheckClosedError(DomainError):
    """The check is closed: its answers are frozen (the link answers 410 Gone)."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def personal_link(token: str) -> str:
    return settings.SITE_URL + reverse("safety:answer", kwargs={"token": token})


# The one-tap links of the email: the personal link's own secret, with the answer in the
# path. A GET of one changes nothing (mail scanners open links); its page sends the answer
# by POST at once (apps/safety/static/safety/one-tap.js), or with one button.
TAP_CHOICES = {"safe": SafetyAnswer.Status.SAFE, "need-help": SafetyAnswer.Status.NEED_HELP}


def one_tap_link(token: str, choice: str) -> str:
    return settings.SITE_URL + reverse(
        "safety:answer-tap", kwargs={"token": token, "choice": choice}
    )


def personal_links(token: str) -> dict:
    """What a participant's message carries: the answer page and the two one-tap links."""
    return {
        "link": personal_link(token),
        "link_safe": one_tap_link(token, "safe"),
        "link_help": one_tap_link(token, "need-help"),
    }


def placed_participants_query(*, prefecture_codes, today: datetime.date | None = None):
    """The rows of `placed_participants`, as a query (the count before sending reads it)."""
    today = today or timezone.localdate()
    return (
        Contract.objects.filter(
            status__in=(Contract.Status.SIGNED, Contract.Status.IN_FORCE),
            start_date__lte=today,
            end_date__gte=today,
            placement__status=Placement.Status.ACCEPTED,
            placement__position__organisation__prefecture_id__in=list(prefecture_codes),
        )
        .order_by("placement__application__applicant_id")
        .distinct("placement__application__applicant_id")
        .values(
            participant_id=F("placement__application__applicant_id"),
            organisation_id=F("placement__position__organisation_id"),
            prefecture_id=F("placement__position__organisation__prefecture_id"),
            country_id=F("placement__application__country_id"),
        )
    )


def placed_participants(*, prefecture_codes, today: datetime.date | None = None) -> list[dict]:
    """Everyone placed in these prefectures today: an accepted placement with a contract
    signed or in force that covers today, at an organisation in one of the prefectures
    (as `round_open` finds contracts in force). One row per participant."""
    return list(placed_participants_query(prefecture_codes=prefecture_codes, today=today))


def message_context(check: SafetyCheck) -> dict:
    return {
        "check": check.pk,
        "title_en": check.title_en,
        "title_ja": check.title_ja,
        "message_en": check.message_en,
        "message_ja": check.message_ja,
    }


def notify_participants(*, check: SafetyCheck, answers, kind: str, key: str) -> int:
    """One message to each participant of `answers`, with their own link."""
    answers = list(answers.select_related("participant").order_by("pk"))
    created = notifications_record(
        recipients=[a.participant for a in answers],
        kind=kind,
        context=message_context(check),
        key=key,
        personal={a.participant_id: personal_links(a.token) for a in answers},
    )
    return len(created)


# --- answering ---------------------------------------------------------------------------


def answer_for_token(token: str) -> SafetyAnswer:
    """The answer a personal link is for; an unknown token is a 404 (not a hint that
    another exists)."""
    if not token or len(token) > 64:
        raise Http404
    try:
        return SafetyAnswer.objects.select_related("safety_check", "participant").get(token=token)
    except SafetyAnswer.DoesNotExist:
        raise Http404 from None


def clean_answer(*, status: str, note: str, location: str) -> tuple[str, str, str]:
    """The answer as it will be stored, or the first thing wrong with it."""
    if status not in ANSWERS:
        raise DomainError(_("Choose “I am safe” or “I need help”."), field="status")
    note = (note or "").strip()
    location = (location or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(
            _("Keep the note to %(max)s characters.") % {"max": NOTE_MAX}, field="note"
        )
    if len(location) > LOCATION_MAX:
        raise DomainError(
            _("Keep the location to %(max)s characters.") % {"max": LOCATION_MAX},
            field="location",
        )
    return status, note, location


@transaction.atomic
def answer_write(
    *,
    answer: SafetyAnswer,
    by: User,
    status: str,
    note: str,
    location: str,
    notify: bool = True,
) -> SafetyAnswer:
    """Store an answer (the latest wins; the history keeps each one), by the participant
    or by someone on their behalf. Refused once the check is closed.

    The answer row is locked before the check's state is read: closing locks every
    answer row of the check before it stamps the close time and sets the state, so an
    answer either commits before the close (and its time is earlier) or sees it closed."""
    status, note, location = clean_answer(status=status, note=note, location=location)
    answer = (
        SafetyAnswer.objects.select_for_update(of=("self",))
        .select_related("participant", "organisation")
        .get(pk=answer.pk)
    )
    check = (
        SafetyCheck.objects.filter(pk=answer.safety_check_id)
        .values("pk", "state", "title_en", "title_ja")
        .get()
    )
    if check["state"] != SafetyCheck.State.OPEN:
        raise CheckClosedError(_("This safety check is closed; answers can no longer be given."))
    answer.status = status
    answer.note = note
    answer.location = location
    answer.answered_at = timezone.now()
    answer.recorded_by = by
    answer._history_user = by
    answer.save()
    if notify and status == SafetyAnswer.Status.NEED_HELP:
        # The organisation hears once per participant and check (the key), however
        # often the answer changes.
        notifications_record(
            recipients=list(organisation_staff(organisation=answer.organisation)),
            kind="safety_need_help",
            context={
                "check": check["pk"],
                "title_en": check["title_en"],
                "title_ja": check["title_ja"],
                "participant": answer.participant.get_full_name(),
                "answer": answer.pk,
            },
            key=f"safety_need_help:{answer.pk}",
        )
    return answer


def answer_by_link(*, token: str, status: str, note: str = "", location: str = "") -> SafetyAnswer:
    """The participant's own answer through their personal link, signed in or not."""
    answer = answer_for_token(token)
    return answer_write(
        answer=answer, by=answer.participant, status=status, note=note, location=location
    )


# --- reminders ---------------------------------------------------------------------------


def reminder_slot(check: SafetyCheck, now: datetime.datetime) -> int:
    """How many reminder intervals have passed since the start (0: none yet)."""
    every = datetime.timedelta(hours=check.remind_every_hours)
    return int((now - check.started_at) / every)


def reminders_send(*, now: datetime.datetime | None = None, check=None, tag=None) -> int:
    """Remind everyone who has not answered an open check, once per interval since the
    start (the notification key holds the interval, so running often sends nothing
    twice); with `tag`, a reminder CLAIR sends by hand, once per tag. Nobody who has
    answered, and nobody in a closed check, is reminded."""
    now = now or timezone.now()
    checks = SafetyCheck.objects.filter(state=SafetyCheck.State.OPEN)
    if check is not None:
        checks = checks.filter(pk=check.pk)
    sent = 0
    for c in checks:
        which = tag or reminder_slot(c, now)
        if not which:
            continue
        waiting = c.answers.filter(status=SafetyAnswer.Status.UNANSWERED)
        sent += notify_participants(
            check=c,
            answers=waiting,
            kind="safety_check_reminder",
            key=f"safety_reminder:{c.pk}:{which}",
        )
    return sent
