"""Issue 19's scoring depth in a real browser: a second reviewer cannot see the first
one's score until theirs is in, then sees both; a corrected score shows its history;
the applicant opens their own uploads from their status page."""

import re
import struct
import zlib

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from apps.core import services as core_services
from apps.core.models import Role
from apps.recruitment.models import ApplicationDocument
from tests.browser.test_recruitment_journey import us_round  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

REVIEWER2_PASSWORD = "x-Long-pass-2"


def _png() -> bytes:
    """A real 2x2 grey PNG, so the browser draws it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def scoring_round(us_round):  # noqa: F811 (the imported fixture)
    """The journey's submitted application, a second US reviewer (staff), and a PNG
    certificate among the applicant's uploads."""
    application = us_round
    reviewer = core_services.person_create(
        username="us.reviewer2",
        email="reviewer2@example.jp",
        password=REVIEWER2_PASSWORD,
        first_name="Ken",
        last_name="Sato",
    )
    core_services.membership_add(
        by=None, user=reviewer, organisation=application.mission, role=Role.STAFF
    )
    certificate = ApplicationDocument(
        application=application,
        kind=ApplicationDocument.Kind.CERTIFICATE,
        original_name="tefl.png",
        content_type="image/png",
        size=len(_png()),
        uploaded_by=application.applicant,
    )
    certificate.file.save("upload.png", ContentFile(_png()), save=True)
    return application


def _score(page, motivation: str, communication: str) -> None:
    page.get_by_label("Motivation").fill(motivation)
    page.get_by_label("Communication").fill(communication)
    page.get_by_role("button", name="Record score").click()


def test_blind_scoring_correction_history_and_own_uploads(
    app, new_page, sign_in, axe_clean, scoring_round
):
    application = scoring_round
    detail = f"{app}/mofa/mission/applications/{application.pk}/"

    first = new_page()
    sign_in(first, "embassy.us")
    first.goto(detail)
    _score(first, "5", "4")  # 93.33
    expect(first.locator("#scores")).to_contain_text("93.33")

    second = new_page()
    sign_in(second, "us.reviewer2", REVIEWER2_PASSWORD)
    second.goto(detail)
    scores = second.locator("#scores")
    expect(scores).to_contain_text("1 reviewer has scored.")
    expect(scores).not_to_contain_text("93.33")
    expect(second.get_by_test_id("screening-average")).to_have_text("Hidden until you score")
    axe_clean(second)
    _score(second, "3", "3")  # 60.00
    expect(scores).to_contain_text("93.33")
    expect(scores).to_contain_text("60.00")
    expect(scores).not_to_contain_text("reviewer has scored")

    # The second reviewer corrects their score; the history shows on the page.
    second.get_by_text("Correct your score").click()
    correction = second.get_by_test_id("correct-screening-scores")
    correction.get_by_label("Motivation").fill("4")
    correction.get_by_label("Communication").fill("4")
    correction.get_by_label("Reason for the correction").fill("Misread the transcript.")
    correction.get_by_role("button", name="Save the correction").click()
    history = second.get_by_test_id("score-revision")
    expect(history).to_contain_text(re.compile(r"Changed from 60\.00 to 80\.00 by Ken Sato on"))
    expect(history).to_contain_text("Misread the transcript.")
    axe_clean(second)
    first.reload()
    expect(first.get_by_test_id("score-revision")).to_contain_text("Misread the transcript.")

    # The applicant opens their own uploads from their status page.
    applicant = new_page()
    sign_in(applicant, "applicant")
    applicant.goto(f"{app}/mofa/applicant/application/{application.pk}/")
    uploads = applicant.get_by_test_id("own-documents")
    expect(uploads).to_contain_text("tefl.png")
    axe_clean(applicant)
    certificate = application.documents.get(kind="CERTIFICATE")
    uploads.get_by_test_id(f"preview-{certificate.pk}").locator("summary").click()
    image = uploads.get_by_role("img", name=re.compile("tefl.png"))
    expect(image).to_be_visible()
    applicant.wait_for_function(
        "img => img.complete && img.naturalWidth === 2", arg=image.element_handle()
    )
    transcript = application.documents.get(kind="TRANSCRIPT")
    link = uploads.get_by_test_id(f"preview-{transcript.pk}")
    expect(link).to_have_attribute("target", "_blank")
    response = applicant.request.get(app + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
