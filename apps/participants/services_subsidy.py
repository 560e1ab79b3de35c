"""A participant's counselling subsidy claims: submit one, and fix and submit again one
that was returned. Half of the cost, up to what remains of the fiscal year's cap, with
receipts checked by their content before anything is saved."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.models import Kind, User
from apps.core.selectors import organisation_staff
from apps.notifications.services import notifications_record
from apps.support import subsidy as rules
from apps.support.models import SubsidyClaim


def _require_participant(by: User) -> None:
    if by is None or by.kind != Kind.PARTICIPANT:
        raise DomainError(_("Only a participant claims the counselling subsidy."))


def _lock_person(by: User) -> None:
    # One claim at a time per person, so two claims cannot both take the last of the cap.
    User.objects.select_for_update().filter(pk=by.pk).first()


@transaction.atomic
def subsidy_claim_submit(
    *, by: User, session_date, cost, note: str = "", receipts=(), notify: bool = True
) -> SubsidyClaim:
    _require_participant(by)
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
        state=SubsidyClaim.State.SUBMITTED,
    )
    rules.receipts_save(claim, checked)
    if notify:
        notifications_record(
            recipients=list(organisation_staff(organisation=organisation)),
            kind="subsidy_claim_submitted",
            context=rules.claim_context(claim),
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
    _require_participant(by)
    claim = SubsidyClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.participant_id != by.pk:
        raise DomainError(_("This is not your claim."))
    if claim.state != SubsidyClaim.State.RETURNED:
        raise DomainError(_("Only a returned claim can be corrected and submitted again."))
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
    claim.state = SubsidyClaim.State.SUBMITTED
    claim.return_reason = ""
    claim.returned_by = None
    claim.forwarded_by = None
    claim.forwarded_at = None
    claim.decided_by = None
    claim.decided_at = None
    claim.save()
    if notify:
        notifications_record(
            recipients=list(organisation_staff(organisation=claim.organisation)),
            kind="subsidy_claim_resubmitted",
            context=rules.claim_context(claim),
            key=None,
        )
    return claim
