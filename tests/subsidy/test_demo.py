"""The demo's claims, and the notices' texts."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from apps.notifications.kinds import KINDS
from apps.notifications.models import Notification
from apps.support.models import SubsidyClaim

SUBSIDY_KINDS = [kind for kind in KINDS if kind.startswith("subsidy_")]


def test_demo_has_claims_in_every_state(participant):
    states = set(SubsidyClaim.objects.values_list("state", flat=True))
    assert states == set(SubsidyClaim.State.values)
    mine = set(SubsidyClaim.objects.filter(participant=participant).values_list("state", flat=True))
    assert mine == set(SubsidyClaim.State.values)
    # Every claim has its receipt, and nobody was notified of the demo's claims.
    assert not SubsidyClaim.objects.filter(receipts__isnull=True).exists()
    assert not Notification.objects.filter(kind__in=SUBSIDY_KINDS).exists()


def test_demo_returned_claims_carry_a_reason(db):
    returned = SubsidyClaim.objects.filter(state=SubsidyClaim.State.RETURNED)
    assert returned.count() >= 2
    assert all(claim.return_reason for claim in returned)


@pytest.mark.parametrize("kind", SUBSIDY_KINDS)
@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_notice_renders(kind, language):
    assert len(SUBSIDY_KINDS) == 5
    context = {
        "claim": 1,
        "participant": "Sarah O'Connor",
        "organisation_en": "Hyogo Prefectural Board of Education",
        "organisation_ja": "兵庫県教育委員会",
        "session_date": dt.date(2026, 9, 2).isoformat(),
        "cost": "8,000",
        "amount": "4,000",
        "fiscal_year": 2026,
        "reason": "The receipt shows no date.",
    }
    with translation.override(language):
        body = render_to_string(f"notifications/email/{kind}.txt", {"c": context})
        assert str(KINDS[kind])
    assert "Sarah O'Connor" in body or "Hyogo" in body or "兵庫" in body
    assert "&#x27;" not in body  # plain text: nothing escaped for HTML
