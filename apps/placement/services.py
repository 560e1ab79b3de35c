"""Writes of positions, placements, contracts and suggestion runs. Each asks the access
rule whether `by` may make it (a refusal is 403 with its message, the same on the page
and in the API), checks the transition (DomainError, 400), writes, grants the next actor
what they need and tells them:

- a contracting organisation requests positions and changes them until MIC approves
  them; MIC approves them (CLAIR may then fill them) or returns them with a reason;
- CLAIR places a forwarded candidate in an approved position, by hand or from a
  suggestion run ("Suggest placements") that its staff review and a manager approves;
- the organisation accepts the candidate or declines with a reason; the candidate then
  accepts (becoming a participant, with a draft contract) or withdraws;
- the organisation completes, issues and countersigns the contract, or starts a new
  version of it; the participant signs it.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import access
from apps.core.errors import DomainError
from apps.core.jobs import job_start
from apps.core.models import PersonRole, User
from apps.core.selectors import organisation_staff, programme_year_current
from apps.events.services import register_automatically
from apps.notifications.services import notifications_record
from apps.placement import engine, matching
from apps.placement.contracts import contract_draft_create, contract_grant, first_contract_terms
from apps.placement.models import Contract, MatchingLine, MatchingRun, Placement, PositionRequest
from apps.placement.notes import note_text
from apps.placement.notices import contract_context, placement_context
from apps.recruitment.models import Application

# The refusals, shown alike by the pages, the API's permission check and these services.
ONLY_ORGANISATIONS_REQUEST = gettext_lazy("Only a contracting organisation requests positions.")
ONLY_MIC_REVIEWS = gettext_lazy("Only MIC reviews positions.")
ONLY_CLAIR_PLACES = gettext_lazy("Only CLAIR places candidates.")
ONLY_MANAGERS_APPROVE = gettext_lazy("Only a CLAIR manager approves placements.")
NOT_YOUR_PLACEMENT = gettext_lazy("This placement is not your organisation's.")
NOT_YOUR_CONTRACT = gettext_lazy("This contract is not your organisation's.")
ONLY_THE_CANDIDATE_ANSWERS = gettext_lazy("Only the candidate answers their placement.")
ONLY_THE_PARTICIPANT_SIGNS = gettext_lazy("Only the participant signs their contract.")

# --- positions -------------------------------------------------------------------------

POSITION_FIELDS = {
    "type",
    "school_level",
    "base",
    "base_ja",
    "city",
    "municipality",
    "municipality_ja",
    "location",
    "driving_licence_required",
    "min_japanese_level",
    "cir_language",
    "housing",
    "description",
}


def _position_check(fields: dict) -> None:
    if fields.get("type") != "ALT" and fields.get("school_level"):
        raise DomainError(
            _("A school level is given only for ALT positions."), field="school_level"
        )
    if fields.get("type") == "ALT" and not fields.get("school_level"):
        raise DomainError(_("Choose the school level of the ALT position."), field="school_level")
    if not (fields.get("base") or "").strip():
        raise DomainError(_("Name the base school or office."), field="base")


def _unknown_fields(fields: dict, known: set[str]) -> None:
    unknown = set(fields) - known
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})


@transaction.atomic
def position_request_create(*, by: User, seats: int = 1, **fields) -> list[PositionRequest]:
    """Request `seats` identical positions (one row per seat) for the current year, for
    the organisation of `by`, which alone sees and changes them until MIC decides."""
    access.require_allowed(by, "add", PositionRequest, ONLY_ORGANISATIONS_REQUEST)
    _unknown_fields(fields, POSITION_FIELDS)
    if not 1 <= seats <= 50:
        raise DomainError(_("Request between 1 and 50 seats at a time."), field="seats")
    _position_check(fields)
    year = programme_year_current()
    if year is None:
        raise DomainError(_("There is no current programme year."))
    organisation = by.organisation
    created = []
    for _seat in range(seats):
        position = PositionRequest.objects.create(
            programme_year=year,
            organisation=organisation,
            prefecture=organisation.prefecture,
            **fields,
        )
        access.grant("view", position, organisation)
        access.grant("change", position, organisation)
        created.append(position)
    return created


@transaction.atomic
def position_request_update(*, by: User, position: PositionRequest, **fields) -> PositionRequest:
    """Change a request MIC has not approved yet; a returned one goes back for review."""
    access.require(by, "change", position, _("You cannot change this position."))
    position = PositionRequest.objects.select_for_update().get(pk=position.pk)
    if position.state == PositionRequest.State.APPROVED:
        raise DomainError(_("An approved position cannot be changed; ask MIC."))
    _unknown_fields(fields, POSITION_FIELDS)
    merged = {name: getattr(position, name) for name in POSITION_FIELDS} | fields
    _position_check(merged)
    for name, value in fields.items():
        setattr(position, name, value)
    position.state = PositionRequest.State.REQUESTED
    position.return_reason = ""
    position.save()
    return position


@transaction.atomic
def positions_review(*, by: User, positions: list, approve: bool, reason: str = "") -> int:
    """Approve requested positions (CLAIR then sees them and may fill them: the access
    policy) or return them with a reason for the organisation to change."""
    access.require_allowed(by, "review", PositionRequest, ONLY_MIC_REVIEWS)
    if not approve and not reason.strip():
        raise DomainError(_("Say why the positions are returned."), field="reason")
    locked = PositionRequest.objects.select_for_update().filter(pk__in=[p.pk for p in positions])
    count = 0
    for position in locked:
        if position.state != PositionRequest.State.REQUESTED:
            raise DomainError(_("Position %(id)s has already been reviewed.") % {"id": position.pk})
        position.state = (
            PositionRequest.State.APPROVED if approve else PositionRequest.State.RETURNED
        )
        position.return_reason = "" if approve else reason.strip()
        position.reviewed_by = by
        position.reviewed_at = timezone.now()
        position.save()
        count += 1
    return count


# --- CLAIR places ----------------------------------------------------------------------

WARNING_CODES = {"no_preference_met", "no_preferences_given", "location_unmet"}


def placement_requirements_unmet(application, position) -> list[str]:
    """The hard requirements of `position` that the candidate does not meet, in words:
    the engine's own rule (`matching.fit`), so the board, a hand placement and a
    suggestion refuse the same pairs."""
    return [note_text(engine.as_dicts([n])[0]) for n in engine.fit(application, position).failures]


def declined_text(decline: Placement) -> str:
    """ "Declined by <organisation> on <date>: <reason>", as the board and a run line say."""
    decided = decline.decided_at or decline.confirmed_at
    return note_text(
        {
            "code": matching.DECLINED,
            "params": {
                "organisation": decline.position.organisation.name,
                "date": timezone.localdate(decided).isoformat(),
                "reason": decline.decline_reason,
            },
        }
    )


def _declined(application, position) -> Placement | None:
    return (
        Placement.objects.filter(
            application=application,
            position=position,
            status=Placement.Status.DECLINED_BY_ORGANISATION,
        )
        .select_related("position__organisation")
        .order_by("-decided_at")
        .first()
    )


def placement_warnings(application, position) -> list[str]:
    """Soft mismatches a person should see before placing by hand."""
    notes = engine.as_dicts(engine.fit(application, position).notes)
    warnings = [note_text(n) for n in notes if n["code"] in WARNING_CODES]
    decline = _declined(application, position)
    if decline is not None:
        warnings.insert(0, declined_text(decline))
    partner = application.partner
    if partner is not None:
        held = (
            Placement.objects.filter(application=partner, status__in=Placement.ACTIVE)
            .select_related("position")
            .first()
        )
        if held and held.position.prefecture_id != position.prefecture_id:
            warnings.append(
                _("The partner (%(number)s) is placed in another prefecture.")
                % {"number": partner.number}
            )
    return warnings


@transaction.atomic
def placement_confirm(*, by: User, application, position, arrival_group: str = "A"):
    """Place a forwarded candidate in an approved position and tell the organisation.
    The database allows one active placement per candidate and per position, so of two
    staff placing at once exactly one succeeds and the other is told why."""
    access.require_allowed(by, "add", Placement, ONLY_CLAIR_PLACES)
    if arrival_group not in Placement.ArrivalGroup.values:
        raise DomainError(_("Choose an arrival group."), field="arrival_group")
    if application.status != Application.Status.FORWARDED:
        raise DomainError(_("Only candidates forwarded by a mission can be placed."))
    if position.state != PositionRequest.State.APPROVED:
        raise DomainError(_("Only positions approved by MIC can be filled."))
    if position.programme_year_id != application.programme_year_id:
        raise DomainError(_("The position belongs to another programme year."))
    unmet = placement_requirements_unmet(application, position)
    if unmet:
        raise DomainError(" ".join(unmet))
    try:
        with transaction.atomic():
            placement = Placement.objects.create(
                application=application,
                position=position,
                arrival_group=arrival_group,
                confirmed_by=by,
            )
    except IntegrityError:
        raise DomainError(
            _("This candidate or this position has just been placed by someone else.")
        ) from None
    # The candidate hears of it only once the organisation has accepted.
    for organisation in (position.organisation, application.mission):
        access.grant("view", placement, organisation)
    access.grant("change", placement, position.organisation)
    notifications_record(
        recipients=list(organisation_staff(organisation=position.organisation)),
        kind="placement_offered",
        context=placement_context(placement),
        key=f"placement_offered:{placement.pk}",
    )
    return placement


# --- "Suggest placements" ---------------------------------------------------------------


def matching_run_start(*, by: User) -> MatchingRun:
    """Queue a suggestion run over the current year's pool; the page shows its progress."""
    access.require_allowed(by, "add", MatchingRun, ONLY_CLAIR_PLACES)
    year = programme_year_current()
    if year is None:
        raise DomainError(_("There is no current programme year."))
    with transaction.atomic():
        previous = (
            MatchingRun.objects.filter(programme_year=year, state=MatchingRun.State.READY)
            .order_by("-created_at", "-pk")
            .first()
        )
        run = MatchingRun.objects.create(programme_year=year, started_by=by, previous=previous)
        run.job = job_start(
            by=by,
            handler="apps.placement.jobs.matching_run_execute",
            title=_("Placement suggestions for %(year)s") % {"year": year.year},
            params={
                "run": run.pk,
                # Runs are CLAIR's working papers: the job's result is its review page.
                "result_url": reverse("clair:run-detail", kwargs={"pk": run.pk}),
            },
        )
        run.save(update_fields=["job"])
    return run


def _editable_line(by: User, line: MatchingLine) -> MatchingLine:
    access.require(by, "change", line, ONLY_CLAIR_PLACES)
    line = MatchingLine.objects.select_for_update().select_related("run").get(pk=line.pk)
    if line.run.state != MatchingRun.State.READY:
        raise DomainError(_("This suggestion is not ready for review."))
    if line.decision != MatchingLine.Decision.PROPOSED:
        raise DomainError(_("This line has already been decided."))
    return line


@transaction.atomic
def matching_line_override(*, by: User, line: MatchingLine, position, reason: str) -> MatchingLine:
    """Change one line of a proposal (another position, or none); the reason is kept."""
    line = _editable_line(by, line)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the change."), field="reason")
    if position is not None:
        if position.state != PositionRequest.State.APPROVED or position.programme_year_id != (
            line.run.programme_year_id
        ):
            raise DomainError(_("Only positions approved by MIC can be filled."), field="position")
        if Placement.objects.filter(position=position, status__in=Placement.ACTIVE).exists():
            raise DomainError(_("This position is already filled."), field="position")
        unmet = placement_requirements_unmet(line.application, position)
        if unmet:
            raise DomainError(" ".join(unmet), field="position")
        decline = _declined(line.application, position)
        if decline is not None:
            raise DomainError(declined_text(decline), field="position")
        taken = line.run.lines.filter(position=position).exclude(pk=line.pk).first()
        if taken:
            raise DomainError(
                _("Another line of this proposal (%(number)s) already has this position.")
                % {"number": taken.application.number},
                field="position",
            )
        fit = engine.fit(line.application, position)
        line.preference_rank, line.cost = fit.preference_rank, fit.cost
        line.notes = engine.as_dicts(fit.notes)
    else:
        line.preference_rank, line.cost = None, 0
        line.notes = [{"code": "override", "params": {"by": by.get_full_name(), "reason": reason}}]
    line.position = position
    line.override_reason = reason
    line.overridden_by = by
    line.overridden_at = timezone.now()
    line.carried_from = None
    line.save()
    return line


@transaction.atomic
def matching_line_override_remove(*, by: User, line: MatchingLine) -> MatchingLine:
    """Take back a change by hand: the next run no longer keeps it. A change made on this
    run gives the line back the engine's proposal; a change kept from an earlier run
    leaves the position as it is, now an ordinary proposal."""
    line = _editable_line(by, line)
    if not line.overridden:
        raise DomainError(_("This line has no change by hand to remove."))
    if line.carried_from_id is None:
        position = line.proposed_position
        if position is not None:
            taken = line.run.lines.filter(position=position).exclude(pk=line.pk).first()
            if taken:
                raise DomainError(
                    _(
                        "Another line of this proposal (%(number)s) now has the proposed "
                        "position; change that line first."
                    )
                    % {"number": taken.application.number}
                )
            fit = engine.fit(line.application, position)
            line.preference_rank, line.cost = fit.preference_rank, fit.cost
            line.notes = engine.as_dicts(fit.notes)
        else:
            line.preference_rank, line.cost, line.notes = None, 0, []
        line.position = position
    else:
        line.notes = [n for n in line.notes if n.get("code") != matching.FIXED_BY_HAND]
    line.notes = [
        *line.notes,
        {"code": "override_removed", "params": {"by": by.get_full_name()}},
    ]
    line.override_reason = ""
    line.overridden_by = None
    line.overridden_at = None
    line.carried_from = None
    line.save()
    return line


def matching_lines_approve(*, by: User, run: MatchingRun, lines=None) -> dict:
    """A CLAIR manager (for the placement committee) approves the proposal as a whole or
    the chosen lines. Each line is placed in its own transaction: a line whose candidate
    or position was taken meanwhile fails with its reason, and the others still go."""
    access.require(by, "approve", run, ONLY_MANAGERS_APPROVE)
    if run.state != MatchingRun.State.READY:
        raise DomainError(_("This suggestion is not ready for review."))
    pending = run.lines.filter(decision=MatchingLine.Decision.PROPOSED, position__isnull=False)
    if lines is not None:
        pending = pending.filter(pk__in=[getattr(line, "pk", line) for line in lines])
    outcome = {"approved": 0, "failed": 0}
    for line in pending.select_related("application__partner", "position__prefecture"):
        try:
            with transaction.atomic():
                placement = placement_confirm(
                    by=by, application=line.application, position=line.position
                )
                MatchingLine.objects.filter(pk=line.pk).update(
                    decision=MatchingLine.Decision.APPROVED,
                    placement=placement,
                    decided_by=by,
                    decided_at=timezone.now(),
                )
            outcome["approved"] += 1
        except DomainError as exc:
            MatchingLine.objects.filter(pk=line.pk).update(
                decision=MatchingLine.Decision.FAILED,
                decision_note=exc.message,
                decided_by=by,
                decided_at=timezone.now(),
            )
            outcome["failed"] += 1
    return outcome


@transaction.atomic
def matching_line_reject(*, by: User, line: MatchingLine, reason: str) -> MatchingLine:
    access.require(by, "reject", line, ONLY_MANAGERS_APPROVE)
    line = _editable_line(by, line)
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for the change."), field="reason")
    line.decision = MatchingLine.Decision.REJECTED
    line.decision_note = reason.strip()
    line.decided_by = by
    line.decided_at = timezone.now()
    line.save()
    return line


# --- the organisation answers the placement --------------------------------------------


def _placement_to_answer(by: User, placement: Placement) -> Placement:
    access.require(by, "change", placement, NOT_YOUR_PLACEMENT)
    placement = (
        Placement.objects.select_for_update(of=("self",))
        .select_related(
            "application__applicant",
            "application__mission",
            "position__organisation",
            "position__prefecture",
            "confirmed_by",
        )
        .get(pk=placement.pk)
    )
    if placement.status != Placement.Status.CONFIRMED:
        raise DomainError(_("This placement has already been answered."))
    return placement


@transaction.atomic
def placement_accept(*, by: User, placement: Placement) -> Placement:
    """The organisation takes the candidate CLAIR placed; the mission and the candidate
    are told where (organisation, municipality, school level, arrival group)."""
    placement = _placement_to_answer(by, placement)
    placement.status = Placement.Status.ACCEPTED_BY_ORGANISATION
    placement.decided_at = timezone.now()
    placement.save()
    applicant = placement.application.applicant
    access.grant_user("view", placement, applicant)
    context = placement_context(placement)
    notifications_record(
        recipients=[applicant, *organisation_staff(organisation=placement.application.mission)],
        kind="placement_notice",
        context=context,
        key=f"placement_notice:{placement.pk}",
    )
    return placement


@transaction.atomic
def placement_decline(*, by: User, placement: Placement, reason: str) -> Placement:
    """The organisation turns the candidate down with a reason; the candidate goes back
    to CLAIR's pool (no active placement) and the position is open again."""
    placement = _placement_to_answer(by, placement)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for declining."), field="reason")
    placement.status = Placement.Status.DECLINED_BY_ORGANISATION
    placement.decline_reason = reason
    placement.decided_at = timezone.now()
    placement.save()
    clair = placement.confirmed_by.organisation
    notifications_record(
        recipients=list(organisation_staff(organisation=clair)) if clair else [],
        kind="placement_declined",
        context=placement_context(placement) | {"reason": reason},
        key=f"placement_declined:{placement.pk}",
    )
    return placement


# --- the candidate answers -------------------------------------------------------------


def _own_placement(by: User, placement: Placement) -> Placement:
    access.require(by, "answer", placement, ONLY_THE_CANDIDATE_ANSWERS)
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related(
            "application__applicant",
            "application__mission",
            "application__programme_year",
            "position__organisation",
            "position__prefecture",
        )
        .get(pk=placement.pk)
    )


@transaction.atomic
def placement_candidate_accept(*, by: User, placement: Placement) -> Contract:
    """The candidate takes the placement: they become a participant, and the draft
    contract (contract year 1, from the arrival date, pay from the scale) is created for
    the organisation to complete and issue."""
    placement = _own_placement(by, placement)
    if placement.status != Placement.Status.ACCEPTED_BY_ORGANISATION:
        raise DomainError(_("This placement is not waiting for your answer."))
    placement.status = Placement.Status.ACCEPTED
    placement.save()
    contract = contract_draft_create(placement, first_contract_terms(placement))
    # Attendance at Tokyo Orientation of their arrival group is required.
    register_automatically(person=by, placement=placement)
    # The candidate is a participant from now on (kept in their account's history).
    candidate = placement.application.applicant
    if candidate.person_role != PersonRole.PARTICIPANT:
        candidate.person_role = PersonRole.PARTICIPANT
        candidate.save(update_fields=["person_role"])
    notifications_record(
        recipients=list(organisation_staff(organisation=placement.position.organisation)),
        kind="placement_accepted",
        context=placement_context(placement) | {"contract": contract.pk},
        key=f"placement_accepted:{placement.pk}",
    )
    return contract


@transaction.atomic
def placement_withdraw(*, by: User, placement: Placement, reason: str = "") -> Placement:
    """The candidate withdraws: the position is open again, any unsigned contract is
    cancelled, and the mission (which may upgrade an alternate) and the organisation
    are told."""
    placement = _own_placement(by, placement)
    if placement.status not in (
        Placement.Status.ACCEPTED_BY_ORGANISATION,
        Placement.Status.ACCEPTED,
    ):
        raise DomainError(_("This placement cannot be withdrawn from now."))
    if placement.contracts.filter(status__in=Contract.SIGNED_STATES).exists():
        raise DomainError(
            _("You have signed your contract: to leave, contact your contracting organisation.")
        )
    placement.contracts.filter(status__in=(Contract.Status.DRAFT, Contract.Status.ISSUED)).update(
        status=Contract.Status.CANCELLED
    )
    placement.status = Placement.Status.WITHDRAWN
    placement.decline_reason = (reason or "").strip()
    placement.decided_at = timezone.now()
    placement.save()
    Application.objects.filter(pk=placement.application_id).update(
        status=Application.Status.WITHDRAWN
    )
    # A participant by this placement is an applicant again.
    candidate = placement.application.applicant
    if candidate.person_role == PersonRole.PARTICIPANT:
        candidate.person_role = PersonRole.APPLICANT
        candidate.save(update_fields=["person_role"])
    recipients = [
        *organisation_staff(organisation=placement.application.mission),
        *organisation_staff(organisation=placement.position.organisation),
    ]
    notifications_record(
        recipients=recipients,
        kind="placement_withdrawn",
        context=placement_context(placement) | {"reason": placement.decline_reason},
        key=f"placement_withdrawn:{placement.pk}",
    )
    return placement


# --- the contract ------------------------------------------------------------------------

CONTRACT_FIELDS = {"hours_per_week", "paid_leave_days", "conditions_en", "conditions_ja"}


def _contract_for_update(by: User, contract: Contract) -> Contract:
    access.require(by, "change", contract, NOT_YOUR_CONTRACT)
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("placement__application__applicant", "placement__position__organisation")
        .get(pk=contract.pk)
    )


@transaction.atomic
def contract_update(*, by: User, contract: Contract, **fields) -> Contract:
    """Edit the organisation's part of a draft: hours, leave and its own conditions."""
    contract = _contract_for_update(by, contract)
    if not contract.editable:
        raise DomainError(
            _("Only a draft can be changed. A signed contract is changed by a new version.")
        )
    _unknown_fields(fields, CONTRACT_FIELDS)
    hours = fields.get("hours_per_week", contract.hours_per_week)
    if not 1 <= float(hours) <= 40:
        raise DomainError(
            _("Working hours must be between 1 and 40 a week."), field="hours_per_week"
        )
    leave = fields.get("paid_leave_days", contract.paid_leave_days)
    if not 10 <= int(leave) <= 40:
        raise DomainError(
            _("Paid leave must be between 10 and 40 days a year."), field="paid_leave_days"
        )
    for name, value in fields.items():
        setattr(contract, name, value)
    contract.save()
    return contract


@transaction.atomic
def contract_issue(*, by: User, contract: Contract) -> Contract:
    """Send the draft to the participant to read and sign."""
    contract = _contract_for_update(by, contract)
    if contract.status != Contract.Status.DRAFT:
        raise DomainError(_("Only a draft can be issued."))
    contract.status = Contract.Status.ISSUED
    contract.save()
    notifications_record(
        recipients=[contract.participant],
        kind="contract_issued",
        context=contract_context(contract),
        key=f"contract_issued:{contract.pk}",
    )
    return contract


@transaction.atomic
def contract_sign(
    *, by: User, contract: Contract, typed_name: str, agree: bool, address: str | None
) -> Contract:
    """The participant signs an issued contract: their typed full name, their agreement,
    the time and the address they signed from are kept with the version."""
    access.require(by, "sign", contract, ONLY_THE_PARTICIPANT_SIGNS)
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("placement__application__applicant", "placement__position__organisation")
        .get(pk=contract.pk)
    )
    if contract.status != Contract.Status.ISSUED:
        raise DomainError(_("Only a contract the organisation has issued can be signed."))
    if not agree:
        raise DomainError(_("Tick the box to agree to the contract."), field="agree")
    typed = " ".join((typed_name or "").split())
    if not typed:
        raise DomainError(_("Type your full name to sign."), field="typed_name")
    expected = " ".join(by.get_full_name().split())
    if expected and typed.casefold() != expected.casefold():
        raise DomainError(
            _("Type your full name exactly as it is on your account: %(name)s.")
            % {"name": expected},
            field="typed_name",
        )
    contract.status = Contract.Status.SIGNED
    contract.participant_signature = typed
    contract.participant_signed_at = timezone.now()
    contract.participant_address = address or None
    contract.save()
    notifications_record(
        recipients=list(organisation_staff(organisation=contract.placement.position.organisation)),
        kind="contract_signed",
        context=contract_context(contract),
        key=f"contract_signed:{contract.pk}",
    )
    return contract


@transaction.atomic
def contract_countersign(*, by: User, contract: Contract) -> Contract:
    """Countersign what the participant signed: the version comes into force and the one
    it replaces is kept as superseded."""
    contract = _contract_for_update(by, contract)
    if contract.status != Contract.Status.SIGNED:
        raise DomainError(_("The participant must sign before the organisation countersigns."))
    # Every earlier version of the year is replaced: the one in force and one the
    # participant had signed before the change was made.
    Contract.objects.filter(
        Q(status=Contract.Status.IN_FORCE)
        | Q(status=Contract.Status.SIGNED, version__lt=contract.version),
        placement=contract.placement,
        contract_year=contract.contract_year,
    ).update(status=Contract.Status.SUPERSEDED)
    contract.status = Contract.Status.IN_FORCE
    contract.countersigned_by = by
    contract.countersigned_at = timezone.now()
    contract.save()
    notifications_record(
        recipients=[contract.participant],
        kind="contract_in_force",
        context=contract_context(contract),
        key=f"contract_in_force:{contract.pk}",
    )
    return contract


@transaction.atomic
def contract_new_version(*, by: User, contract: Contract) -> Contract:
    """Start a change to an issued or signed contract: a new draft version with the same
    terms; every earlier version stays as it was."""
    contract = _contract_for_update(by, contract)
    if contract.status == Contract.Status.DRAFT:
        raise DomainError(_("This version is still a draft: change it directly."))
    if contract.status in (Contract.Status.SUPERSEDED, Contract.Status.CANCELLED):
        raise DomainError(_("Only the latest version can be changed."))
    latest = (
        Contract.objects.filter(placement=contract.placement).order_by("-version").first().version
    )
    if Contract.objects.filter(
        placement=contract.placement,
        contract_year=contract.contract_year,
        status__in=(Contract.Status.DRAFT, Contract.Status.ISSUED),
        version__gt=contract.version,
    ).exists():
        raise DomainError(_("A newer version is already being prepared."))
    if contract.status == Contract.Status.ISSUED:
        # Not signed yet: the issued version is withdrawn in favour of the new one.
        contract.status = Contract.Status.SUPERSEDED
        contract.save()
    new = Contract.objects.create(
        placement=contract.placement,
        version=latest + 1,
        contract_year=contract.contract_year,
        start_date=contract.start_date,
        end_date=contract.end_date,
        remuneration=contract.remuneration,
        hours_per_week=contract.hours_per_week,
        paid_leave_days=contract.paid_leave_days,
        conditions_en=contract.conditions_en,
        conditions_ja=contract.conditions_ja,
    )
    contract_grant(new)
    return new
