"""A candidate's and participant's writes: answering a placement, signing a contract."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Kind, PersonRole, User
from apps.core.selectors import organisation_staff
from apps.events.services import register_automatically
from apps.notifications.services import notifications_record
from apps.placement.contracts import contract_draft_create, first_contract_terms
from apps.placement.models import Contract, Placement
from apps.placement.notices import contract_context, placement_context
from apps.recruitment.models import Application

PERSON_KINDS = (Kind.APPLICANT, Kind.PARTICIPANT)


def _own_placement(by: User, placement: Placement) -> Placement:
    if by.kind not in PERSON_KINDS:
        raise DomainError(_("Only the candidate answers their placement."))
    placement = (
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
    if placement.application.applicant_id != by.pk or not access.can(by, "view", placement):
        raise DomainError(_("This is not your placement."))
    return placement


@transaction.atomic
def placement_accept(*, by: User, placement: Placement) -> Contract:
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
    if by.person_role != PersonRole.PARTICIPANT:
        by.person_role = PersonRole.PARTICIPANT
        by.save(update_fields=["person_role"])
    notifications_record(
        recipients=list(organisation_staff(organisation=placement.position.organisation)),
        kind="placement_accepted",
        context=placement_context(placement),
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
    if by.person_role == PersonRole.PARTICIPANT:
        by.person_role = PersonRole.APPLICANT
        by.save(update_fields=["person_role"])
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


@transaction.atomic
def contract_sign(
    *, by: User, contract: Contract, typed_name: str, agree: bool, address: str | None
) -> Contract:
    """The participant signs an issued contract: their typed full name, their agreement,
    the time and the address they signed from are kept with the version."""
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("placement__application__applicant", "placement__position__organisation")
        .get(pk=contract.pk)
    )
    if contract.participant.pk != by.pk or not access.can(by, "view", contract):
        raise DomainError(_("This is not your contract."))
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
