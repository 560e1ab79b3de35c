"""Submit, check and forward, approve; the return-and-fix path; notices at each step."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from apps.core.errors import DomainError
from apps.core.selectors import organisation_staff
from apps.notifications.models import Notification
from apps.support import services_subsidy as services
from apps.support.models import SubsidyClaim

from .conftest import pdf, png

DAY = dt.date(2024, 9, 2)


def _notified(kind: str):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_submit_forward_approve_with_notices(participant, co_hyogo, clair, claim_for):
    claim = claim_for(participant, DAY, 8000, note="Two sessions.", receipts=[pdf(), png()])
    assert claim.state == SubsidyClaim.State.SUBMITTED
    assert claim.organisation == co_hyogo.organisation
    assert claim.receipts.count() == 2
    hyogo_staff = set(
        organisation_staff(organisation=co_hyogo.organisation).values_list("username", flat=True)
    )
    assert "co.hyogo" in _notified("subsidy_claim_submitted")
    claim = services.subsidy_claim_forward(by=co_hyogo, claim=claim)
    assert (claim.state, claim.forwarded_by) == (SubsidyClaim.State.FORWARDED, co_hyogo)
    assert "clair" in _notified("subsidy_claim_forwarded")
    claim = services.subsidy_claim_approve(by=clair, claim=claim)
    assert (claim.state, claim.decided_by) == (SubsidyClaim.State.APPROVED, clair)
    approved = _notified("subsidy_claim_approved")
    assert "participant" in approved
    assert hyogo_staff <= approved


def test_return_and_fix_path(participant, co_hyogo, clair, claim_for):
    claim = claim_for(participant, DAY, 8000)
    old_receipt = claim.receipts.get()
    with pytest.raises(DomainError) as refused:
        services.subsidy_claim_return(by=co_hyogo, claim=claim, reason="  ")
    assert refused.value.field == "reason"
    claim = services.subsidy_claim_return(
        by=co_hyogo, claim=claim, reason="The receipt shows no date."
    )
    assert claim.state == SubsidyClaim.State.RETURNED
    assert "participant" in _notified("subsidy_claim_returned")

    # The organisation cannot forward a returned claim; the participant fixes it.
    with pytest.raises(DomainError):
        services.subsidy_claim_forward(by=co_hyogo, claim=claim)
    claim = services.subsidy_claim_resubmit(
        by=participant,
        claim=claim,
        session_date=DAY,
        cost=9000,
        note="Full receipt attached.",
        receipts=[pdf("full-receipt.pdf")],
        remove_receipts=[old_receipt.pk],
    )
    assert (claim.state, claim.cost, claim.amount, claim.return_reason) == (
        SubsidyClaim.State.SUBMITTED,
        9000,
        4500,
        "",
    )
    assert list(claim.receipts.values_list("name", flat=True)) == ["full-receipt.pdf"]
    assert "co.hyogo" in _notified("subsidy_claim_resubmitted")

    # Forwarded, then CLAIR returns it; fixed again, forwarded, approved.
    claim = services.subsidy_claim_forward(by=co_hyogo, claim=claim)
    claim = services.subsidy_claim_return(
        by=clair, claim=claim, reason="Add the counsellor's registration number."
    )
    assert claim.state == SubsidyClaim.State.RETURNED
    claim = services.subsidy_claim_resubmit(
        by=participant, claim=claim, session_date=DAY, cost=9000, note="Number added."
    )
    claim = services.subsidy_claim_forward(by=co_hyogo, claim=claim)
    claim = services.subsidy_claim_approve(by=clair, claim=claim)
    assert claim.state == SubsidyClaim.State.APPROVED


def test_fixing_recomputes_the_amount_against_the_cap(participant, co_hyogo, claim_for):
    claim = claim_for(participant, DAY, 20000)
    claim_for(participant, DAY, 40000)  # 20,000 held: 10,000 + 20,000 = the cap
    claim = services.subsidy_claim_return(by=co_hyogo, claim=claim, reason="Scan.")
    claim_for(participant, DAY, 10000)  # takes 5,000 of the 10,000 the return freed
    claim = services.subsidy_claim_resubmit(
        by=participant, claim=claim, session_date=DAY, cost=20000
    )
    assert claim.amount == 5000


def test_a_fix_keeps_at_least_one_receipt(participant, co_hyogo, claim_for):
    claim = claim_for(participant, DAY, 8000)
    claim = services.subsidy_claim_return(by=co_hyogo, claim=claim, reason="Scan.")
    with pytest.raises(DomainError) as refused:
        services.subsidy_claim_resubmit(
            by=participant,
            claim=claim,
            session_date=DAY,
            cost=8000,
            remove_receipts=list(claim.receipts.values_list("pk", flat=True)),
        )
    assert refused.value.field == "receipts"
    claim.refresh_from_db()
    assert claim.state == SubsidyClaim.State.RETURNED
    assert claim.receipts.count() == 1


def test_wrong_actors_and_wrong_states_are_refused(
    participant, co_hyogo, co_sapporo, clair, claim_for
):
    claim = claim_for(participant, DAY, 8000)
    # The wrong actor is a role refusal (403), the wrong state a rule of the step (400).
    with pytest.raises(PermissionDenied, match="Only the participant's organisation checks"):
        services.subsidy_claim_forward(by=co_sapporo, claim=claim)
    with pytest.raises(DomainError):
        services.subsidy_claim_approve(by=clair, claim=claim)  # not forwarded yet
    with pytest.raises(PermissionDenied, match="Only CLAIR approves or returns"):
        services.subsidy_claim_approve(by=co_hyogo, claim=claim)
    with pytest.raises(PermissionDenied, match="Only the participant's organisation or CLAIR"):
        services.subsidy_claim_return(by=participant, claim=claim, reason="x")
    with pytest.raises(DomainError):
        services.subsidy_claim_resubmit(by=participant, claim=claim, session_date=DAY, cost=8000)
    claim.refresh_from_db()
    assert claim.state == SubsidyClaim.State.SUBMITTED
