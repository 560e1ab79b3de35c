"""Writes of the re-appointment round, each asking the access rule who may make it:
CLAIR opens the round, reminds whoever has not answered, reopens one case for a late
answer and confirms the round; the contracting organisation answers for each of its
participants (one at a time or several at once), and each participant for themselves.
Refusals of who may act are 403 with the message the page and the API both show; the
round's rules (deadlines, five years in all, grounds for a fourth or fifth year) are
DomainErrors."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import User
from apps.core.selectors import organisation_staff
from apps.core.templatetags.formats import when
from apps.events.models import Event
from apps.events.services import registration_create
from apps.notifications.services import notifications_record
from apps.placement.contracts import contract_draft_create, one_year_from, remuneration_for
from apps.placement.models import Contract
from apps.reappointment import rules
from apps.reappointment.models import ReappointmentCase, ReappointmentRound

Answer = ReappointmentCase


def _clair_only() -> str:
    return _("Only CLAIR runs the re-appointment round.")


@transaction.atomic
def round_open(
    *,
    by: User,
    programme_year,
    organisation_deadline: datetime.datetime,
    participant_deadline: datetime.datetime,
    confirmation_deadline: datetime.datetime,
) -> ReappointmentRound:
    """Open the round for the terms of `programme_year`: every participant with a
    contract in force today is in it, with their contract year and whether they may
    continue at all."""
    access.require_allowed(by, "add", ReappointmentRound, _clair_only())
    if ReappointmentRound.objects.filter(programme_year=programme_year).exists():
        raise DomainError(_("A round for this programme year is already open."))
    if not (
        timezone.now() < organisation_deadline <= participant_deadline <= confirmation_deadline
    ):
        raise DomainError(
            _(
                "The deadlines must be in the future and in order: organisations, then "
                "participants, then CLAIR's confirmation."
            ),
            field="organisation_deadline",
        )
    round_ = ReappointmentRound.objects.create(
        programme_year=programme_year,
        organisation_deadline=organisation_deadline,
        participant_deadline=participant_deadline,
        confirmation_deadline=confirmation_deadline,
        opened_by=by,
    )
    today = timezone.localdate()
    contracts = (
        Contract.objects.filter(
            status=Contract.Status.IN_FORCE, start_date__lte=today, end_date__gte=today
        )
        .select_related(
            "placement__application__applicant",
            "placement__application__mission",
            "placement__position__organisation",
        )
        .order_by("placement_id", "-contract_year", "-version")
    )
    seen = set()
    for contract in contracts:
        if contract.placement_id in seen:
            continue
        seen.add(contract.placement_id)
        years = rules.years_so_far(contract)
        allowed, _reason = rules.may_continue(years)
        organisation = contract.placement.position.organisation
        case = ReappointmentCase.objects.create(
            round=round_,
            placement=contract.placement,
            contract=contract,
            participant=contract.placement.application.applicant,
            organisation=organisation,
            contract_year=contract.contract_year,
            years_so_far=min(years, 5),
            may_continue=allowed,
        )
        access.grant("view", case, organisation)
        access.grant("change", case, organisation)
        access.grant_user("view", case, case.participant)
        access.grant_user("change", case, case.participant)
    return round_


@transaction.atomic
def case_reopen(
    *, by: User, case: ReappointmentCase, reason: str, until: datetime.datetime
) -> ReappointmentCase:
    """Let one late answer in: the reason and who reopened it stay in the case's history."""
    access.require(by, "reopen", case, _clair_only())
    case = ReappointmentCase.objects.select_for_update().select_related("round").get(pk=case.pk)
    if case.round.state != ReappointmentRound.State.OPEN:
        raise DomainError(_("The round is confirmed; nothing can be reopened."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for reopening."), field="reason")
    if until <= timezone.now():
        raise DomainError(_("Reopen until a time in the future."), field="until")
    case.reopened_until = until
    case.reopen_reason = reason
    case.reopened_by = by
    case._history_user = by
    case.save()
    return case


def round_remind(*, by: User, round_: ReappointmentRound) -> int:
    """Remind, today, whoever has not answered yet (once a day at most)."""
    access.require(by, "change", round_, _clair_only())
    return rules.reminders_send(round_=round_, tag=f"manual-{timezone.localdate().isoformat()}")


def _round_confirm_early_check(*, by: User, round_: ReappointmentRound, early_reason: str) -> str:
    """Before the last answer deadline only a CLAIR manager confirms, with a reason
    (kept on the round): confirming decides for everyone who has not answered yet."""
    closes = rules.answers_close_at(round_)
    if timezone.now() >= closes:
        return ""
    deadline = when(closes)
    if not access.can(by, "confirm_early", round_):
        raise DomainError(
            _(
                "The round can be confirmed once the last answer deadline (%(deadline)s) "
                "has passed. Before it, only a CLAIR manager can confirm it early, with "
                "a reason."
            )
            % {"deadline": deadline}
        )
    early_reason = (early_reason or "").strip()
    if not early_reason:
        raise DomainError(
            _(
                "Give the reason for confirming before the last answer deadline "
                "(%(deadline)s): it is kept on the round."
            )
            % {"deadline": deadline},
            field="early_reason",
        )
    return early_reason


@transaction.atomic
def round_confirm(*, by: User, round_: ReappointmentRound, early_reason: str = "") -> dict:
    """Close the round. Where both said yes, the next year's draft contract is created
    (contract year + 1, the scale's pay for it, the term following the current one);
    everyone else leaves, is registered for the Conference for Returning JETs and their
    mission is told, for its welcome-back reception. Run twice, it does nothing twice.
    Before the last answer deadline only a CLAIR manager confirms, giving
    `early_reason`."""
    access.require(by, "change", round_, _clair_only())
    round_ = ReappointmentRound.objects.select_for_update().get(pk=round_.pk)
    if round_.state != ReappointmentRound.State.OPEN:
        raise DomainError(_("This round is already confirmed."))
    round_.early_reason = _round_confirm_early_check(
        by=by, round_=round_, early_reason=early_reason
    )
    returning = list(
        Event.objects.filter(kind=Event.Kind.RETURNING, ends_at__gte=timezone.now()).order_by(
            "starts_at"
        )[:1]
    )
    outcome = {"continues": 0, "leaves": 0}
    cases = round_.cases.select_related(
        "contract__placement__application__mission",
        "contract__placement__position__organisation",
        "participant",
        "organisation",
    ).filter(outcome="")
    for case in cases:
        both = (
            case.may_continue
            and case.organisation_answer == Answer.OrganisationAnswer.OFFER
            and case.participant_answer == Answer.ParticipantAnswer.CONTINUE
        )
        if both:
            current = case.contract
            start = current.end_date + datetime.timedelta(days=1)
            year = current.contract_year + 1
            case.next_contract = contract_draft_create(
                current.placement,
                {
                    "contract_year": year,
                    "start_date": start,
                    "end_date": one_year_from(start),
                    "remuneration": remuneration_for(round_.programme_year, year),
                    "hours_per_week": current.hours_per_week,
                    "paid_leave_days": current.paid_leave_days,
                    "conditions_en": current.conditions_en,
                    "conditions_ja": current.conditions_ja,
                },
            )
            case.outcome = Answer.Outcome.CONTINUES
            outcome["continues"] += 1
            notifications_record(
                recipients=[case.participant, *organisation_staff(organisation=case.organisation)],
                kind="reappointment_confirmed",
                context=rules.case_context(case),
                key=f"reappointment_confirmed:{case.pk}",
            )
        else:
            case.outcome = Answer.Outcome.LEAVES
            outcome["leaves"] += 1
            for event in returning:
                registration_create(by=case.participant, event=event, automatic=True)
            mission = case.contract.placement.application.mission
            notifications_record(
                recipients=list(organisation_staff(organisation=mission)),
                kind="reappointment_leaver",
                context=rules.case_context(case),
                key=f"reappointment_leaver:{case.pk}",
            )
            notifications_record(
                recipients=[case.participant],
                kind="reappointment_leaving",
                context=rules.case_context(case),
                key=f"reappointment_leaving:{case.pk}",
            )
        case._history_user = by
        case.save()
    round_.state = ReappointmentRound.State.CONFIRMED
    round_.confirmed_by = by
    round_.confirmed_at = timezone.now()
    round_.save()
    return outcome


# --- the answers -------------------------------------------------------------------------


def _case_for_update(case: ReappointmentCase) -> ReappointmentCase:
    return (
        ReappointmentCase.objects.select_for_update(of=("self",))
        .select_related("round", "participant", "organisation")
        .get(pk=case.pk)
    )


@transaction.atomic
def organisation_answer(
    *, by: User, case: ReappointmentCase, offer: bool, reason: str = "", grounds: str = ""
) -> ReappointmentCase:
    """Offer re-appointment or not (a reason is required when not), before the
    organisation's deadline; a fourth or fifth year needs the grounds recorded."""
    access.require(
        by,
        "organisation_answer",
        case,
        _("Only the participant's organisation answers for itself."),
    )
    case = _case_for_update(case)
    rules.require_open(case, case.round.organisation_deadline)
    reason, grounds = (reason or "").strip(), (grounds or "").strip()
    if offer:
        if not case.may_continue:
            raise DomainError(
                _("%(name)s has reached five years on the programme and cannot continue.")
                % {"name": case.participant.get_full_name()}
            )
        if rules.needs_grounds(case.years_so_far) and not grounds:
            raise DomainError(
                _(
                    "A fourth or fifth year needs the grounds: record why %(name)s's work "
                    "justifies it."
                )
                % {"name": case.participant.get_full_name()},
                field="grounds",
            )
    elif not reason:
        raise DomainError(
            _("Give the reason for not offering re-appointment to %(name)s.")
            % {"name": case.participant.get_full_name()},
            field="reason",
        )
    case.organisation_answer = "OFFER" if offer else "NO_OFFER"
    case.organisation_reason = "" if offer else reason
    case.grounds = grounds if offer else ""
    case.organisation_answered_by = by
    case.organisation_answered_at = timezone.now()
    case._history_user = by
    case.save()
    notifications_record(
        recipients=[case.participant],
        kind="reappointment_organisation_answered",
        context=rules.case_context(case) | {"offer": offer},
        key=f"reappointment_org_answered:{case.pk}:{case.organisation_answer}",
    )
    return case


@transaction.atomic
def organisation_answer_bulk(
    *, by: User, cases, offer: bool, reason: str = "", grounds: str = ""
) -> list[ReappointmentCase]:
    """The same answer for several participants at once: all or none."""
    cases = list(cases)
    if not cases:
        raise DomainError(_("Choose at least one participant."))
    return [
        organisation_answer(by=by, case=case, offer=offer, reason=reason, grounds=grounds)
        for case in cases
    ]


@transaction.atomic
def participant_answer(
    *, by: User, case: ReappointmentCase, wishes_to_continue: bool, reason: str = ""
) -> ReappointmentCase:
    """Continue or leave (a reason is optional); changeable until the deadline."""
    access.require(
        by, "participant_answer", case, _("Only the participant answers for themselves.")
    )
    case = _case_for_update(case)
    rules.require_open(case, case.round.participant_deadline)
    if wishes_to_continue and not case.may_continue:
        raise DomainError(_("Five years on the programme is the limit."))
    case.participant_answer = "CONTINUE" if wishes_to_continue else "LEAVE"
    case.participant_reason = (reason or "").strip()
    case.participant_answered_at = timezone.now()
    case._history_user = by
    case.save()
    return case
