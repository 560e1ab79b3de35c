"""Issue 4's journey in a real browser with a real Celery worker: CLAIR runs the
suggestion and watches its progress, a CLAIR manager approves the line, co.hyogo accepts
the placement, the candidate accepts, the contract is issued, signed by both, and the
participant downloads the bilingual PDF."""

import io
import re

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from playwright.sync_api import expect
from pypdf import PdfReader

from apps.core import access
from apps.core import services as core_services
from apps.core.models import Kind, Organisation, PersonRole, ProgrammeYear, User
from apps.placement import services as placement_services
from apps.placement.models import Contract, Placement, PositionRequest
from apps.recruitment.models import Application
from jetadmin.celery import app as celery_app

pytestmark = [pytest.mark.browser, pytest.mark.worker]

PASSWORD = "Journey-pass-2027"


def _use_broker(url: str) -> None:
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker(app):
    """The suggestion job runs on a real worker through Redis, so its progress is real."""
    _use_broker(settings.CELERY_BROKER_URL)
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        yield
    celery_app.conf.task_always_eager = True


@pytest.fixture
def pool(app):
    """One forwarded US candidate who asked for Hyogo, and an approved Hyogo position,
    made through the services (MIC approves what co.hyogo requested)."""
    from apps.demo import scale as programme_demo

    programme_demo.seed(stdout=None)  # the salary scale (the committed world is core only)
    year = ProgrammeYear.objects.get(is_current=True)
    hyogo_staff = User.objects.get(username="co.hyogo")
    positions = placement_services.position_request_create(
        by=hyogo_staff,
        type="ALT",
        school_level="SENIOR_HIGH",
        base="Hyogo Prefectural Kobe High School",
        municipality="Kobe",
        location="URBAN",
        housing="ASSISTED",
    )
    placement_services.positions_review(
        by=User.objects.get(username="mic"), positions=positions, approve=True
    )
    mission = Organisation.objects.get(name_en="Embassy of Japan in the United States")
    person = core_services.person_create(
        username="journey.candidate", email="journey@example.com", password=PASSWORD
    )
    User.objects.filter(pk=person.pk).update(
        first_name="Jordan", last_name="Rivera", person_role=PersonRole.APPLICANT
    )
    application = Application.objects.create(
        number="2027-US-JOURNEY",
        programme_year=year,
        applicant=person,
        mission=mission,
        country=mission.country,
        citizenship=mission.country,
        position="ALT",
        status=Application.Status.FORWARDED,
        given_names="Jordan",
        family_name="Rivera",
        japanese_level="N4",
        driving_licence="AUTOMATIC",
        preference_1="28",
        location_preference="URBAN",
    )
    access.grant("view", application, Organisation.objects.get(kind=Kind.CLAIR))
    access.grant("view", application, mission)
    # The session's demo data may still be here (the flush comes after this test): keep
    # the run to this one candidate and this one position.
    Application.objects.filter(programme_year=year, status=Application.Status.FORWARDED).exclude(
        pk=application.pk
    ).update(status=Application.Status.WITHDRAWN)
    PositionRequest.objects.filter(programme_year=year).exclude(pk=positions[0].pk).update(
        state=PositionRequest.State.RETURNED, return_reason="Not in this journey"
    )
    return application


def test_placement_to_signed_contract(app, worker, pool, new_page, sign_in, axe_clean, tmp_path):
    # CLAIR runs the suggestion and watches its progress.
    clair = new_page()
    sign_in(clair, "clair")
    clair.goto(f"{app}/clair/placement/runs/")
    axe_clean(clair)
    clair.get_by_test_id("run-start").click()
    # The run page follows the run by itself: when the worker is done (it may be before
    # the page loads), its header's state and the result arrive together.
    expect(clair.get_by_test_id("run-stats")).to_be_visible(timeout=30_000)
    expect(clair.get_by_test_id("run-state")).to_have_text("Ready for review")
    line = clair.get_by_test_id(f"line-{pool.number}")
    expect(line).to_contain_text("Meets preference 1 (Hyogo).")
    expect(clair.get_by_test_id("run-stats")).to_contain_text("1 / 1")
    axe_clean(clair)
    clair.goto(f"{app}/clair/placement/?candidate={pool.pk}")
    expect(clair.get_by_test_id("selected-candidate")).to_contain_text(pool.number)
    axe_clean(clair)

    # A CLAIR manager, for the placement committee, approves the line.
    manager = new_page()
    sign_in(manager, "clair.manager")
    run_url = re.sub(r"^https?://[^/]+", "", clair.url)
    manager.goto(f"{app}/clair/placement/runs/")
    manager.get_by_role("link", name=re.compile(r"^\d+$")).first.click()
    manager.get_by_label(f"Choose {pool.number}").check()
    manager.get_by_test_id("approve-selected").click()
    expect(manager.get_by_text("1 placement confirmed.")).to_be_visible()
    placement = Placement.objects.get(application=pool)
    assert placement.status == Placement.Status.CONFIRMED
    assert run_url

    # co.hyogo accepts it.
    hyogo = new_page()
    sign_in(hyogo, "co.hyogo")
    hyogo.goto(f"{app}/contracting/placements/")
    axe_clean(hyogo)
    hyogo.get_by_test_id(f"accept-{placement.pk}").click()
    expect(hyogo.get_by_text("You accepted 2027-US-JOURNEY")).to_be_visible()

    # The candidate sees the placement notice and accepts.
    candidate = new_page()
    sign_in(candidate, "journey.candidate", PASSWORD)
    candidate.goto(f"{app}/mofa/applicant/")
    candidate.get_by_test_id("placement-link").click()
    expect(candidate.get_by_test_id("placement-organisation")).to_have_text(
        "Hyogo Prefectural Board of Education"
    )
    axe_clean(candidate)
    candidate.get_by_test_id("placement-accept").click()
    expect(candidate.get_by_text("You accepted the placement.")).to_be_visible()
    contract = Contract.objects.get(placement=placement)

    # co.hyogo completes the draft in both languages and issues it.
    hyogo.goto(f"{app}/contracting/contracts/{contract.pk}/")
    hyogo.get_by_label("The organisation's conditions (English)").fill(
        "Housing near the school is arranged by the board."
    )
    hyogo.get_by_label("The organisation's conditions (Japanese)").fill(
        "学校近くの住居は教育委員会が手配します。"
    )
    hyogo.get_by_test_id("contract-save").click()
    expect(hyogo.get_by_text("The draft is saved.")).to_be_visible()
    axe_clean(hyogo)
    hyogo.get_by_test_id("contract-issue").click()
    expect(hyogo.get_by_test_id("contract-issue-summary")).to_contain_text("Issuing sends")
    hyogo.get_by_test_id("contract-issue-yes").click()
    expect(hyogo.get_by_test_id("contract-status")).to_have_text("Issued by the organisation")

    # The participant signs with their typed name.
    candidate.goto(f"{app}/participant/placement/")
    candidate.get_by_test_id("contract-sign-link").click()
    axe_clean(candidate)
    candidate.get_by_label("Type your full name to sign").fill("Jordan Rivera")
    candidate.get_by_label("I have read the contract and agree to its terms").check()
    candidate.get_by_test_id("contract-sign").click()
    expect(candidate.get_by_test_id("contract-status")).to_have_text("Signed by the participant")

    # co.hyogo countersigns.
    hyogo.reload()
    hyogo.get_by_test_id("contract-countersign").click()
    expect(hyogo.get_by_test_id("contract-status")).to_have_text("Countersigned, in force")

    # The participant downloads the PDF: Japanese and English terms are both in it.
    candidate.reload()
    expect(candidate.get_by_test_id("contract-status")).to_have_text("Countersigned, in force")
    with candidate.expect_download() as download:
        candidate.get_by_test_id("contract-pdf").click()
    path = tmp_path / "contract.pdf"
    download.value.save_as(path)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    # Table cells wrap lines anywhere; compare without whitespace.
    text = "".join(text.split())
    for term in (
        "Contract of employment",
        "雇用契約書",
        "Annual remuneration",
        "年額報酬",
        "学校近くの住居は教育委員会が手配します。",
        "Housing near the school is arranged by the board.",
        "3,360,000",
    ):
        assert "".join(term.split()) in text, term
    contract.refresh_from_db()
    assert contract.status == Contract.Status.IN_FORCE
    assert contract.participant_signature == "Jordan Rivera"
