"""A contracting organisation checks its participants' counselling subsidy claims:
forward one to CLAIR, or return it to the participant with a reason."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.models import Kind, Organisation, User
from apps.core.selectors import organisation_staff
from apps.notifications.services import notifications_record
from apps.support import subsidy as rules
from apps.support.models import SubsidyClaim


def _own_submitted(by: User, claim: SubsidyClaim) -> SubsidyClaim:
    if by is None or by.kind != Kind.CONTRACTING:
        raise DomainError(_("Only the participant's organisation checks this claim."))
    claim = (
        SubsidyClaim.objects.select_for_update()
        .select_related("participant", "organisation")
        .get(pk=claim.pk)
    )
    if claim.organisation_id != by.organisation.pk:
        raise DomainError(_("Only the participant's organisation checks this claim."))
    if claim.state != SubsidyClaim.State.SUBMITTED:
        raise DomainError(_("This claim is not waiting for your organisation's check."))
    return claim


@transaction.atomic
def subsidy_claim_forward(*, by: User, claim: SubsidyClaim, notify: bool = True) -> SubsidyClaim:
    claim = _own_submitted(by, claim)
    claim.state = SubsidyClaim.State.FORWARDED
    claim.forwarded_by = by
    claim.forwarded_at = timezone.now()
    claim.save()
    if notify:
        clair = Organisation.objects.filter(kind=Kind.CLAIR).first()
        notifications_record(
            recipients=list(organisation_staff(organisation=clair)),
            kind="subsidy_claim_forwarded",
            context=rules.claim_context(claim),
            key=f"subsidy_claim_forwarded:{claim.pk}:{claim.forwarded_at.timestamp():.0f}",
        )
    return claim


@transaction.atomic
def subsidy_claim_return(
    *, by: User, claim: SubsidyClaim, reason: str, notify: bool = True
) -> SubsidyClaim:
    claim = _own_submitted(by, claim)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for returning the claim."), field="reason")
    claim.state = SubsidyClaim.State.RETURNED
    claim.return_reason = reason
    claim.returned_by = by
    claim.save()
    if notify:
        notifications_record(
            recipients=[claim.participant],
            kind="subsidy_claim_returned",
            context=rules.claim_context(claim),
            key=None,
        )
    return claim
