"""Receipts are judged by their bytes: a wrong type or a file too large is refused with a
clear message, and nothing of the claim is saved."""

import datetime as dt

import pytest

from apps.core.errors import DomainError
from apps.support.models import SubsidyClaim, SubsidyReceipt

from .conftest import jpeg, not_a_receipt, pdf, png, too_large

DAY = dt.date(2024, 9, 2)


def _counts():
    return SubsidyClaim.objects.count(), SubsidyReceipt.objects.count()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (not_a_receipt, "is not a PDF, JPEG or PNG document"),
        (too_large, "the limit is 5 MB"),
    ],
)
def test_bad_receipt_refused_and_nothing_saved(participant, claim_for, bad, message):
    before = _counts()
    with pytest.raises(DomainError) as refused:
        claim_for(participant, DAY, 8000, receipts=[pdf("good.pdf"), bad("bad.pdf")])
    assert message in refused.value.message
    assert "bad.pdf" in refused.value.message
    assert refused.value.field == "receipts"
    assert _counts() == before


def test_a_receipt_is_required(participant, claim_for):
    before = _counts()
    with pytest.raises(DomainError) as refused:
        claim_for(participant, DAY, 8000, receipts=[])
    assert "at least one receipt" in refused.value.message
    assert _counts() == before


def test_pdf_jpeg_and_png_are_accepted(participant, claim_for):
    claim = claim_for(participant, DAY, 8000, receipts=[pdf(), jpeg(), png()])
    assert sorted(claim.receipts.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/jpeg",
        "image/png",
    ]


def test_page_refuses_a_bad_receipt_clearly(login, participant):
    client = login("participant")
    before = _counts()
    response = client.post(
        "/subsidy/new/",
        {"session_date": "2024-09-02", "cost": "8000", "note": "", "receipts": [not_a_receipt()]},
    )
    assert response.status_code == 200
    assert "is not a PDF, JPEG or PNG document" in response.content.decode()
    assert _counts() == before


def test_api_refuses_a_too_large_receipt_clearly(api_as, participant):
    client = api_as("participant")
    before = _counts()
    response = client.post(
        "/api/v1/subsidy-claims/",
        {"session_date": "2024-09-02", "cost": "8000", "receipts": [too_large()]},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert "the limit is 5 MB" in response.json()["receipts"][0]
    assert _counts() == before
