"""Issuing a contract is a step in two, and never loses what the organisation typed:
"Issue the contract…" is a button of the draft's own form, so a change made there is
saved first (or shown with its errors, nothing issued); the page then shows the terms
as they will be sent and issues only when asked again with the stamp of those terms."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client

from apps.core.models import User
from apps.placement import services as placement_services
from apps.placement.models import Contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(participant, co_hyogo):
    """A new draft version of `participant`'s contract in force with Hyogo (35 hours)."""
    in_force = (
        Contract.objects.filter(
            placement__application__applicant=participant, status=Contract.Status.IN_FORCE
        )
        .order_by("-contract_year", "-version")
        .first()
    )
    draft = placement_services.contract_new_version(by=co_hyogo, contract=in_force)
    return placement_services.contract_update(
        by=co_hyogo, contract=draft, hours_per_week=Decimal("35")
    )


@pytest.fixture
def hyogo(co_hyogo) -> Client:
    client = Client()
    client.force_login(co_hyogo)
    return client


def _terms(draft, **changes) -> dict:
    return {
        "hours_per_week": str(draft.hours_per_week),
        "paid_leave_days": str(draft.paid_leave_days),
        "conditions_en": draft.conditions_en,
        "conditions_ja": draft.conditions_ja,
    } | changes


def _stamp(html: str) -> str:
    return re.search(r'name="stamp" value="([0-9a-f]+)"', html)[1]


def _fresh(draft) -> Contract:
    return Contract.objects.get(pk=draft.pk)


def test_issuing_saves_the_unsaved_change_first_and_asks_to_confirm(draft, hyogo, participant):
    url = f"/contracting/contracts/{draft.pk}/"
    step = hyogo.post(url, {"action": "issue", **_terms(draft, hours_per_week="36")})
    assert step.status_code == 200
    html = re.sub(r"\s+", " ", unescape(step.content.decode()))
    assert 'data-testid="contract-saved-before-issue"' in html
    assert (
        f"Issuing sends version {draft.version} of the contract to "
        f"{participant.get_full_name()} for signature; it cannot be edited afterwards."
    ) in html
    stored = _fresh(draft)
    assert (stored.hours_per_week, stored.status) == (Decimal("36"), Contract.Status.DRAFT)

    response = hyogo.post(url, {"action": "issue", "confirm": "True", "stamp": _stamp(html)})
    assert response.status_code == 302
    stored = _fresh(draft)
    assert (stored.hours_per_week, stored.status) == (Decimal("36"), Contract.Status.ISSUED)


def test_issue_without_the_confirm_flag_issues_nothing(draft, hyogo):
    url = f"/contracting/contracts/{draft.pk}/"
    for body in ({"action": "issue"}, {"action": "issue", **_terms(draft)}):
        response = hyogo.post(url, body)
        assert response.status_code == 200
        assert 'data-testid="contract-issue-confirm"' in response.content.decode()
        assert _fresh(draft).status == Contract.Status.DRAFT


def test_an_invalid_change_is_shown_and_nothing_is_issued_or_lost(draft, hyogo):
    url = f"/contracting/contracts/{draft.pk}/"
    response = hyogo.post(
        url, {"action": "issue", **_terms(draft, hours_per_week="0", conditions_en="Kept")}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="contract-issue-confirm"' not in html
    assert "Kept" in html  # what the person typed is still in the form
    stored = _fresh(draft)
    assert (stored.hours_per_week, stored.status) == (Decimal("35"), Contract.Status.DRAFT)


def test_a_draft_changed_after_the_confirmation_step_is_shown_again(draft, hyogo, co_hyogo):
    url = f"/contracting/contracts/{draft.pk}/"
    stamp = _stamp(hyogo.post(url, {"action": "issue"}).content.decode())
    placement_services.contract_update(by=co_hyogo, contract=draft, paid_leave_days=25)
    response = hyogo.post(url, {"action": "issue", "confirm": "True", "stamp": stamp})
    assert response.status_code == 200
    assert "The draft has changed since you were asked." in response.content.decode()
    assert _fresh(draft).status == Contract.Status.DRAFT
    stamp = _stamp(response.content.decode())
    hyogo.post(url, {"action": "issue", "confirm": "True", "stamp": stamp})
    assert _fresh(draft).status == Contract.Status.ISSUED


def test_the_draft_form_is_one_form_with_both_buttons_and_warns_of_unsaved_changes(draft, hyogo):
    html = hyogo.get(f"/contracting/contracts/{draft.pk}/").content.decode()
    form = re.search(r'<form [^>]*data-testid="contract-form".*?</form>', html, re.S)[0]
    assert "data-warn-unsaved" in form
    assert 'name="action" value="save"' in form
    assert 'name="action" value="issue"' in form
    assert "js/unsaved.js" in html


def test_only_the_organisation_reaches_the_confirmation_step(draft):
    client = Client()
    client.force_login(User.objects.get(username="co.sapporo"))
    assert (
        client.post(f"/contracting/contracts/{draft.pk}/", {"action": "issue"}).status_code == 404
    )
    assert _fresh(draft).status == Contract.Status.DRAFT
