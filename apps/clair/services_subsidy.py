"""CLAIR decides forwarded counselling subsidy claims: approve one, or return it to the
participant with a reason (their organisation is told too)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.models import Kind, User
from apps.core.selectors import organisation_staff
from apps.notifications.services import notifications_record
from apps.support import subsidy as rules
from apps.support.models import SubsidyClaim


def _forwarded(by: User, claim: SubsidyClaim) -> SubsidyClaim:
    if by is None or by.kind != Kind.CLAIR:
        raise DomainError(_("Only CLAIR approves or returns a forwarded claim."))
    claim = (
        SubsidyClaim.objects.select_for_update()
        .select_related("participant", "organisation")
        .get(pk=claim.pk)
    )
    if claim.state != SubsidyClaim.State.FORWARDED:
        raise DomainError(_("This claim is not waiting for CLAIR's decision."))
    return claim


@transaction.atomic
def subsidy_claim_approve(*, by: User, claim: SubsidyClaim, notify: bool = True) -> SubsidyClaim:
    claim = _forwarded(by, claim)
    claim.state = SubsidyClaim.State.APPROVED
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.save()
    if notify:
        notifications_record(
            recipients=[claim.participant, *organisation_staff(organisation=claim.organisation)],
            kind="subsidy_claim_approved",
            context=rules.claim_context(claim),
            key=f"subsidy_claim_approved:{claim.pk}",
        )
    return claim


@transaction.atomic
def subsidy_claim_return(
    *, by: User, claim: SubsidyClaim, reason: str, notify: bool = True
) -> SubsidyClaim:
    claim = _forwarded(by, claim)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for returning the claim."), field="reason")
    claim.state = SubsidyClaim.State.RETURNED
    claim.return_reason = reason
    claim.returned_by = by
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.save()
    if notify:
        notifications_record(
            recipients=[claim.participant, *organisation_staff(organisation=claim.organisation)],
            kind="subsidy_claim_returned",
            context=rules.claim_context(claim),
            key=None,
        )
    return claim
