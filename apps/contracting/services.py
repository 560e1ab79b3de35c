"""A contracting organisation's writes."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Kind, User
from apps.core.selectors import organisation_staff, programme_year_current
from apps.notifications.services import notifications_record
from apps.placement.contracts import contract_grant
from apps.placement.models import Contract, Placement, PositionRequest
from apps.placement.notices import contract_context, placement_context

POSITION_FIELDS = {
    "type",
    "school_level",
    "base",
    "city",
    "municipality",
    "location",
    "driving_licence_required",
    "min_japanese_level",
    "cir_language",
    "housing",
    "description",
}


def _require_own_organisation(by: User) -> None:
    if by.kind != Kind.CONTRACTING:
        raise DomainError(_("Only a contracting organisation requests positions."))


def _check(fields: dict) -> None:
    if fields.get("type") != "ALT" and fields.get("school_level"):
        raise DomainError(
            _("A school level is given only for ALT positions."), field="school_level"
        )
    if fields.get("type") == "ALT" and not fields.get("school_level"):
        raise DomainError(_("Choose the school level of the ALT position."), field="school_level")
    if not (fields.get("base") or "").strip():
        raise DomainError(_("Name the base school or office."), field="base")


@transaction.atomic
def position_request_create(*, by: User, seats: int = 1, **fields) -> list[PositionRequest]:
    """Request `seats` identical positions (one row per seat) for the current year."""
    _require_own_organisation(by)
    unknown = set(fields) - POSITION_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if not 1 <= seats <= 50:
        raise DomainError(_("Request between 1 and 50 seats at a time."), field="seats")
    _check(fields)
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
    position = PositionRequest.objects.select_for_update().get(pk=position.pk)
    if not access.can(by, "change", position):
        raise DomainError(_("You cannot change this position."))
    if position.state == PositionRequest.State.APPROVED:
        raise DomainError(_("An approved position cannot be changed; ask MIC."))
    unknown = set(fields) - POSITION_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    merged = {name: getattr(position, name) for name in POSITION_FIELDS} | fields
    _check(merged)
    for name, value in fields.items():
        setattr(position, name, value)
    position.state = PositionRequest.State.REQUESTED
    position.return_reason = ""
    position.save()
    return position


# --- placements offered to the organisation ----------------------------------------------


def _placement_for_update(by: User, placement: Placement) -> Placement:
    if by.kind != Kind.CONTRACTING:
        raise DomainError(_("Only the contracting organisation answers a placement."))
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
    if not access.can(by, "change", placement):
        raise DomainError(_("This placement is not your organisation's."))
    if placement.status != Placement.Status.CONFIRMED:
        raise DomainError(_("This placement has already been answered."))
    return placement


@transaction.atomic
def placement_accept(*, by: User, placement: Placement) -> Placement:
    """The organisation takes the candidate CLAIR placed; the mission and the candidate
    are told where (organisation, municipality, school level, arrival group)."""
    placement = _placement_for_update(by, placement)
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
    placement = _placement_for_update(by, placement)
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


# --- contracts -------------------------------------------------------------------------

CONTRACT_FIELDS = {"hours_per_week", "paid_leave_days", "conditions_en", "conditions_ja"}


def _contract_for_update(by: User, contract: Contract) -> Contract:
    if by.kind != Kind.CONTRACTING:
        raise DomainError(_("Only the contracting organisation issues contracts."))
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("placement__application__applicant", "placement__position__organisation")
        .get(pk=contract.pk)
    )
    if not access.can(by, "change", contract):
        raise DomainError(_("This contract is not your organisation's."))
    return contract


@transaction.atomic
def contract_update(*, by: User, contract: Contract, **fields) -> Contract:
    """Edit the organisation's part of a draft: hours, leave and its own conditions."""
    contract = _contract_for_update(by, contract)
    if not contract.editable:
        raise DomainError(
            _("Only a draft can be changed. A signed contract is changed by a new version.")
        )
    unknown = set(fields) - CONTRACT_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
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
def contract_countersign(*, by: User, contract: Contract) -> Contract:
    """Countersign what the participant signed: the version comes into force and the one
    it replaces is kept as superseded."""
    contract = _contract_for_update(by, contract)
    if contract.status != Contract.Status.SIGNED:
        raise DomainError(_("The participant must sign before the organisation countersigns."))
    Contract.objects.filter(
        placement=contract.placement,
        contract_year=contract.contract_year,
        status=Contract.Status.IN_FORCE,
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
