"""Writes of safety checks, each asking the access rule who may make it: CLAIR starts a
check for the struck prefectures (everyone placed there is asked at once), reminds those
who have not answered, assigns a participant who needs help to a member of its staff and
closes the check (its answers are then frozen); a contracting organisation records an
answer for one of its participants who could not answer themselves (no phone, no power),
and who recorded it is kept and shown."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Prefecture, User
from apps.notifications.services import notifications_record
from apps.safety import rules
from apps.safety.models import SafetyAnswer, SafetyCheck

TITLE_MAX = SafetyCheck._meta.get_field("title_en").max_length
MESSAGE_MAX = 5000


def _open(check: SafetyCheck) -> SafetyCheck:
    check = SafetyCheck.objects.select_for_update().get(pk=check.pk)
    if check.state != SafetyCheck.State.OPEN:
        raise rules.CheckClosedError(_("This safety check is closed."))
    return check


@transaction.atomic
def safety_check_start(
    *,
    by: User,
    kind: str,
    title_en: str,
    title_ja: str = "",
    message_en: str,
    message_ja: str = "",
    prefectures,
    remind_every_hours: int = 3,
    notify: bool = True,
) -> SafetyCheck:
    """Start a check and ask every participant placed in `prefectures` today, by email
    and in their inbox, each with their own link (`notify=False`: the demo's past)."""
    access.require_allowed(by, "add", SafetyCheck, _("Only CLAIR runs safety checks."))
    if kind not in SafetyCheck.Kind.values:
        raise DomainError(_("Choose what happened."), field="kind")
    title_en, title_ja = (title_en or "").strip(), (title_ja or "").strip()
    message_en, message_ja = (message_en or "").strip(), (message_ja or "").strip()
    if not title_en:
        raise DomainError(_("Give the check a title in English."), field="title_en")
    if len(title_en) > TITLE_MAX or len(title_ja) > TITLE_MAX:
        raise DomainError(
            _("Keep the title to %(max)s characters.") % {"max": TITLE_MAX}, field="title_en"
        )
    if not message_en:
        raise DomainError(_("Write the message in English."), field="message_en")
    if len(message_en) > MESSAGE_MAX or len(message_ja) > MESSAGE_MAX:
        raise DomainError(
            _("Keep the message to %(max)s characters.") % {"max": MESSAGE_MAX},
            field="message_en",
        )
    codes = sorted({getattr(p, "pk", p) for p in prefectures or []})
    found = list(Prefecture.objects.filter(pk__in=codes))
    if not codes or len(found) != len(codes):
        raise DomainError(_("Choose one or more prefectures."), field="prefectures")
    if not 1 <= int(remind_every_hours or 0) <= 48:
        raise DomainError(_("Remind every 1 to 48 hours."), field="remind_every_hours")
    check = SafetyCheck.objects.create(
        kind=kind,
        title_en=title_en,
        title_ja=title_ja,
        message_en=message_en,
        message_ja=message_ja,
        remind_every_hours=remind_every_hours,
        started_by=by,
        started_at=timezone.now(),
    )
    check.prefectures.set(found)
    SafetyAnswer.objects.bulk_create(
        [
            SafetyAnswer(safety_check=check, token=rules.new_token(), **row)
            for row in rules.placed_participants(prefecture_codes=codes)
        ],
        batch_size=1000,
    )
    if notify:
        rules.notify_participants(
            check=check,
            answers=check.answers.all(),
            kind="safety_check_started",
            key=f"safety_check_started:{check.pk}",
        )
    return check


@transaction.atomic
def safety_check_close(*, by: User, check: SafetyCheck) -> SafetyCheck:
    """Freeze the check: no answer by any way, no reminder; the record stays."""
    access.require(by, "change", check, _("Only CLAIR runs safety checks."))
    check = _open(check)
    # Wait for the answers being written right now (each holds its row) before the close
    # is stamped: those land before the close time, and any answer after this reads the
    # check closed (rules.answer_write). So no stored answer is later than the close.
    list(SafetyAnswer.objects.filter(safety_check=check).select_for_update().values_list("pk"))
    check.state = SafetyCheck.State.CLOSED
    check.closed_by = by
    check.closed_at = timezone.now()
    check.save()
    return check


def safety_check_remind(*, by: User, check: SafetyCheck, now=None) -> int:
    """Remind now whoever has not answered (at most once an hour by hand)."""
    access.require(by, "change", check, _("Only CLAIR runs safety checks."))
    check = SafetyCheck.objects.get(pk=check.pk)
    if check.state != SafetyCheck.State.OPEN:
        raise rules.CheckClosedError(_("This safety check is closed."))
    now = now or timezone.now()
    tag = "manual-" + timezone.localtime(now).strftime("%Y%m%d%H")
    return rules.reminders_send(check=check, tag=tag, now=now)


@transaction.atomic
def safety_answer_assign(
    *, by: User, answer: SafetyAnswer, assignee: User | None, notify: bool = True
) -> SafetyAnswer:
    """Give a participant who needs help to a member of CLAIR's staff (or take them
    back with None); the assignee is told."""
    access.require(by, "assign", answer, _("Only CLAIR runs safety checks."))
    answer = SafetyAnswer.objects.select_for_update(of=("self",)).get(pk=answer.pk)
    _open(SafetyCheck(pk=answer.safety_check_id))
    if assignee is not None:
        if not access.can(assignee, "assign", answer):
            raise DomainError(_("Assign to a member of CLAIR's staff."), field="assignee")
        if answer.status != SafetyAnswer.Status.NEED_HELP:
            raise DomainError(_("Only a participant who needs help is assigned."))
    answer.assigned_to = assignee
    answer._history_user = by
    answer.save()
    if notify and assignee is not None and assignee != by:
        check = answer.safety_check
        notifications_record(
            recipients=[assignee],
            kind="safety_help_assigned",
            context={
                "check": check.pk,
                "title_en": check.title_en,
                "title_ja": check.title_ja,
                "participant": answer.participant.get_full_name(),
                "answer": answer.pk,
            },
            key=None,
        )
    return answer


def safety_answer_record(
    *, by: User, answer: SafetyAnswer, status: str, note: str = "", location: str = ""
) -> SafetyAnswer:
    """The participant's organisation answers on their behalf."""
    access.require(
        by, "record", answer, _("Only the participant's organisation answers on their behalf.")
    )
    return rules.answer_write(answer=answer, by=by, status=status, note=note, location=location)


def safety_answer_own(
    *, by: User, answer: SafetyAnswer, status: str, note: str = "", location: str = ""
) -> SafetyAnswer:
    """The participant answers for themselves, signed in (their page and the API): their
    own answer only, as their personal link would."""
    if answer.participant_id != by.pk:
        raise PermissionDenied(_("You answer only for yourself."))
    return rules.answer_write(answer=answer, by=by, status=status, note=note, location=location)
