"""Writes of the counselling subsidy, each asking the access rule who may make it.

The participant claims half of a counselling cost (up to what remains of the fiscal
year's cap, with receipts checked by their content before anything is saved) and
corrects a returned claim; their contracting organisation checks a submitted claim and
forwards it to CLAIR or returns it; CLAIR approves a forwarded claim or returns it. The
rules of the amount are `apps.support.subsidy`.

A claim the user may not see never reaches these functions (404 first); one they see
but may not act on is refused with PermissionDenied (403); a claim in the wrong state
for the step is a DomainError, with the message the page and the API both show."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import User
from apps.core.selectors import organisation_staff
from apps.notifications.services import notifications_record
from apps.support import subsidy as rules
from apps.support.models import SubsidyClaim

State = SubsidyClaim.State


def _lock_person(by: User) -> None:
    # One claim at a time per person, so two claims cannot both take the last of the cap.
    User.objects.select_for_update().filter(pk=by.pk).first()


def _locked(claim: SubsidyClaim) -> SubsidyClaim:
    return (
        SubsidyClaim.objects.select_for_update(of=("self",))
        .select_related("participant", "organisation")
        .get(pk=claim.pk)
    )


def _waiting(claim: SubsidyClaim, state: str, message: str) -> SubsidyClaim:
    claim = _locked(claim)
    if claim.state != state:
        raise DomainError(message)
    return claim


def _notify(claim: SubsidyClaim, kind: str, recipients, key: str | None = None) -> None:
    notifications_record(
        recipients=list(recipients), kind=kind, context=rules.claim_context(claim), key=key
    )


# --- the participant -----------------------------------------------------------------------


@transaction.atomic
def subsidy_claim_submit(
    *, by: User, session_date, cost, note: str = "", receipts=(), notify: bool = True
) -> SubsidyClaim:
    access.require_allowed(
        by, "add", SubsidyClaim, _("Only a participant claims the counselling subsidy.")
    )
    organisation = rules.participant_organisation(by)
    if organisation is None:
        raise DomainError(
            _("You have no contracting organisation to check your claim: you are not placed.")
        )
    checked = rules.receipts_check(receipts)
    _lock_person(by)
    fiscal_year, amount = rules.claim_amount(participant=by, session_date=session_date, cost=cost)
    claim = SubsidyClaim.objects.create(
        participant=by,
        organisation=organisation,
        fiscal_year=fiscal_year,
        session_date=session_date,
        cost=int(cost),
        amount=amount,
        note=(note or "").strip(),
        state=State.SUBMITTED,
    )
    rules.receipts_save(claim, checked)
    if notify:
        _notify(
            claim,
            "subsidy_claim_submitted",
            organisation_staff(organisation=organisation),
            key=f"subsidy_claim_submitted:{claim.pk}",
        )
    return claim


@transaction.atomic
def subsidy_claim_resubmit(
    *,
    by: User,
    claim: SubsidyClaim,
    session_date,
    cost,
    note: str = "",
    receipts=(),
    remove_receipts=(),
    notify: bool = True,
) -> SubsidyClaim:
    """Fix a returned claim (date, cost, note; add receipts, remove some) and submit it
    again to the organisation. The amount is worked out afresh against the cap."""
    access.require(by, "resubmit", claim, _("Only the participant corrects their claim."))
    claim = _waiting(
        claim,
        State.RETURNED,
        _("Only a returned claim can be corrected and submitted again."),
    )
    checked = rules.receipts_check(receipts, required=False)
    removing = {int(pk) for pk in (remove_receipts or []) if str(pk).isdigit()}
    kept = claim.receipts.exclude(pk__in=removing)
    if not kept.exists() and not checked:
        raise DomainError(_("Attach at least one receipt (PDF, JPEG or PNG)."), field="receipts")
    _lock_person(by)
    fiscal_year, amount = rules.claim_amount(
        participant=by, session_date=session_date, cost=cost, exclude=claim
    )
    claim.receipts.filter(pk__in=removing).delete()
    rules.receipts_save(claim, checked)
    claim.fiscal_year = fiscal_year
    claim.session_date = session_date
    claim.cost = int(cost)
    claim.amount = amount
    claim.note = (note or "").strip()
    claim.state = State.SUBMITTED
    claim.return_reason = ""
    claim.returned_by = None
    claim.forwarded_by = None
    claim.forwarded_at = None
    claim.decided_by = None
    claim.decided_at = None
    claim.save()
    if notify:
        _notify(
            claim,
            "subsidy_claim_resubmitted",
            organisation_staff(organisation=claim.organisation),
        )
    return claim


# --- the organisation's check and CLAIR's decision -----------------------------------------


@transaction.atomic
def subsidy_claim_forward(*, by: User, claim: SubsidyClaim, notify: bool = True) -> SubsidyClaim:
    """The organisation has checked a submitted claim and forwards it to CLAIR."""
    access.require(by, "check", claim, _("Only the participant's organisation checks this claim."))
    claim = _waiting(
        claim, State.SUBMITTED, _("This claim is not waiting for your organisation's check.")
    )
    claim.state = State.FORWARDED
    claim.forwarded_by = by
    claim.forwarded_at = timezone.now()
    claim.save()
    if notify:
        _notify(
            claim,
            "subsidy_claim_forwarded",
            access.people_allowed("decide", SubsidyClaim),
            key=f"subsidy_claim_forwarded:{claim.pk}:{claim.forwarded_at.timestamp():.0f}",
        )
    return claim


@transaction.atomic
def subsidy_claim_approve(*, by: User, claim: SubsidyClaim, notify: bool = True) -> SubsidyClaim:
    """CLAIR approves a forwarded claim; the participant and their organisation are told."""
    access.require(by, "decide", claim, _("Only CLAIR approves or returns a forwarded claim."))
    claim = _waiting(claim, State.FORWARDED, _("This claim is not waiting for CLAIR's decision."))
    claim.state = State.APPROVED
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.save()
    if notify:
        _notify(
            claim,
            "subsidy_claim_approved",
            [claim.participant, *organisation_staff(organisation=claim.organisation)],
            key=f"subsidy_claim_approved:{claim.pk}",
        )
    return claim


@transaction.atomic
def subsidy_claim_return(
    *, by: User, claim: SubsidyClaim, reason: str, notify: bool = True
) -> SubsidyClaim:
    """Return a claim to the participant with a reason: the organisation a submitted
    claim it checks (the participant is told), CLAIR a forwarded one it decides (the
    organisation is told too)."""
    if access.can(by, "check", claim):
        claim = _waiting(
            claim, State.SUBMITTED, _("This claim is not waiting for your organisation's check.")
        )
        told = [claim.participant]
    elif access.can(by, "decide", claim):
        claim = _waiting(
            claim, State.FORWARDED, _("This claim is not waiting for CLAIR's decision.")
        )
        claim.decided_by = by
        claim.decided_at = timezone.now()
        told = [claim.participant, *organisation_staff(organisation=claim.organisation)]
    else:
        raise PermissionDenied(_("Only the participant's organisation or CLAIR returns a claim."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for returning the claim."), field="reason")
    claim.state = State.RETURNED
    claim.return_reason = reason
    claim.returned_by = by
    claim.save()
    if notify:
        _notify(claim, "subsidy_claim_returned", told)
    return claim
