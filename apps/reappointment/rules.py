"""The rules of a re-appointment round that every actor's service applies alike: who may
continue (at most five years in all; a fourth or fifth year only on grounds the
organisation records), whether a side may still answer, and what a case looks like to
notices."""

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.reappointment.models import (
    GROUNDS_FROM_YEAR,
    MAX_YEARS,
    ReappointmentCase,
    ReappointmentRound,
)


def years_so_far(contract) -> int:
    """Years on the programme counting the current contract, earlier JET years included."""
    earlier = contract.placement.application.previous_jet_years or 0
    return contract.contract_year + earlier


def may_continue(years: int) -> tuple[bool, str]:
    if years >= MAX_YEARS:
        return False, _("Five years on the programme is the limit.")
    return True, ""


def needs_grounds(years: int) -> bool:
    return years + 1 >= GROUNDS_FROM_YEAR


def answer_open(case: ReappointmentCase, deadline, now=None) -> bool:
    """Before the side's deadline, or while CLAIR has reopened the case."""
    now = now or timezone.now()
    if case.round.state != ReappointmentRound.State.OPEN:
        return False
    if now <= deadline:
        return True
    return case.reopened_until is not None and now <= case.reopened_until


def require_open(case: ReappointmentCase, deadline) -> None:
    if not answer_open(case, deadline):
        raise DomainError(
            _("The deadline has passed; only CLAIR can reopen this case for a late answer.")
        )


def answers_close_at(round_: ReappointmentRound):
    """The last moment an answer may still come in: the later of the two sides'
    deadlines, or later still while CLAIR keeps a case open for a late answer. Until
    then, confirming the round would decide for whoever has not answered yet."""
    latest = max(round_.organisation_deadline, round_.participant_deadline)
    reopened = (
        round_.cases.filter(outcome="", reopened_until__gt=latest)
        .order_by("-reopened_until")
        .values_list("reopened_until", flat=True)
        .first()
    )
    return reopened or latest


def case_context(case: ReappointmentCase) -> dict:
    organisation = case.organisation
    return {
        "case": case.pk,
        "participant": case.participant.get_full_name(),
        "organisation_en": organisation.name_en,
        "organisation_ja": organisation.name_ja or organisation.name_en,
        "contract_year": case.contract_year,
        "year": case.round.programme_year.year,
        "organisation_deadline": case.round.organisation_deadline.isoformat(),
        "participant_deadline": case.round.participant_deadline.isoformat(),
    }


def reminders_send(*, round_=None, now=None, tag: str | None = None) -> int:
    """Remind whoever has not answered: organisations' staff and participants, a week and
    a day before their deadline, once each (the notification key); with `tag`, a reminder
    CLAIR sends by hand, once per tag."""
    import datetime

    from apps.core.models import Organisation, User
    from apps.core.selectors import organisation_staff
    from apps.notifications.services import notifications_record

    now = now or timezone.now()
    rounds = [round_] if round_ else ReappointmentRound.objects.filter(state="OPEN")
    sent = 0
    for r in rounds:
        for side, deadline in (
            ("organisation", r.organisation_deadline),
            ("participant", r.participant_deadline),
        ):
            if tag:
                which = tag
            elif now < deadline <= now + datetime.timedelta(days=1):
                which = "day"
            elif now + datetime.timedelta(days=1) < deadline <= now + datetime.timedelta(days=7):
                which = "week"
            else:
                continue
            if tag and now > deadline:
                continue
            waiting = r.cases.filter(outcome="", may_continue=True)
            if side == "organisation":
                ids = waiting.filter(organisation_answer="").values_list("organisation", flat=True)
                for organisation in Organisation.objects.filter(pk__in=set(ids)):
                    sent += len(
                        notifications_record(
                            recipients=list(organisation_staff(organisation=organisation)),
                            kind="reappointment_reminder_organisation",
                            context={
                                "year": r.programme_year.year,
                                "deadline": deadline.isoformat(),
                            },
                            key=f"reappointment_reminder:{r.pk}:org:{organisation.pk}:{which}",
                        )
                    )
            else:
                people = User.objects.filter(
                    pk__in=waiting.filter(participant_answer="").values("participant")
                )
                for person in people:
                    sent += len(
                        notifications_record(
                            recipients=[person],
                            kind="reappointment_reminder_participant",
                            context={
                                "year": r.programme_year.year,
                                "deadline": deadline.isoformat(),
                            },
                            key=f"reappointment_reminder:{r.pk}:person:{which}",
                        )
                    )
    return sent
