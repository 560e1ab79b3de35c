"""The 50 % rule and the fiscal-year cap (April to March) across several claims."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.core.errors import DomainError
from apps.support import services_subsidy as services
from apps.support import subsidy as rules
from apps.support.models import SubsidyClaim

# Sarah's demo claims are all in the current fiscal year; these years are hers alone.
FY2024 = dt.date(2024, 6, 10)
FY2025 = dt.date(2025, 6, 10)


def test_fiscal_year_turns_on_the_first_of_april():
    assert rules.fiscal_year_of(dt.date(2027, 3, 31)) == 2026
    assert rules.fiscal_year_of(dt.date(2027, 4, 1)) == 2027
    assert rules.fiscal_year_of(dt.date(2026, 12, 31)) == 2026
    assert rules.fiscal_year_of(dt.date(2027, 1, 1)) == 2026


def test_cap_is_a_setting(settings):
    assert rules.cap() == 30000
    settings.COUNSELLING_SUBSIDY_CAP_YEN = 20000
    assert rules.cap() == 20000


def test_half_of_the_cost_rounded_down(participant, claim_for):
    assert claim_for(participant, FY2024, 12000).amount == 6000
    assert claim_for(participant, FY2024, 9999).amount == 4999


def test_half_of_the_cost_never_above_the_cap(participant, claim_for):
    claim = claim_for(participant, FY2025, 100000)
    assert (claim.cost, claim.amount, claim.fiscal_year) == (100000, 30000, 2025)


def test_the_cap_across_several_claims(participant, claim_for):
    assert claim_for(participant, FY2024, 20000).amount == 10000
    assert claim_for(participant, FY2024 + dt.timedelta(days=60), 30000).amount == 15000
    # 5,000 yen remain: half of 20,000 is more, so the claim gets what remains.
    assert rules.allowance(participant, 2024)["remaining"] == 5000
    assert claim_for(participant, dt.date(2025, 2, 1), 20000).amount == 5000
    assert rules.allowance(participant, 2024) == {
        "fiscal_year": 2024,
        "starts": dt.date(2024, 4, 1),
        "ends": dt.date(2025, 3, 31),
        "cap": 30000,
        "used": 30000,
        "remaining": 0,
    }
    with pytest.raises(DomainError) as refused:
        claim_for(participant, dt.date(2025, 3, 1), 4000)
    assert "Nothing remains of the ¥30,000 subsidy" in refused.value.message
    assert refused.value.field == "cost"
    assert SubsidyClaim.objects.filter(participant=participant, fiscal_year=2024).count() == 3


def test_31_march_and_1_april_belong_to_different_fiscal_years(participant, claim_for):
    march = claim_for(participant, dt.date(2025, 3, 31), 60000)
    april = claim_for(participant, dt.date(2025, 4, 1), 60000)
    assert (march.fiscal_year, march.amount) == (2024, 30000)
    assert (april.fiscal_year, april.amount) == (2025, 30000)
    with pytest.raises(DomainError):
        claim_for(participant, dt.date(2025, 3, 30), 2000)
    with pytest.raises(DomainError):
        claim_for(participant, dt.date(2025, 4, 2), 2000)


def test_forwarded_and_approved_count_returned_does_not(participant, co_hyogo, clair, claim_for):
    first = claim_for(participant, FY2024, 20000)
    second = claim_for(participant, FY2024, 20000)
    third = claim_for(participant, FY2024, 20000)
    services.subsidy_claim_forward(by=co_hyogo, claim=first)
    services.subsidy_claim_approve(by=clair, claim=first)
    services.subsidy_claim_forward(by=co_hyogo, claim=second)
    assert rules.allowance(participant, 2024)["used"] == 30000
    services.subsidy_claim_return(by=co_hyogo, claim=third, reason="Blurred scan.")
    assert rules.allowance(participant, 2024)["used"] == 20000
    assert rules.allowance(participant, 2024)["remaining"] == 10000


def test_future_and_empty_costs_are_refused(participant, claim_for):
    with pytest.raises(DomainError) as refused:
        claim_for(participant, timezone.localdate() + dt.timedelta(days=3), 5000)
    assert refused.value.field == "session_date"
    with pytest.raises(DomainError) as refused:
        claim_for(participant, FY2024, 0)
    assert refused.value.field == "cost"


def test_only_a_placed_participant_claims(applicant, co_hyogo, claim_for):
    # Neither staff nor an applicant is a participant: a role refusal, 403.
    with pytest.raises(PermissionDenied, match="Only a participant claims"):
        claim_for(co_hyogo, FY2024, 5000)
    with pytest.raises(PermissionDenied, match="Only a participant claims"):
        claim_for(applicant, FY2024, 5000)
